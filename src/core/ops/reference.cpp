#include "core/ops/reference.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/base/i18n.h"

namespace convlab::reference {

Status expect_nchw(const Shape& shape, const std::string& what, const char* layout) {
  if (shape.size() != 4)
    return make_error(what, " must have 4 dimensions (", layout, ") but has shape ", shape_to_string(shape));
  for (int64_t d : shape)
    if (d < 1 || d > INT_MAX)
      return make_error(what, " has shape ", shape_to_string(shape), " (", layout,
                        "): every dimension must be between 1 and ", INT_MAX);
  return {};
}

Status expect_nchw(const Tensor& t, const std::string& what, const char* layout) {
  return expect_nchw(t.shape(), what, layout);
}

namespace {

Status expect_vector(const Tensor* t, int64_t length, const std::string& what) {
  if (t == nullptr) return {};
  return expect_shape(*t, {length}, what);
}

Size2d spatial_size(const Tensor& t) { return {static_cast<int>(t.dim(2)), static_cast<int>(t.dim(3))}; }
Size2d kernel_size(const Tensor& weight) {
  return {static_cast<int>(weight.dim(2)), static_cast<int>(weight.dim(3))};
}

}  // namespace

// ---- conv2d -----------------------------------------------------------------

namespace {
// groups must divide both channel counts.
Status check_groups(int groups, int64_t in_channels, int64_t out_channels, const char* op) {
  if (groups < 1 || in_channels % groups != 0 || out_channels % groups != 0)
    return make_error(op, ": groups ", groups, " must be at least 1 and divide both the ", in_channels,
                      " input channels and the ", out_channels, " output channels");
  return {};
}
}  // namespace

Result<Shape> conv2d_output_shape(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                  const Conv2dParams& params) {
  CONVLAB_TRY(expect_nchw(input, "conv2d input", "N,C,H,W"));
  CONVLAB_TRY(expect_nchw(weight, "conv2d weight", "out channels, in channels / groups, KH, KW"));
  CONVLAB_TRY(check_groups(params.groups, input.dim(1), weight.dim(0), "conv2d"));
  if (weight.dim(1) * params.groups != input.dim(1))
    return make_error(
        "conv2d weight has shape ", shape_to_string(weight.shape()), " but the input (",
        shape_to_string(input.shape()), ") has ", input.dim(1), " channels",
        params.groups > 1 ? " in " + std::to_string(params.groups) + " groups" : std::string(),
        ": expected shape ",
        shape_to_string({weight.dim(0), input.dim(1) / params.groups, weight.dim(2), weight.dim(3)}));
  CONVLAB_TRY(expect_vector(bias, weight.dim(0), "conv2d bias"));
  auto out = conv2d_output_size(spatial_size(input), kernel_size(weight), params);
  if (!out.ok()) return with_context("conv2d: ", out.error());
  return Shape{input.dim(0), weight.dim(0), out->h, out->w};
}

Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                      const Conv2dParams& params) {
  auto shape = conv2d_output_shape(input, weight, bias, params);
  if (!shape.ok()) return shape.error();
  Tensor output(*shape);
  // Each group's filters see only its own slice of the input channels.
  const int64_t group_channels = weight.c(), group_filters = output.c() / params.groups;
  const int64_t height = input.h(), width = input.w();
  const int64_t kernel_h = weight.h(), kernel_w = weight.w();
  for (int64_t n = 0; n < output.n(); ++n)
    for (int64_t o = 0; o < output.c(); ++o)
      for (int64_t oy = 0; oy < output.h(); ++oy)
        for (int64_t ox = 0; ox < output.w(); ++ox) {
          // Taps on the zero frame add nothing, so they are skipped; the
          // order of the remaining products is still (c, ky, kx).
          const int64_t first_channel = (o / group_filters) * group_channels;
          float acc = 0.0f;
          for (int64_t c = 0; c < group_channels; ++c)
            for (int64_t ky = 0; ky < kernel_h; ++ky) {
              const int64_t iy = oy * params.stride_h - params.padding.top + ky * params.dilation_h;
              if (iy < 0 || iy >= height) continue;
              for (int64_t kx = 0; kx < kernel_w; ++kx) {
                const int64_t ix = ox * params.stride_w - params.padding.left + kx * params.dilation_w;
                if (ix < 0 || ix >= width) continue;
                acc += input.at(n, first_channel + c, iy, ix) * weight.at(o, c, ky, kx);
              }
            }
          output.at(n, o, oy, ox) = bias ? acc + (*bias)[o] : acc;
        }
  return output;
}

// ---- conv_transpose2d ---------------------------------------------------------

