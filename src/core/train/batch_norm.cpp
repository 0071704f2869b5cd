// Batch norm in training mode, forward and backward, following PyTorch's CPU
// kernels (aten/src/ATen/native/Normalization.cpp, batch_norm_cpu_*): sums
// in double, the per-element arithmetic in float. Channels are independent,
// so the fast path's threads share them.
#include <cmath>

#include "core/ops/reference.h"
#include "core/train/backward.h"
#include "core/train/elementwise.h"
#include "core/train/forward.h"

namespace convlab::train {
namespace {

// body(c) for every channel, channels shared between the threads.
template <class Body>
void for_each_channel(const Tensor& x, Body&& body) {
  detail::parallel_items(x.c(), x.n() * x.h() * x.w(), body);
}

// Calls f(offset of plane n of channel c, plane size) for every image.
template <class F>
void for_each_plane(const Tensor& x, int64_t c, F&& f) {
  const int64_t plane = x.h() * x.w();
  for (int64_t n = 0; n < x.n(); ++n) f(n * x.c() * plane + c * plane, plane);
}

// Sums in double over 4 independent accumulators: a single double chain
// would wait on each add's latency; the order is fixed, so the result does
// not depend on threads.
struct DoubleSum {
  double lane[4] = {0.0, 0.0, 0.0, 0.0};
  double total() const { return (lane[0] + lane[1]) + (lane[2] + lane[3]); }
};

void add_values(DoubleSum& s, const float* x, int64_t count) {
  int64_t i = 0;
  for (; i + 4 <= count; i += 4)
    for (int j = 0; j < 4; ++j) s.lane[j] += x[i + j];
  for (; i < count; ++i) s.lane[0] += x[i];
}

void add_squares(DoubleSum& s, const float* x, int64_t count, double mean) {
  int64_t i = 0;
  for (; i + 4 <= count; i += 4)
    for (int j = 0; j < 4; ++j) {
      const double d = x[i + j] - mean;
      s.lane[j] += d * d;
    }
  for (; i < count; ++i) {
    const double d = x[i] - mean;
    s.lane[0] += d * d;
  }
}

// sum(g) and sum((x - mean) * g) of one plane, g = dy (masked where
// relu_out <= 0 when Masked). Blocks of 64 values are summed in 8 float
// lanes (which vectorize; 8 terms per lane keep them exact to a few ulps)
// and each block is added to the double lanes.
template <bool Masked>
void add_gradient_sums(DoubleSum& sum, DoubleSum& dot, const float* __restrict x, const float* __restrict dy,
                       const float* __restrict relu_out, int64_t count, float mean) {
  constexpr int kLanes = 8, kBlock = 64;
  const auto upstream = [&](int64_t i) {
    const float v = dy[i];  // loaded unconditionally, so the select vectorizes
    if constexpr (Masked) return relu_out[i] > 0.0f ? v : 0.0f;
    return v;
  };
  int64_t i = 0;
  for (; i + kBlock <= count; i += kBlock) {
    float s[kLanes] = {}, d[kLanes] = {};
    for (int b = 0; b < kBlock; b += kLanes)
      for (int j = 0; j < kLanes; ++j) {
        const float g = upstream(i + b + j);
        s[j] += g;
        d[j] += (x[i + b + j] - mean) * g;
      }
    for (int j = 0; j < kLanes; ++j) {
      sum.lane[j % 4] += s[j];
      dot.lane[j % 4] += d[j];
    }
  }
  for (; i < count; ++i) {
    const double g = upstream(i);
    sum.lane[0] += g;
    dot.lane[0] += (static_cast<double>(x[i]) - mean) * g;
  }
}

Status check_vector(const Tensor& t, int64_t channels, const char* what) {
  return expect_shape(t, {channels}, what);
}

// The per-element passes, as functions of values and unaliased pointers so
// that they vectorize (through lambda captures the compiler must assume the
// output may overwrite the scalars).
void normalize_plane(const float* __restrict x, float* __restrict y, int64_t count, float alpha, float shift,
                     bool relu) {
  if (relu) {
    for (int64_t i = 0; i < count; ++i) {
      const float v = x[i] * alpha + shift;
      y[i] = v > 0.0f ? v : 0.0f;
    }
  } else {
    for (int64_t i = 0; i < count; ++i) y[i] = x[i] * alpha + shift;
  }
}

// dx = (g - grad_mean - (x - mean) * k) * scale, g = dy where relu_out > 0 (or everywhere).
void backward_plane(const float* __restrict x, const float* __restrict dy, const float* __restrict relu_out,
                    float* __restrict dx, int64_t count, float mean, float k, float grad_mean, float scale) {
  if (relu_out == nullptr) {
    for (int64_t i = 0; i < count; ++i) dx[i] = (dy[i] - grad_mean - (x[i] - mean) * k) * scale;
  } else {
    for (int64_t i = 0; i < count; ++i) {
      const float d = dy[i];  // loaded unconditionally, so the select vectorizes
      const float g = relu_out[i] > 0.0f ? d : 0.0f;
      dx[i] = (g - grad_mean - (x[i] - mean) * k) * scale;
    }
  }
}

}  // namespace

Result<BatchNormTrainResult> batch_norm2d_train(const Tensor& input, const Tensor& gamma, const Tensor& beta,
                                                Tensor& running_mean, Tensor& running_var,
                                                const BatchNormTrainParams& params) {
  CONVLAB_TRY(reference::batch_norm_check(input, gamma, beta, running_mean, running_var,
                                          {true, params.momentum, params.eps}));
  const auto channels = static_cast<size_t>(input.c());
  BatchNormTrainResult result{Tensor(input.shape()),
                              {std::vector<float>(channels), std::vector<float>(channels)}};
  const double count = static_cast<double>(input.n() * input.h() * input.w());
  const float* x = input.data();
  float* y = result.output.data();
  for_each_channel(input, [&](int64_t c) {
    // Two passes: the mean, then squared deviations from it (accurate when
    // the mean is large next to the spread).
    DoubleSum sum, deviations;
    for_each_plane(input, c, [&](int64_t at, int64_t size) { add_values(sum, x + at, size); });
    const double mean = sum.total() / count;
    for_each_plane(input, c, [&](int64_t at, int64_t size) { add_squares(deviations, x + at, size, mean); });
    const double squares = deviations.total();
    const double inv_std = 1.0 / std::sqrt(squares / count + static_cast<double>(params.eps));
    const auto mean_f = static_cast<float>(mean);
    const auto inv_std_f = static_cast<float>(inv_std);
    result.saved.mean[static_cast<size_t>(c)] = mean_f;
    result.saved.inv_std[static_cast<size_t>(c)] = inv_std_f;
    const float alpha = inv_std_f * gamma[c];
    const float shift = beta[c] - mean_f * alpha;
    for_each_plane(input, c, [&](int64_t at, int64_t size) {
      normalize_plane(x + at, y + at, size, alpha, shift, params.relu);
    });
    // PyTorch: running = momentum * stat + (1 - momentum) * running, in double.
    const double m = params.momentum;
    running_mean[c] = static_cast<float>(m * mean + (1.0 - m) * running_mean[c]);
    running_var[c] = static_cast<float>(m * (squares / (count - 1.0)) + (1.0 - m) * running_var[c]);
  });
  return result;
}

Result<BatchNormGrads> batch_norm2d_backward(const Tensor& input, const Tensor& gamma,
                                             const BatchNormSaved& saved, const Tensor& grad_output,
                                             const Tensor* relu_output) {
  if (input.rank() != 4 || input.numel() == 0)
    return make_error("batch_norm backward: input must have shape (N, C, H, W) with values, got ",
                      shape_to_string(input.shape()));
  const int64_t channels = input.c();
  CONVLAB_TRY(check_vector(gamma, channels, "batch_norm backward: weight (gamma)"));
  if (static_cast<int64_t>(saved.mean.size()) != channels ||
      static_cast<int64_t>(saved.inv_std.size()) != channels)
    return make_error("batch_norm backward: the saved statistics have ", saved.mean.size(), " means and ",
                      saved.inv_std.size(), " inverse deviations, expected ", channels, " (one per channel)");
  CONVLAB_TRY(expect_shape(grad_output, input.shape(), "batch_norm backward: grad_output"));
  if (relu_output != nullptr)
    CONVLAB_TRY(expect_shape(*relu_output, input.shape(), "batch_norm backward: relu output"));
  BatchNormGrads grads{Tensor(input.shape()), Tensor({channels}), Tensor({channels})};
  const double count = static_cast<double>(input.n() * input.h() * input.w());
  const float* x = input.data();
  const float* dy = grad_output.data();
  const float* mask = relu_output != nullptr ? relu_output->data() : nullptr;
  float* dx = grads.input.data();
  for_each_channel(input, [&](int64_t c) {
    const float mean = saved.mean[static_cast<size_t>(c)];
    const float inv_std = saved.inv_std[static_cast<size_t>(c)];
    DoubleSum sum_dy, dot_dy;
    for_each_plane(input, c, [&](int64_t at, int64_t size) {
      if (mask != nullptr)
        add_gradient_sums<true>(sum_dy, dot_dy, x + at, dy + at, mask + at, size, mean);
      else
        add_gradient_sums<false>(sum_dy, dot_dy, x + at, dy + at, nullptr, size, mean);
    });
    const double sum = sum_dy.total(), dot = dot_dy.total();
    grads.weight[c] = static_cast<float>(dot * inv_std);
    grads.bias[c] = static_cast<float>(sum);
    // As PyTorch: k = dot * inv_std^2 / M, dx = (dy - mean(dy) - (x - mean) * k) * inv_std * gamma.
    const auto k = static_cast<float>(dot * inv_std * inv_std / count);
    const auto grad_mean = static_cast<float>(sum / count);
    const float scale = inv_std * gamma[c];
    for_each_plane(input, c, [&](int64_t at, int64_t size) {
      backward_plane(x + at, dy + at, mask != nullptr ? mask + at : nullptr, dx + at, size, mean, k,
                     grad_mean, scale);
    });
  });
  return grads;
}

}  // namespace convlab::train
