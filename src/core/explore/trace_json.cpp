#include "core/explore/trace_json.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <span>

#include "core/base/number_text.h"
#include "core/explore/step_text.h"

namespace convlab::explore {

namespace {

using Json = nlohmann::ordered_json;  // keeps keys in the documented, readable order

// nlohmann writes a float widened to double (0.1f -> 0.10000000149011612);
// going through the float's shortest text gives the double that prints as
// "0.1" and still converts back to the same float. NaN has no JSON number:
// null says "undefined" (a batch-norm channel of one value).
Json number(float value) {
  if (std::isnan(value)) return nullptr;
  double widened = 0.0;
  parse_number(format_value(value), widened);
  return widened;
}

Json numbers(std::span<const float> values) {
  Json list = Json::array();
  for (float v : values) list.push_back(number(v));
  return list;
}

Json tensor_json(const Tensor& t) { return {{"shape", t.shape()}, {"values", numbers(t.values())}}; }
Json optional_tensor(const Tensor* t) { return t ? tensor_json(*t) : Json(nullptr); }
Json size_json(Size2d s) { return {{"h", s.h}, {"w", s.w}}; }

// A sliding window's settings, as conv2d and the pools share them.
Json window_json(const Conv2dParams& p) {
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

Json step_range_json(StepRange range, size_t total) {
  return {{"first", range.first}, {"last", range.last < 0 ? static_cast<int64_t>(total) : range.last}};
}

// The fields every trace starts with after its params.
void put_shapes(Json& root, const std::vector<int64_t>& input, const std::vector<int64_t>& weight,
                const std::vector<int64_t>& output) {
  root["input_shape"] = input;
  root["weight_shape"] = weight;
  root["output_shape"] = output;
}

void put_inputs(Json& root, const TraceInputs& inputs, bool batch_norm) {
  root["input"] = optional_tensor(inputs.input);
  root["weight"] = optional_tensor(inputs.weight);
  root["bias"] = optional_tensor(inputs.bias);
  if (!batch_norm) return;
  root["running_mean"] = optional_tensor(inputs.running_mean);
  root["running_var"] = optional_tensor(inputs.running_var);
}

void put_step_count(Json& root, StepRange range, size_t total) {
  root["step_count"] = total;
  root["step_range"] = step_range_json(range, total);
}

Json tap_json(const ConvTap& t) {
  return {{"channel", t.channel},
          {"ky", t.ky},
          {"kx", t.kx},
          {"padded_y", t.padded_y},
          {"padded_x", t.padded_x},
          {"input_y", t.input_y},
          {"input_x", t.input_x},
          {"on_padding", t.on_padding},
          {"input", number(t.input)},
          {"weight", number(t.weight)},
          {"product", number(t.product)},
          {"running_sum", number(t.running_sum)}};
}

// Where each kernel tap of intermediate `m` lands in the uncropped sum.
Json tconv_taps_json(const TconvTrace& trace, const TconvIntermediate& m, const Tensor& weight) {
  Json taps = Json::array();
  for (int ky = 0; ky < weight.h(); ++ky)
    for (int kx = 0; kx < weight.w(); ++kx) {
      const int fy = m.origin_y + ky * trace.params.dilation_h,
                fx = m.origin_x + kx * trace.params.dilation_w;
      taps.push_back({{"ky", ky},
                      {"kx", kx},
                      {"full_y", fy},
                      {"full_x", fx},
                      {"weight", number(weight.at(m.channel, m.out_channel, ky, kx))},
                      {"product", number(m.contribution[int64_t{fy} * trace.full.w + fx])}});
    }
  return taps;
}

}  // namespace

std::string conv_trace_json(const ConvTrace& trace, const TraceInputs& inputs, StepRange range, int indent) {
  const Conv2dParams& p = trace.params;
  Json root;
  root["op"] = "conv2d";
  root["params"] = window_json(p);
  put_shapes(root, trace.input_shape, trace.weight_shape, trace.output_shape);
  root["padded"] = size_json(trace.padded);
  put_inputs(root, inputs, false);
  put_step_count(root, range, trace.steps.size());
  Json steps = Json::array();
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const ConvStep& s = trace.steps[i];
    Json taps = Json::array();
    for (const ConvTap& tap : s.taps) taps.push_back(tap_json(tap));
    steps.push_back({{"index", i},
                     {"batch", s.batch},
                     {"out_channel", s.out_channel},
                     {"out_y", s.out_y},
                     {"out_x", s.out_x},
                     {"bias", number(s.bias)},
                     {"result", number(s.result)},
                     {"taps", std::move(taps)}});
  }
  root["steps"] = std::move(steps);
  root["output"] = tensor_json(trace.output);
  return root.dump(indent);
}

std::string tconv_trace_json(const TconvTrace& trace, const TraceInputs& inputs, StepRange range,
                             int indent) {
  const ConvTranspose2dParams& p = trace.params;
  Json root;
  root["op"] = "conv_transpose2d";
  root["params"] = {{"stride_h", p.stride_h},
                    {"stride_w", p.stride_w},
                    {"padding_h", p.padding_h},
                    {"padding_w", p.padding_w},
                    {"output_padding_h", p.output_padding_h},
                    {"output_padding_w", p.output_padding_w},
                    {"dilation_h", p.dilation_h},
                    {"dilation_w", p.dilation_w}};
  put_shapes(root, trace.input_shape, trace.weight_shape, trace.output_shape);
  root["full"] = size_json(trace.full);
  root["crop_top"] = trace.crop_top;
  root["crop_left"] = trace.crop_left;
  put_inputs(root, inputs, false);
  put_step_count(root, range, trace.intermediates.size());
  Json intermediates = Json::array();
  for (size_t i = 0; i < trace.intermediates.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const TconvIntermediate& m = trace.intermediates[i];
    Json item = {{"index", i},
                 {"batch", m.batch},
                 {"out_channel", m.out_channel},
                 {"channel", m.channel},
                 {"in_y", m.in_y},
                 {"in_x", m.in_x},
                 {"value", number(m.value)},
                 {"origin_y", m.origin_y},
                 {"origin_x", m.origin_x}};
    if (inputs.weight) item["taps"] = tconv_taps_json(trace, m, *inputs.weight);
    item["contribution"] = tensor_json(m.contribution);
    intermediates.push_back(std::move(item));
  }
  root["intermediates"] = std::move(intermediates);
  root["full_sum"] = tensor_json(trace.full_sum);
  root["output"] = tensor_json(trace.output);
  return root.dump(indent);
}

std::string pool_trace_json(const PoolTrace& trace, const TraceInputs& inputs, StepRange range, int indent) {
  const PoolOptions& o = trace.options;
  const bool average = o.kind == PoolKind::Average;
  Json root;
  root["op"] = average ? "avg_pool2d" : "max_pool2d";
  Json params = {{"kernel_h", o.kernel.h}, {"kernel_w", o.kernel.w}};
  const Json window = window_json(o.params.window);
  for (auto it = window.begin(); it != window.end(); ++it) params[it.key()] = it.value();
  params["ceil_mode"] = o.params.ceil_mode;
  if (average) params["count_include_pad"] = o.count_include_pad;
  root["params"] = std::move(params);
  root["input_shape"] = trace.input_shape;
  root["output_shape"] = trace.output_shape;
  root["padded"] = size_json(trace.padded);
  root["input"] = optional_tensor(inputs.input);
  put_step_count(root, range, trace.steps.size());
  Json steps = Json::array();
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const PoolStep& s = trace.steps[i];
    Json taps = Json::array();
    for (const PoolTap& t : s.taps) {
      Json tap = {{"ky", t.ky},
                  {"kx", t.kx},
                  {"padded_y", t.padded_y},
                  {"padded_x", t.padded_x},
                  {"input_y", t.input_y},
                  {"input_x", t.input_x},
                  {"on_padding", t.on_padding}};
      if (average) tap["counted"] = t.counted;
      tap["input"] = number(t.input);
      taps.push_back(std::move(tap));
    }
    Json step = {{"index", i},       {"batch", s.batch}, {"channel", s.channel},
                 {"out_y", s.out_y}, {"out_x", s.out_x}, {"result", number(s.result)}};
    if (average) {
      step["sum"] = number(s.sum);
      step["count"] = s.count;
    } else {
      step["chosen"] = s.chosen;
    }
    step["taps"] = std::move(taps);
    steps.push_back(std::move(step));
  }
  root["steps"] = std::move(steps);
  root["output"] = tensor_json(trace.output);
  return root.dump(indent);
}

