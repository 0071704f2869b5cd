// ECNN's forward pass compiled to WebAssembly, timed under node (V8, the
// engine Chromium runs the page with): the same pass and input as the
// desktop's `convlab bench` (fused, batch 1, category 1, a square gray
// input), so the two compare directly. Not a test: scripts and the note
// quote its figures.
//   node --no-experimental-fetch build-web/ecnn_bench.js [SIZE] [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/fast/gemm.h"
#include "core/model/runner.h"

using namespace convlab;

int main(int argc, char** argv) {
  const int size = argc > 1 ? std::atoi(argv[1]) : 256;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 10;
  if (size < 16 || size % 16 != 0 || runs < 1) {
    std::fprintf(stderr, "ecnn_bench: SIZE must be a multiple of 16 (>= 16), RUNS >= 1\n");
    return 2;
  }
  auto graph = Graph::builtin("advanced");
  if (!graph) {
    std::fprintf(stderr, "ecnn_bench: %s\n", graph.message().c_str());
    return 1;
  }
  const Model model = random_model(*graph, 1);  // the time does not depend on the values
  const std::vector<int64_t> category = {1};
  Tensor gray({1, 1, size, size});
  for (int64_t i = 0; i < gray.numel(); ++i) gray[i] = static_cast<float>((i * 37) % 101);
  std::vector<double> ms;
  for (int run = 0; run < runs + 2; ++run) {  // two untimed warm-up runs, as convlab bench
    const auto start = std::chrono::steady_clock::now();
    auto result = run_model_cpu(model, gray, category, CpuPath::Fast, false);
    const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!result) {
      std::fprintf(stderr, "ecnn_bench: %s\n", result.message().c_str());
      return 1;
    }
    if (run >= 2) ms.push_back(elapsed);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("size=%d median_ms=%.3f runs=%d threads=1 backend=wasm gemm=\"%s\" min_ms=%.3f max_ms=%.3f\n", size,
              ms[ms.size() / 2], runs, fast::sgemm_library(), ms.front(), ms.back());
  return 0;
}
