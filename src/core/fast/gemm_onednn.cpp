// The desktop's matrix product: oneDNN's sgemm (Debian's libdnnl), which
// picks its kernel when it runs (AVX-512, AVX2 or SSE4.1 code generated for
// the CPU at hand). Measured against OpenBLAS, which it replaced (this
// machine's environment pins OpenBLAS to its AVX2 kernels), on the shapes
// ResNet-18 multiplies, one thread, AMD EPYC with AVX-512: 1.6 to 2.1 times
// as fast (64x196x64: 8.6 against 17.2 us; 64x1568x576: 0.59 against 1.25 ms;
// 512x49x4608: 1.7 against 3.1 ms).
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "core/fast/gemm.h"

namespace convlab::fast {
namespace {

// oneDNN runs its loops on OpenMP threads; each of our pool threads is one
// share of the work already, so its OpenMP team is set to itself alone (the
// setting is per calling thread).
void keep_this_thread_single() {
  thread_local bool done = false;
  if (!done) {
    omp_set_num_threads(1);
    done = true;
  }
}

}  // namespace

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  keep_this_thread_single();
  const dnnl_status_t status = dnnl_sgemm(transpose_a ? 'T' : 'N', transpose_b ? 'T' : 'N', m, n, k, 1.0f, a,
                                          lda, b, ldb, beta, c, ldc);
  if (status != dnnl_success) {
    // Only arguments the callers never pass (a leading dimension too small
    // for its matrix) fail: a bug here, not bad input.
    std::fprintf(
        stderr, "convlab: oneDNN sgemm refused m=%lld n=%lld k=%lld lda=%lld ldb=%lld ldc=%lld (status %d)\n",
        static_cast<long long>(m), static_cast<long long>(n), static_cast<long long>(k),
        static_cast<long long>(lda), static_cast<long long>(ldb), static_cast<long long>(ldc),
        static_cast<int>(status));
    std::abort();
  }
}

void sgemm_single_threaded() { keep_this_thread_single(); }

void sgemm_warm_up() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A small product: oneDNN's start-up work does not depend on the shape.
    constexpr int64_t kSide = 16;
    std::vector<float> a(kSide * kSide, 1.0f), b(kSide * kSide, 1.0f), c(kSide * kSide);
    sgemm(false, false, kSide, kSide, kSide, a.data(), kSide, b.data(), kSide, 0.0f, c.data(), kSide);
  });
}

const char* sgemm_library() { return "oneDNN"; }

}  // namespace convlab::fast