std::string batch_norm_trace_json(const BatchNormTrace& trace, const TraceInputs& inputs, StepRange range,
                                  int indent) {
  Json root;
  root["op"] = "batch_norm2d";
  root["params"] = {{"training", trace.params.training},
                    {"momentum", number(trace.params.momentum)},
                    {"eps", number(trace.params.eps)}};
  root["input_shape"] = trace.output.shape();  // batch norm keeps the shape
  put_inputs(root, inputs, true);
  put_step_count(root, range, trace.channels.size());
  const Tensor& out = trace.output;
  Json channels = Json::array();
  for (size_t i = 0; i < trace.channels.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const BatchNormChannelTrace& ch = trace.channels[i];
    Json values = Json::array(), normalized = Json::array(), output = Json::array();
    for (int64_t n = 0; n < out.n(); ++n)
      for (int64_t y = 0; y < out.h(); ++y)
        for (int64_t x = 0; x < out.w(); ++x) {
          if (inputs.input) values.push_back(number(inputs.input->at(n, ch.channel, y, x)));
          normalized.push_back(number(trace.normalized.at(n, ch.channel, y, x)));
          output.push_back(number(out.at(n, ch.channel, y, x)));
        }
    Json item = {{"channel", ch.channel},
                 {"count", ch.count},
                 {"mean", number(ch.mean)},
                 {"biased_var", number(ch.biased_var)},
                 {"unbiased_var", number(ch.unbiased_var)},
                 {"used_mean", number(ch.used_mean)},
                 {"used_var", number(ch.used_var)},
                 {"inv_std", number(ch.inv_std)},
                 {"gamma", number(ch.gamma)},
                 {"beta", number(ch.beta)},
                 {"running_mean_before", number(ch.running_mean_before)},
                 {"running_var_before", number(ch.running_var_before)},
                 {"running_mean_after", number(ch.running_mean_after)},
                 {"running_var_after", number(ch.running_var_after)}};
    if (inputs.input) item["input"] = std::move(values);
    item["normalized"] = std::move(normalized);
    item["output"] = std::move(output);
    channels.push_back(std::move(item));
  }
  root["channels"] = std::move(channels);
  root["normalized"] = tensor_json(trace.normalized);
  root["output"] = tensor_json(trace.output);
  return root.dump(indent);
}

}  // namespace convlab::explore
