// The one matrix product the fast CPU paths (inference and training) use.
// Row-major: c (m x n, leading dimension ldc) = op(a) * op(b) + beta * c,
// where op(a) is m x k (stored k x m when transpose_a) and op(b) is k x n
// (stored n x k when transpose_b).
//
// Three implementations, chosen at build time: oneDNN on the desktop
// (gemm_onednn.cpp; OpenBLAS until it measured half oneDNN's speed here), a
// WebAssembly SIMD128 kernel in the browser, where neither has a build
// (gemm_wasm.cpp; Eigen 3.4, tried first, has no
// WebAssembly SIMD path and ran 2.5 to 12 times slower), and Eigen in the
// headless GPU-timing build (gemm_eigen.cpp, scripts/bench-gpu). All run on
// the calling thread only: the fast paths share work between threads themselves.
#pragma once

#include <cstdint>

namespace convlab::fast {

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// Makes the library itself single-threaded (called once before the pool runs).
void sgemm_single_threaded();

// Has the library ready its code before the first real product: oneDNN
// does that on its first call, once per process (87-135 ms on the 2-core
// development machine). Thread-safe; later calls return at once. Nothing to
// do for the other two.
void sgemm_warm_up();

// "oneDNN", "WebAssembly SIMD128 kernel", "Eigen": for benchmarks and the About panel.
const char* sgemm_library();

}  // namespace convlab::fast
