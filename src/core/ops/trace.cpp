#include "core/ops/trace.h"

#include <string>

namespace convlab {

namespace {

// Refuses a trace bigger than `limit`; the product is formed in double so
// absurd sizes cannot overflow before they are compared.
Status check_trace_size(const char* op, double amount, int64_t limit, const std::string& what,
                        const std::string& breakdown) {
  if (amount <= static_cast<double>(limit)) return {};
  return make_error(op, " trace would record ", static_cast<int64_t>(amount), " ", what, " (", breakdown,
                    "); the limit is ", limit, ": trace a smaller input, fewer channels or a smaller kernel");
}

std::string dims_text(std::initializer_list<int64_t> dims) {
  std::string text;
  for (int64_t d : dims) {
    if (!text.empty()) text += '*';
    text += std::to_string(d);
  }
  return text;
}

}  // namespace

// ---- conv2d -----------------------------------------------------------------

namespace {

// One output cell, tap by tap, in reference::conv2d's order. Taps on the
// zero frame are recorded but, like in the op, add nothing to the sum.
ConvStep trace_conv_cell(const Tensor& input, const Tensor& weight, const Tensor* bias,
                         const Conv2dParams& params, int n, int o, int oy, int ox) {
  ConvStep step;
  step.batch = n;
  step.out_channel = o;
  step.out_y = oy;
  step.out_x = ox;
  step.taps.reserve(static_cast<size_t>(weight.dim(1) * weight.h() * weight.w()));
  float acc = 0.0f;
  for (int c = 0; c < weight.dim(1); ++c)
    for (int ky = 0; ky < weight.h(); ++ky)
      for (int kx = 0; kx < weight.w(); ++kx) {
        ConvTap tap;
        tap.channel = c;
        tap.ky = ky;
        tap.kx = kx;
        tap.padded_y = oy * params.stride_h + ky * params.dilation_h;
        tap.padded_x = ox * params.stride_w + kx * params.dilation_w;
        tap.input_y = tap.padded_y - params.padding.top;
        tap.input_x = tap.padded_x - params.padding.left;
        tap.on_padding =
            tap.input_y < 0 || tap.input_y >= input.h() || tap.input_x < 0 || tap.input_x >= input.w();
        tap.weight = weight.at(o, c, ky, kx);
        if (!tap.on_padding) {
          tap.input = input.at(n, c, tap.input_y, tap.input_x);
          tap.product = tap.input * tap.weight;
          acc += tap.product;
        }
        tap.running_sum = acc;
        step.taps.push_back(tap);
      }
  step.bias = bias ? (*bias)[o] : 0.0f;
  step.result = bias ? acc + step.bias : acc;
  return step;
}

}  // namespace

Result<ConvTrace> trace_conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                               const Conv2dParams& params) {
  if (params.groups != 1)
    return make_error("trace of conv2d: groups ", params.groups, " are not traced; valid: 1");
  auto shape = reference::conv2d_output_shape(input, weight, bias, params);
  if (!shape.ok()) return shape.error();
  const Shape& out = *shape;
  const double cells = static_cast<double>(out[0]) * static_cast<double>(out[1]) *
                       static_cast<double>(out[2]) * static_cast<double>(out[3]);
  const double taps_per_cell = static_cast<double>(weight.dim(1) * weight.h() * weight.w());
  CONVLAB_TRY(check_trace_size("conv2d", cells * taps_per_cell, kMaxTraceSteps, "taps",
                               dims_text({out[0], out[1], out[2], out[3]}) + " output cells x " +
                                   dims_text({weight.dim(1), weight.h(), weight.w()}) + " taps each"));
  ConvTrace trace;
  trace.params = params;
  trace.input_shape = input.shape();
  trace.weight_shape = weight.shape();
  trace.output_shape = out;
  trace.padded = {static_cast<int>(input.h()) + params.padding.top + params.padding.bottom,
                  static_cast<int>(input.w()) + params.padding.left + params.padding.right};
  trace.output = Tensor(out);
  trace.steps.reserve(static_cast<size_t>(cells));
  for (int n = 0; n < out[0]; ++n)
    for (int o = 0; o < out[1]; ++o)
      for (int oy = 0; oy < out[2]; ++oy)
        for (int ox = 0; ox < out[3]; ++ox) {
          trace.steps.push_back(trace_conv_cell(input, weight, bias, params, n, o, oy, ox));
          trace.output.at(n, o, oy, ox) = trace.steps.back().result;
        }
  return trace;
}

// ---- conv_transpose2d -------------------------------------------------------

namespace {

// The scaled kernel of one input element, added into full_sum tap by tap in
// reference::conv_transpose2d's order (only where the kernel reaches, as the
// op does).
TconvIntermediate trace_tconv_element(const Tensor& input, const Tensor& weight,
                                      const ConvTranspose2dParams& params, Size2d full, int n, int o, int c,
                                      int iy, int ix, Tensor& full_sum) {
  TconvIntermediate step;
  step.batch = n;
  step.out_channel = o;
  step.channel = c;
  step.in_y = iy;
  step.in_x = ix;
  step.value = input.at(n, c, iy, ix);
  step.origin_y = iy * params.stride_h;
  step.origin_x = ix * params.stride_w;
  step.contribution = Tensor({full.h, full.w});
  for (int ky = 0; ky < weight.h(); ++ky)
    for (int kx = 0; kx < weight.w(); ++kx) {
      const int fy = step.origin_y + ky * params.dilation_h;
      const int fx = step.origin_x + kx * params.dilation_w;
      const float product = step.value * weight.at(c, o, ky, kx);
      step.contribution[int64_t{fy} * full.w + fx] = product;
      full_sum.at(n, o, fy, fx) += product;
    }
  return step;
}

}  // namespace