Result<Shape> conv_transpose2d_output_shape(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                            const ConvTranspose2dParams& params) {
  CONVLAB_TRY(expect_nchw(input, "conv_transpose2d input", "N,C,H,W"));
  CONVLAB_TRY(expect_nchw(weight, "conv_transpose2d weight", "in channels, out channels / groups, KH, KW"));
  CONVLAB_TRY(check_groups(params.groups, input.dim(1), weight.dim(1) * params.groups, "conv_transpose2d"));
  if (weight.dim(0) != input.dim(1))
    return make_error("conv_transpose2d weight has shape ", shape_to_string(weight.shape()),
                      " but the input (", shape_to_string(input.shape()), ") has ", input.dim(1),
                      " channels: expected shape ",
                      shape_to_string({input.dim(1), weight.dim(1), weight.dim(2), weight.dim(3)}),
                      " (a transposed conv weight is in channels x out channels / groups x KH x KW)");
  const int64_t out_channels = weight.dim(1) * params.groups;
  CONVLAB_TRY(expect_vector(bias, out_channels, "conv_transpose2d bias"));
  auto out = conv_transpose2d_output_size(spatial_size(input), kernel_size(weight), params);
  if (!out.ok()) return with_context("conv_transpose2d: ", out.error());
  return Shape{input.dim(0), out_channels, out->h, out->w};
}

Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const ConvTranspose2dParams& params) {
  auto shape = conv_transpose2d_output_shape(input, weight, bias, params);
  if (!shape.ok()) return shape.error();
  Tensor output(*shape);
  const int64_t group_channels = input.c() / params.groups, group_filters = weight.c();
  const int64_t height = input.h(), width = input.w();
  const int64_t kernel_h = weight.h(), kernel_w = weight.w();
  // The uncropped output: output_padding rows/columns included, so the crop
  // removes `padding` from each side of it.
  const int64_t full_h = output.h() + 2 * int64_t{params.padding_h};
  const int64_t full_w = output.w() + 2 * int64_t{params.padding_w};
  std::vector<float> full(static_cast<size_t>(full_h * full_w));
  for (int64_t n = 0; n < output.n(); ++n)
    for (int64_t o = 0; o < output.c(); ++o) {
      std::fill(full.begin(), full.end(), 0.0f);
      const int64_t group = o / group_filters, filter = o % group_filters;
      for (int64_t c = group * group_channels; c < (group + 1) * group_channels; ++c)
        for (int64_t iy = 0; iy < height; ++iy)
          for (int64_t ix = 0; ix < width; ++ix) {
            const float x = input.at(n, c, iy, ix);
            for (int64_t ky = 0; ky < kernel_h; ++ky)
              for (int64_t kx = 0; kx < kernel_w; ++kx) {
                const int64_t fy = iy * params.stride_h + ky * params.dilation_h;
                const int64_t fx = ix * params.stride_w + kx * params.dilation_w;
                full[static_cast<size_t>(fy * full_w + fx)] += x * weight.at(c, filter, ky, kx);
              }
          }
      for (int64_t y = 0; y < output.h(); ++y)
        for (int64_t x = 0; x < output.w(); ++x) {
          const float sum = full[static_cast<size_t>((y + params.padding_h) * full_w + x + params.padding_w)];
          output.at(n, o, y, x) = bias ? sum + (*bias)[o] : sum;
        }
    }
  return output;
}

// ---- batch norm -------------------------------------------------------------

Result<ChannelStatistics> batch_norm_statistics(const Tensor& input) {
  CONVLAB_TRY(expect_nchw(input, "batch_norm input", "N,C,H,W"));
  ChannelStatistics stats;
  stats.count = input.n() * input.h() * input.w();
  const auto count = static_cast<double>(stats.count);
  for (int64_t c = 0; c < input.c(); ++c) {
    // Two passes in double: the mean first, then squared deviations from it,
    // which keeps the variance accurate when the mean is large.
    double sum = 0.0;
    for (int64_t n = 0; n < input.n(); ++n)
      for (int64_t y = 0; y < input.h(); ++y)
        for (int64_t x = 0; x < input.w(); ++x) sum += input.at(n, c, y, x);
    const double mean = sum / count;
    double squares = 0.0;
    for (int64_t n = 0; n < input.n(); ++n)
      for (int64_t y = 0; y < input.h(); ++y)
        for (int64_t x = 0; x < input.w(); ++x) {
          const double deviation = input.at(n, c, y, x) - mean;
          squares += deviation * deviation;
        }
    stats.mean.push_back(static_cast<float>(mean));
    stats.biased_var.push_back(static_cast<float>(squares / count));
    stats.unbiased_var.push_back(stats.count > 1 ? static_cast<float>(squares / (count - 1.0))
                                                 : std::numeric_limits<float>::quiet_NaN());
  }
  return stats;
}

