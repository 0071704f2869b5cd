// JSON for `convlab trace --json`: every field of the trace structs, with
// the struct's own field names, and tensors as {"shape": [...], "values": [...]}
// (row-major), so a script can check each number against another framework.
#include "cli/trace_output.h"

namespace convlab::cli {

namespace {

using nlohmann::json;

json tensor_json(const Tensor& t) { return {{"shape", t.shape()}, {"values", t.values()}}; }
json optional_tensor(const Tensor* t) { return t ? tensor_json(*t) : json(nullptr); }
json size_json(Size2d s) { return {{"h", s.h}, {"w", s.w}}; }

json conv_params_json(const Conv2dParams& p) {
  return {{"stride_h", p.stride_h},
          {"stride_w", p.stride_w},
          {"padding",
           {{"top", p.padding.top},
            {"bottom", p.padding.bottom},
            {"left", p.padding.left},
            {"right", p.padding.right}}},
          {"dilation_h", p.dilation_h},
          {"dilation_w", p.dilation_w}};
}

json tconv_params_json(const ConvTranspose2dParams& p) {
  return {{"stride_h", p.stride_h},
          {"stride_w", p.stride_w},
          {"padding_h", p.padding_h},
          {"padding_w", p.padding_w},
          {"output_padding_h", p.output_padding_h},
          {"output_padding_w", p.output_padding_w},
          {"dilation_h", p.dilation_h},
          {"dilation_w", p.dilation_w}};
}

json tap_json(const ConvTap& t) {
  return {{"channel", t.channel},
          {"ky", t.ky},
          {"kx", t.kx},
          {"padded_y", t.padded_y},
          {"padded_x", t.padded_x},
          {"input_y", t.input_y},
          {"input_x", t.input_x},
          {"on_padding", t.on_padding},
          {"input", t.input},
          {"weight", t.weight},
          {"product", t.product},
          {"running_sum", t.running_sum}};
}

// Steps outside the requested range are left out; "index" keeps each step's
// position in the full list.
json step_range_json(StepRange range, size_t total) {
  return {{"first", range.first}, {"last", range.last < 0 ? static_cast<int64_t>(total) : range.last}};
}

}  // namespace

json conv_json(const ConvTrace& trace, const TraceInputs& inputs, StepRange range) {
  json steps = json::array();
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const ConvStep& s = trace.steps[i];
    json taps = json::array();
    for (const ConvTap& tap : s.taps) taps.push_back(tap_json(tap));
    steps.push_back({{"index", i},
                     {"batch", s.batch},
                     {"out_channel", s.out_channel},
                     {"out_y", s.out_y},
                     {"out_x", s.out_x},
                     {"taps", std::move(taps)},
                     {"bias", s.bias},
                     {"result", s.result}});
  }
  return {{"op", "conv2d"},
          {"params", conv_params_json(trace.params)},
          {"input_shape", trace.input_shape},
          {"weight_shape", trace.weight_shape},
          {"output_shape", trace.output_shape},
          {"padded", size_json(trace.padded)},
          {"input", optional_tensor(inputs.input)},
          {"weight", optional_tensor(inputs.weight)},
          {"bias", optional_tensor(inputs.bias)},
          {"step_count", trace.steps.size()},
          {"step_range", step_range_json(range, trace.steps.size())},
          {"steps", std::move(steps)},
          {"output", tensor_json(trace.output)}};
}

json tconv_json(const TconvTrace& trace, const TraceInputs& inputs, StepRange range) {
  json intermediates = json::array();
  for (size_t i = 0; i < trace.intermediates.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const TconvIntermediate& m = trace.intermediates[i];
    intermediates.push_back({{"index", i},
                             {"batch", m.batch},
                             {"out_channel", m.out_channel},
                             {"channel", m.channel},
                             {"in_y", m.in_y},
                             {"in_x", m.in_x},
                             {"value", m.value},
                             {"origin_y", m.origin_y},
                             {"origin_x", m.origin_x},
                             {"contribution", tensor_json(m.contribution)}});
  }
  return {{"op", "conv_transpose2d"},
          {"params", tconv_params_json(trace.params)},
          {"input_shape", trace.input_shape},
          {"weight_shape", trace.weight_shape},
          {"output_shape", trace.output_shape},
          {"full", size_json(trace.full)},
          {"input", optional_tensor(inputs.input)},
          {"weight", optional_tensor(inputs.weight)},
          {"bias", optional_tensor(inputs.bias)},
          {"step_count", trace.intermediates.size()},
          {"step_range", step_range_json(range, trace.intermediates.size())},
          {"intermediates", std::move(intermediates)},
          {"full_sum", tensor_json(trace.full_sum)},
          {"crop_top", trace.crop_top},
          {"crop_left", trace.crop_left},
          {"output", tensor_json(trace.output)}};
}

json bn_json(const BatchNormTrace& trace, const TraceInputs& inputs, StepRange range) {
  json channels = json::array();
  for (size_t i = 0; i < trace.channels.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const BatchNormChannelTrace& c = trace.channels[i];
    channels.push_back({{"channel", c.channel},
                        {"count", c.count},
                        {"mean", c.mean},
                        {"biased_var", c.biased_var},
                        {"unbiased_var", c.unbiased_var},
                        {"used_mean", c.used_mean},
                        {"used_var", c.used_var},
                        {"inv_std", c.inv_std},
                        {"gamma", c.gamma},
                        {"beta", c.beta},
                        {"running_mean_before", c.running_mean_before},
                        {"running_var_before", c.running_var_before},
                        {"running_mean_after", c.running_mean_after},
                        {"running_var_after", c.running_var_after}});
  }
  return {
      {"op", "batch_norm"},
      {"params",
       {{"training", trace.params.training}, {"momentum", trace.params.momentum}, {"eps", trace.params.eps}}},
      {"input", optional_tensor(inputs.input)},
      {"weight", optional_tensor(inputs.weight)},
      {"bias", optional_tensor(inputs.bias)},
      {"running_mean", optional_tensor(inputs.running_mean)},
      {"running_var", optional_tensor(inputs.running_var)},
      {"step_count", trace.channels.size()},
      {"step_range", step_range_json(range, trace.channels.size())},
      {"channels", std::move(channels)},
      {"normalized", tensor_json(trace.normalized)},
      {"output", tensor_json(trace.output)}};
}

}  // namespace convlab::cli