Result<TconvTrace> trace_conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                          const ConvTranspose2dParams& params) {
  if (params.groups != 1)
    return make_error("trace of conv_transpose2d: groups ", params.groups, " are not traced; valid: 1");
  auto shape = reference::conv_transpose2d_output_shape(input, weight, bias, params);
  if (!shape.ok()) return shape.error();
  const Shape& out = *shape;
  // The uncropped size includes output_padding, so cropping `padding` from
  // each side of it gives the output.
  const Size2d full{static_cast<int>(out[2]) + 2 * params.padding_h,
                    static_cast<int>(out[3]) + 2 * params.padding_w};
  const double count = static_cast<double>(input.n()) * static_cast<double>(out[1]) *
                       static_cast<double>(input.c()) * static_cast<double>(input.h()) *
                       static_cast<double>(input.w());
  CONVLAB_TRY(check_trace_size("conv_transpose2d", count, kMaxTraceSteps, "intermediates",
                               dims_text({input.n(), out[1], input.c(), input.h(), input.w()}) +
                                   " for N*O*C*H*W input elements and output channels"));
  CONVLAB_TRY(check_trace_size("conv_transpose2d", count * full.h * full.w, kMaxTraceValues,
                               "intermediate values",
                               std::to_string(static_cast<int64_t>(count)) + " intermediates of " +
                                   std::to_string(full.h) + "x" + std::to_string(full.w)));
  TconvTrace trace;
  trace.params = params;
  trace.input_shape = input.shape();
  trace.weight_shape = weight.shape();
  trace.output_shape = out;
  trace.full = full;
  trace.crop_top = params.padding_h;
  trace.crop_left = params.padding_w;
  trace.full_sum = Tensor({out[0], out[1], full.h, full.w});
  trace.intermediates.reserve(static_cast<size_t>(count));
  for (int n = 0; n < out[0]; ++n)
    for (int o = 0; o < out[1]; ++o)
      for (int c = 0; c < input.c(); ++c)
        for (int iy = 0; iy < input.h(); ++iy)
          for (int ix = 0; ix < input.w(); ++ix)
            trace.intermediates.push_back(
                trace_tconv_element(input, weight, params, full, n, o, c, iy, ix, trace.full_sum));
  trace.output = Tensor(out);
  for (int n = 0; n < out[0]; ++n)
    for (int o = 0; o < out[1]; ++o)
      for (int y = 0; y < out[2]; ++y)
        for (int x = 0; x < out[3]; ++x) {
          const float sum = trace.full_sum.at(n, o, y + trace.crop_top, x + trace.crop_left);
          trace.output.at(n, o, y, x) = bias ? sum + (*bias)[o] : sum;
        }
  return trace;
}

// ---- batch norm -------------------------------------------------------------

Result<BatchNormTrace> trace_batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                          const Tensor& running_mean, const Tensor& running_var,
                                          const BatchNormParams& params) {
  CONVLAB_TRY(reference::batch_norm_check(input, weight, bias, running_mean, running_var, params));
  // The batch statistics are shown in eval mode too, next to the running
  // ones that eval actually uses.
  auto computed = reference::batch_norm_statistics(input);
  if (!computed.ok()) return computed.error();
  const reference::ChannelStatistics& stats = *computed;
  BatchNormTrace trace;
  trace.params = params;
  trace.normalized = Tensor(input.shape());
  trace.output = Tensor(input.shape());
  for (int c = 0; c < input.c(); ++c) {
    BatchNormChannelTrace ch;
    ch.channel = c;
    ch.count = stats.count;
    ch.mean = stats.mean[c];
    ch.biased_var = stats.biased_var[c];
    ch.unbiased_var = stats.unbiased_var[c];
    ch.used_mean = params.training ? ch.mean : running_mean[c];
    ch.used_var = params.training ? ch.biased_var : running_var[c];
    ch.inv_std = reference::batch_norm_inv_std(ch.used_var, params.eps);
    ch.gamma = weight[c];
    ch.beta = bias[c];
    ch.running_mean_before = ch.running_mean_after = running_mean[c];
    ch.running_var_before = ch.running_var_after = running_var[c];
    if (params.training) {
      ch.running_mean_after =
          reference::batch_norm_running_update(ch.running_mean_before, ch.mean, params.momentum);
      ch.running_var_after =
          reference::batch_norm_running_update(ch.running_var_before, ch.unbiased_var, params.momentum);
    }
    for (int64_t n = 0; n < input.n(); ++n)
      for (int64_t y = 0; y < input.h(); ++y)
        for (int64_t x = 0; x < input.w(); ++x) {
          const float normalized =
              reference::batch_norm_normalize(input.at(n, c, y, x), ch.used_mean, ch.inv_std);
          trace.normalized.at(n, c, y, x) = normalized;
          trace.output.at(n, c, y, x) = reference::batch_norm_scale_shift(normalized, ch.gamma, ch.beta);
        }
    trace.channels.push_back(ch);
  }
  return trace;
}

}  // namespace convlab
