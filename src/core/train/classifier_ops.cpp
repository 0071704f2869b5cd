// Plain loops: a classifier's pools and head are a small share of a
// training step next to its convolutions (which run as matrix products).
#include "core/train/classifier_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/train/elementwise.h"

namespace convlab::train {

Result<MaxPoolTrainResult> max_pool2d_train(const Tensor& input, const PoolOptions& options) {
  if (options.kind != PoolKind::Max) return make_error("max_pool2d_train: only max pooling trains here");
  auto shape = pool2d_output_shape(input, options);
  if (!shape) return shape.error();
  const auto& w = options.params.window;
  const int64_t channels = input.n() * input.c(), ih = input.h(), iw = input.w();
  const int64_t oh = (*shape)[2], ow = (*shape)[3];
  MaxPoolTrainResult out{Tensor(*shape), std::vector<int32_t>(static_cast<size_t>(channels * oh * ow), -1)};
  const float* in = input.data();
  float* y = out.output.data();
  int32_t* picked = out.argmax.data();
  detail::parallel_values(channels, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const float* plane = in + p * ih * iw;
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          float best = -std::numeric_limits<float>::infinity();
          int64_t at = -1;
          for (int ky = 0; ky < options.kernel.h; ++ky) {
            const int64_t y0 = oy * w.stride_h - w.padding.top + int64_t{ky} * w.dilation_h;
            if (y0 < 0 || y0 >= ih) continue;
            for (int kx = 0; kx < options.kernel.w; ++kx) {
              const int64_t x0 = ox * w.stride_w - w.padding.left + int64_t{kx} * w.dilation_w;
              if (x0 < 0 || x0 >= iw) continue;
              const float v = plane[y0 * iw + x0];
              // NaN wins, as in PyTorch (it propagates).
              if (at < 0 || v > best || std::isnan(v)) {
                best = v;
                at = y0 * iw + x0;
                if (std::isnan(v)) break;
              }
            }
          }
          const int64_t o = (p * oh + oy) * ow + ox;
          y[o] = best;
          picked[o] = static_cast<int32_t>(at);
        }
    }
  });
  return out;
}

Result<Tensor> max_pool2d_backward(const Shape& input_shape, std::span<const int32_t> argmax,
                                   const Tensor& grad_output) {
  if (input_shape.size() != 4 || grad_output.rank() != 4 || grad_output.n() != input_shape[0] ||
      grad_output.c() != input_shape[1] || static_cast<int64_t>(argmax.size()) != grad_output.numel())
    return make_error("max_pool2d_backward: the gradient ", shape_to_string(grad_output.shape()),
                      " does not match the pooled input ", shape_to_string(input_shape));
  Tensor grad(input_shape);
  const int64_t plane_in = input_shape[2] * input_shape[3];
  const int64_t plane_out = grad_output.h() * grad_output.w();
  const float* dy = grad_output.data();
  float* dx = grad.data();
  detail::parallel_values(grad_output.n() * grad_output.c(), [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p)
      for (int64_t o = p * plane_out; o < (p + 1) * plane_out; ++o)
        if (argmax[static_cast<size_t>(o)] >= 0) dx[p * plane_in + argmax[static_cast<size_t>(o)]] += dy[o];
  });
  return grad;
}

namespace {
Status check_linear(const Tensor& x, const Tensor& weight, const char* op) {
  if (x.rank() != 2 || weight.rank() != 2 || x.shape()[1] != weight.shape()[1])
    return make_error(op, ": the input ", shape_to_string(x.shape()), " and the weight ",
                      shape_to_string(weight.shape()), " must be (N, K) and (O, K)");
  return {};
}
}  // namespace