float batch_norm_inv_std(float var, float eps) { return 1.0f / std::sqrt(var + eps); }
float batch_norm_normalize(float x, float mean, float inv_std) { return (x - mean) * inv_std; }
float batch_norm_scale_shift(float normalized, float gamma, float beta) { return normalized * gamma + beta; }
float batch_norm_running_update(float running, float batch_stat, float momentum) {
  const double m = momentum;
  return static_cast<float>((1.0 - m) * running + m * batch_stat);
}

Status batch_norm_check(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const Tensor& running_mean, const Tensor& running_var,
                        const BatchNormParams& params) {
  CONVLAB_TRY(expect_nchw(input, "batch_norm input", "N,C,H,W"));
  const int64_t channels = input.c();
  CONVLAB_TRY(expect_shape(weight, {channels}, "batch_norm weight (gamma)"));
  CONVLAB_TRY(expect_shape(bias, {channels}, "batch_norm bias (beta)"));
  CONVLAB_TRY(expect_shape(running_mean, {channels}, "batch_norm running_mean"));
  CONVLAB_TRY(expect_shape(running_var, {channels}, "batch_norm running_var"));
  if (!(params.eps >= 0.0f) || !std::isfinite(params.eps))
    return make_error("batch_norm eps is ", params.eps,
                      " but must be a finite number >= 0 (PyTorch uses 1e-5)");
  if (!(params.momentum >= 0.0f && params.momentum <= 1.0f))
    return make_error("batch_norm momentum is ", params.momentum,
                      " but must be in [0, 1] (PyTorch uses 0.1)");
  const int64_t count = input.n() * input.h() * input.w();
  if (params.training && count < 2)
    // Shown in the batch-norm panel ("No output: ..."), so in the UI language.
    return Error{format(tr("batch_norm in training needs more than 1 value per channel but the input %s has "
                           "N*H*W = %lld: use a batch > 1, a larger image, or eval mode"),
                        shape_to_string(input.shape()).c_str(), static_cast<long long>(count))};
  return {};
}

Result<Tensor> batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                            Tensor& running_mean, Tensor& running_var, const BatchNormParams& params) {
  CONVLAB_TRY(batch_norm_check(input, weight, bias, running_mean, running_var, params));
  Tensor output(input.shape());
  ChannelStatistics stats;
  if (params.training) {
    auto computed = batch_norm_statistics(input);
    if (!computed.ok()) return computed.error();
    stats = std::move(computed).value();
  }
  for (int64_t c = 0; c < input.c(); ++c) {
    const float mean = params.training ? stats.mean[c] : running_mean[c];
    const float var = params.training ? stats.biased_var[c] : running_var[c];
    const float inv_std = batch_norm_inv_std(var, params.eps);
    for (int64_t n = 0; n < input.n(); ++n)
      for (int64_t y = 0; y < input.h(); ++y)
        for (int64_t x = 0; x < input.w(); ++x) {
          const float normalized = batch_norm_normalize(input.at(n, c, y, x), mean, inv_std);
          output.at(n, c, y, x) = batch_norm_scale_shift(normalized, weight[c], bias[c]);
        }
    if (params.training) {
      running_mean[c] = batch_norm_running_update(running_mean[c], stats.mean[c], params.momentum);
      running_var[c] = batch_norm_running_update(running_var[c], stats.unbiased_var[c], params.momentum);
    }
  }
  return output;
}

// ---- element-wise and layout ops ------------------------------------------------

Tensor relu(const Tensor& input) {
  Tensor output = input;
  // `x < 0` is false for NaN, so NaN passes through as in PyTorch.
  for (float& v : output.values())
    if (v < 0.0f) v = 0.0f;
  return output;
}

Result<Tensor> concat_channels(std::span<const Tensor* const> inputs) {
  if (inputs.empty()) return make_error("concat needs at least one input tensor");
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i] == nullptr) return make_error("concat input ", i, " is missing");
    CONVLAB_TRY(expect_nchw(*inputs[i], "concat input " + std::to_string(i), "N,C,H,W"));
  }
  const Tensor& first = *inputs[0];
  int64_t channels = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = *inputs[i];
    if (t.n() != first.n() || t.h() != first.h() || t.w() != first.w())
      return make_error("concat input ", i, " has shape ", shape_to_string(t.shape()), " but input 0 has ",
                        shape_to_string(first.shape()), ": N, H and W must agree (expected ", first.n(), "x",
                        t.c(), "x", first.h(), "x", first.w(), ")");
    channels += t.c();
  }
  Tensor output({first.n(), channels, first.h(), first.w()});
  const int64_t plane = first.h() * first.w();
  for (int64_t n = 0; n < first.n(); ++n) {
    float* dst = output.data() + output.offset(n, 0, 0, 0);
    for (const Tensor* t : inputs) {
      const float* src = t->data() + t->offset(n, 0, 0, 0);
      dst = std::copy(src, src + t->c() * plane, dst);
    }
  }
  return output;
}

