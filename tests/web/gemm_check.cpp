// The browser build's matrix product (src/core/fast/gemm_wasm.cpp), compiled
// to WebAssembly and run under node by ctest ("web: gemm"): every transpose
// combination, beta 0 and 1, ragged shapes around the kernel's 4x8 tile and
// its packing blocks, against a double-precision reference; then the speed
// of ECNN-sized products, for the note. Exit 1 on any wrong number.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "core/fast/gemm.h"

using convlab::fast::sgemm;

namespace {

// Worst |error| relative to the largest |product| of the shape.
double check_shape(bool ta, bool tb, int m, int n, int k, float beta, std::mt19937& rng) {
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::vector<float> a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n)),
      c(static_cast<size_t>(m * n));
  for (float& x : a) x = uniform(rng);
  for (float& x : b) x = uniform(rng);
  for (float& x : c) x = uniform(rng);
  std::vector<double> want(c.size());
  const int lda = ta ? m : k, ldb = tb ? k : n;
  double scale = 1.0;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double sum = 0;
      for (int q = 0; q < k; ++q)
        sum += double(ta ? a[q * lda + i] : a[i * lda + q]) * double(tb ? b[j * ldb + q] : b[q * ldb + j]);
      want[static_cast<size_t>(i * n + j)] = sum + beta * double(c[static_cast<size_t>(i * n + j)]);
      scale = std::max(scale, std::fabs(sum));
    }
  sgemm(ta, tb, m, n, k, a.data(), lda, b.data(), ldb, beta, c.data(), n);
  double worst = 0;
  for (size_t i = 0; i < c.size(); ++i) worst = std::max(worst, std::fabs(double(c[i]) - want[i]) / scale);
  return worst;
}

}  // namespace

int main() {
  std::mt19937 rng(1);
  double worst = 0;
  int shapes = 0;
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (int m : {1, 4, 5, 67})
        for (int n : {1, 8, 9, 1030})
          for (int k : {1, 7, 300})
            for (float beta : {0.0f, 1.0f}) {
              const double error = check_shape(ta, tb, m, n, k, beta, rng);
              ++shapes;
              if (error > 1e-5) {
                std::printf("FAILED ta=%d tb=%d m=%d n=%d k=%d beta=%g: relative error %.2e\n", ta, tb, m, n,
                            k, double(beta), error);
                return 1;
              }
              worst = std::max(worst, error);
            }
  std::printf("%s: %d shapes, worst relative error %.2e\n", convlab::fast::sgemm_library(), shapes, worst);

  struct Shape {
    int m, n, k;
    bool ta;
    const char* what;
  } timed[] = {{32, 128 * 128, 176, false, "conv1 at 256"},
               {64, 64 * 64, 512, false, "conv2 at 256"},
               {256, 16 * 16, 4096, false, "dilat1 at 256"},
               {2048, 16 * 16, 266, true, "tconv3 at 256"}};
  std::uniform_real_distribution<float> uniform(-1, 1);
  for (const Shape& s : timed) {
    std::vector<float> a(static_cast<size_t>(s.m * s.k)), b(static_cast<size_t>(s.k * s.n)),
        c(static_cast<size_t>(s.m * s.n));
    for (float& x : a) x = uniform(rng);
    for (float& x : b) x = uniform(rng);
    std::vector<double> ms;
    for (int run = 0; run < 5; ++run) {
      const auto start = std::chrono::steady_clock::now();
      sgemm(s.ta, false, s.m, s.n, s.k, a.data(), s.ta ? s.m : s.k, b.data(), s.n, 0.0f, c.data(), s.n);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("  %-14s m=%d n=%d k=%d: median %.2f ms, %.1f GFLOP/s\n", s.what, s.m, s.n, s.k, ms[2],
                2.0 * s.m * s.n * s.k / ms[2] / 1e6);
  }
  return 0;
}