Result<Tensor> linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  CONVLAB_TRY(check_linear(x, weight, "linear"));
  const int64_t n = x.shape()[0], k = x.shape()[1], o = weight.shape()[0];
  if (bias.rank() != 1 || bias.shape()[0] != o)
    return make_error("linear: the bias ", shape_to_string(bias.shape()), " must be (", o, ")");
  Tensor y({n, o});
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < o; ++j) {
      const float* a = x.data() + r * k;
      const float* b = weight.data() + j * k;
      float sum = 0.0f;
      for (int64_t i = 0; i < k; ++i) sum += a[i] * b[i];
      y[r * o + j] = sum + bias[j];
    }
  return y;
}

Result<LinearGrads> linear_backward(const Tensor& x, const Tensor& weight, const Tensor& grad_output) {
  CONVLAB_TRY(check_linear(x, weight, "linear_backward"));
  const int64_t n = x.shape()[0], k = x.shape()[1], o = weight.shape()[0];
  if (grad_output.shape() != Shape{n, o})
    return make_error("linear_backward: the gradient ", shape_to_string(grad_output.shape()), " must be (", n,
                      ", ", o, ")");
  LinearGrads g{Tensor({n, k}), Tensor({o, k}), Tensor({o})};
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < o; ++j) {
      const float d = grad_output[r * o + j];
      g.bias[j] += d;
      const float* a = x.data() + r * k;
      const float* b = weight.data() + j * k;
      float* dw = g.weight.data() + j * k;
      float* dx = g.input.data() + r * k;
      for (int64_t i = 0; i < k; ++i) {
        dw[i] += d * a[i];
        dx[i] += d * b[i];
      }
    }
  return g;
}

namespace {
Status check_logits(const Tensor& logits, std::span<const int64_t> labels, const char* op) {
  if (logits.rank() != 2 || logits.shape()[0] < 1 || logits.shape()[1] < 1)
    return make_error(op, ": the logits have shape ", shape_to_string(logits.shape()), " but must be (N, K)");
  if (static_cast<int64_t>(labels.size()) != logits.shape()[0])
    return make_error(op, ": ", labels.size(), " labels for ", logits.shape()[0], " rows of logits");
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= logits.shape()[1])
      return make_error(op, ": label ", labels[i], " (row ", i, ") is out of range; valid: 0 to ",
                        logits.shape()[1] - 1);
  return {};
}
}  // namespace

Result<float> softmax_cross_entropy(const Tensor& logits, std::span<const int64_t> labels) {
  CONVLAB_TRY(check_logits(logits, labels, "softmax_cross_entropy"));
  const int64_t n = logits.shape()[0], k = logits.shape()[1];
  double total = 0.0;
  for (int64_t r = 0; r < n; ++r) {
    const float* row = logits.data() + r * k;
    const double top = *std::max_element(row, row + k);
    double sum = 0.0;
    for (int64_t j = 0; j < k; ++j) sum += std::exp(row[j] - top);
    total += top + std::log(sum) - row[labels[static_cast<size_t>(r)]];
  }
  return static_cast<float>(total / static_cast<double>(n));
}

Result<Tensor> softmax_cross_entropy_backward(const Tensor& logits, std::span<const int64_t> labels,
                                              float grad_loss) {
  CONVLAB_TRY(check_logits(logits, labels, "softmax_cross_entropy_backward"));
  const int64_t n = logits.shape()[0], k = logits.shape()[1];
  Tensor grad(logits.shape());
  const float scale = grad_loss / static_cast<float>(n);
  for (int64_t r = 0; r < n; ++r) {
    const float* row = logits.data() + r * k;
    const float top = *std::max_element(row, row + k);
    double sum = 0.0;
    for (int64_t j = 0; j < k; ++j) sum += std::exp(static_cast<double>(row[j] - top));
    for (int64_t j = 0; j < k; ++j) {
      const double share = std::exp(static_cast<double>(row[j] - top)) / sum;
      const double target = j == labels[static_cast<size_t>(r)] ? 1.0 : 0.0;
      grad[r * k + j] = static_cast<float>(share - target) * scale;
    }
  }
  return grad;
}

}  // namespace convlab::train