Result<Tensor> embed_broadcast(const Tensor& table, std::span<const int64_t> categories, int64_t height,
                               int64_t width) {
  if (table.rank() != 2 || table.dim(0) < 1 || table.dim(1) < 1)
    return make_error("embedding table must have shape rows x dim (both >= 1) but has shape ",
                      shape_to_string(table.shape()));
  if (categories.empty()) return make_error("embed needs at least one category (one per batch item)");
  if (height < 1 || width < 1)
    return make_error("embed broadcast size is ", height, "x", width, " but both must be >= 1");
  const int64_t rows = table.dim(0), dim = table.dim(1);
  for (size_t i = 0; i < categories.size(); ++i)
    if (categories[i] < 0 || categories[i] >= rows)
      return make_error("category ", categories[i], " (batch item ", i, ") is outside the embedding table's ",
                        rows, " rows: use 0..", rows - 1);
  Tensor output({static_cast<int64_t>(categories.size()), dim, height, width});
  for (int64_t n = 0; n < output.n(); ++n)
    for (int64_t d = 0; d < dim; ++d) {
      const float value = table[categories[static_cast<size_t>(n)] * dim + d];
      float* plane = output.data() + output.offset(n, d, 0, 0);
      std::fill(plane, plane + height * width, value);
    }
  return output;
}

// ---- bilinear resize ------------------------------------------------------------

namespace {

// One output coordinate's two source taps and weights, as PyTorch computes
// them for align_corners=False: src = (dst + 0.5) * in/out - 0.5, clamped at
// 0; the second tap is clamped at the last row/column.
struct LinearTaps {
  int64_t index0 = 0, index1 = 0;
  float weight0 = 1.0f, weight1 = 0.0f;
};

std::vector<LinearTaps> linear_taps(int64_t input_size, int64_t output_size) {
  const float scale = static_cast<float>(input_size) / static_cast<float>(output_size);
  std::vector<LinearTaps> taps(static_cast<size_t>(output_size));
  for (int64_t dst = 0; dst < output_size; ++dst) {
    float src = scale * (static_cast<float>(dst) + 0.5f) - 0.5f;
    if (src < 0.0f) src = 0.0f;
    LinearTaps& t = taps[static_cast<size_t>(dst)];
    t.index0 = static_cast<int64_t>(src);
    t.index1 = t.index0 + (t.index0 < input_size - 1 ? 1 : 0);
    t.weight1 = src - static_cast<float>(t.index0);
    t.weight0 = 1.0f - t.weight1;
  }
  return taps;
}

}  // namespace

Result<Tensor> upsample_bilinear(const Tensor& input, int64_t out_h, int64_t out_w) {
  CONVLAB_TRY(expect_nchw(input, "upsample_bilinear input", "N,C,H,W"));
  if (out_h < 1 || out_w < 1 || out_h > INT_MAX || out_w > INT_MAX)
    return make_error("upsample_bilinear output size is ", out_h, "x", out_w,
                      " but both must be between 1 and ", INT_MAX);
  const std::vector<LinearTaps> rows = linear_taps(input.h(), out_h);
  const std::vector<LinearTaps> cols = linear_taps(input.w(), out_w);
  Tensor output({input.n(), input.c(), out_h, out_w});
  for (int64_t n = 0; n < input.n(); ++n)
    for (int64_t c = 0; c < input.c(); ++c)
      for (int64_t y = 0; y < out_h; ++y) {
        const LinearTaps& r = rows[static_cast<size_t>(y)];
        for (int64_t x = 0; x < out_w; ++x) {
          const LinearTaps& k = cols[static_cast<size_t>(x)];
          const float top =
              k.weight0 * input.at(n, c, r.index0, k.index0) + k.weight1 * input.at(n, c, r.index0, k.index1);
          const float bottom =
              k.weight0 * input.at(n, c, r.index1, k.index0) + k.weight1 * input.at(n, c, r.index1, k.index1);
          output.at(n, c, y, x) = r.weight0 * top + r.weight1 * bottom;
        }
      }
  return output;
}

}  // namespace convlab::reference
