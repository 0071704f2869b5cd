// Eigen's product kernels, for the headless build (CONVLAB_HEADLESS, built by
// scripts/bench-gpu on GPU machines without oneDNN): header-only, so one
// carried package instead of oneDNN and its runtime libraries. There the
// GPU does the work; this is the CPU fallback. Strided row-major views over
// the caller's buffers: no copies.
#include <Eigen/Core>

#include "core/fast/gemm.h"

namespace convlab::fast {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Stride = Eigen::OuterStride<>;
using ConstView = Eigen::Map<const RowMajor, Eigen::Unaligned, Stride>;
using View = Eigen::Map<RowMajor, Eigen::Unaligned, Stride>;

}  // namespace

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  using Index = Eigen::Index;
  View out(c, static_cast<Index>(m), static_cast<Index>(n), Stride(static_cast<Index>(ldc)));
  const ConstView a_view(a, static_cast<Index>(transpose_a ? k : m), static_cast<Index>(transpose_a ? m : k),
                         Stride(static_cast<Index>(lda)));
  const ConstView b_view(b, static_cast<Index>(transpose_b ? n : k), static_cast<Index>(transpose_b ? k : n),
                         Stride(static_cast<Index>(ldb)));
  if (beta == 0.0f)
    out.setZero();
  else if (beta != 1.0f)
    out *= beta;
  if (transpose_a && transpose_b)
    out.noalias() += a_view.transpose() * b_view.transpose();
  else if (transpose_a)
    out.noalias() += a_view.transpose() * b_view;
  else if (transpose_b)
    out.noalias() += a_view * b_view.transpose();
  else
    out.noalias() += a_view * b_view;
}

void sgemm_single_threaded() { Eigen::setNbThreads(1); }

void sgemm_warm_up() {}

const char* sgemm_library() { return "Eigen"; }

}  // namespace convlab::fast
