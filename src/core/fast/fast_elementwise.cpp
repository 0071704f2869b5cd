#include "core/fast/fast_elementwise.h"

#include "core/fast/parallel.h"

namespace convlab::fast {
namespace {

// Below this many floats per thread a loop stays on the calling thread.
constexpr int64_t kMinPerThread = int64_t{1} << 15;

// `x < 0` is false for NaN, so NaN passes through (as reference::relu).
inline float relu_value(float v) { return v < 0.0f ? 0.0f : v; }

template <typename Op>
void apply(const float* a, const float* b, float* out, int64_t count, bool relu, Op op) {
  detail::parallel_for(count, kMinPerThread, [&](int64_t begin, int64_t end) {
    if (relu) {
      for (int64_t i = begin; i < end; ++i) out[i] = relu_value(op(a[i], b[i]));
    } else {
      for (int64_t i = begin; i < end; ++i) out[i] = op(a[i], b[i]);
    }
  });
}

}  // namespace

Tensor relu(const Tensor& input) {
  Tensor out(input.shape());
  const float* in = input.data();
  float* y = out.data();
  detail::parallel_for(input.numel(), kMinPerThread, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) y[i] = relu_value(in[i]);
  });
  return out;
}

Result<Tensor> binary_same_shape(reference::BinaryOp op, const Tensor& a, const Tensor& b, bool relu) {
  if (a.shape() != b.shape())
    return make_error(reference::binary_op_name(op), ": the fast path takes two tensors of one shape, got ",
                      shape_to_string(a.shape()), " and ", shape_to_string(b.shape()));
  Tensor out(a.shape());
  const float* x = a.data();
  const float* y = b.data();
  float* z = out.data();
  const int64_t n = a.numel();
  using reference::BinaryOp;
  // The expressions of reference::apply_binary, one loop each.
  switch (op) {
    case BinaryOp::Add:
      apply(x, y, z, n, relu, [](float p, float q) { return p + q; });
      break;
    case BinaryOp::Sub:
      apply(x, y, z, n, relu, [](float p, float q) { return p - q; });
      break;
    case BinaryOp::Mul:
      apply(x, y, z, n, relu, [](float p, float q) { return p * q; });
      break;
    case BinaryOp::Div:
      apply(x, y, z, n, relu, [](float p, float q) { return p / q; });
      break;
    case BinaryOp::PRelu:
      apply(x, y, z, n, relu, [](float p, float q) { return p >= 0.0f ? p : p * q; });
      break;
  }
  return out;
}

}  // namespace convlab::fast
