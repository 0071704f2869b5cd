#include "core/explore/trace_export.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/number_text.h"
#include "core/explore/step_text.h"

namespace convlab::explore {

namespace {

using Json = nlohmann::ordered_json;  // keeps keys in the documented, readable order

// nlohmann writes a float widened to double (0.1f -> 0.10000000149011612);
// going through the float's shortest text gives the double that prints as
// "0.1" and still converts back to the same float.
double readable(float value) {
  const std::string text = format_value(value);
  double widened = 0.0;
  parse_number(text, widened);
  return widened;
}

}  // namespace

std::string trace_to_csv(const ConvTrace& trace) {
  std::ostringstream out;
  out << "step,kind,out_channel,out_y,out_x,channel,ky,kx,padded_y,padded_x,on_padding,input,weight,product,"
         "running_sum,bias,result\n";
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    const ConvStep& step = trace.steps[i];
    const std::string cell = std::to_string(step.out_channel) + ',' + std::to_string(step.out_y) + ',' +
                             std::to_string(step.out_x);
    for (const ConvTap& tap : step.taps) {
      out << i << ",tap," << cell << ',' << tap.channel << ',' << tap.ky << ',' << tap.kx << ','
          << tap.padded_y << ',' << tap.padded_x << ',' << (tap.on_padding ? 1 : 0) << ','
          << format_value(tap.input) << ',' << format_value(tap.weight) << ',' << format_value(tap.product)
          << ',' << format_value(tap.running_sum) << ",,\n";
    }
    const float sum = step.taps.empty() ? 0.0f : step.taps.back().running_sum;
    out << i << ",output," << cell << ",,,,,,,,,," << format_value(sum) << ',' << format_value(step.bias)
        << ',' << format_value(step.result) << '\n';
  }
  return out.str();
}

std::string trace_to_json(const ConvTrace& trace, int indent) {
  const Conv2dParams& p = trace.params;
  Json root;
  root["op"] = "conv2d";
  root["params"] = {{"stride_h", p.stride_h},
                    {"stride_w", p.stride_w},
                    {"padding",
                     {{"top", p.padding.top},
                      {"bottom", p.padding.bottom},
                      {"left", p.padding.left},
                      {"right", p.padding.right}}},
                    {"dilation_h", p.dilation_h},
                    {"dilation_w", p.dilation_w}};
  root["input_shape"] = trace.input_shape;
  root["weight_shape"] = trace.weight_shape;
  root["output_shape"] = trace.output_shape;
  root["padded"] = {{"h", trace.padded.h}, {"w", trace.padded.w}};
  Json steps = Json::array();
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    const ConvStep& step = trace.steps[i];
    Json taps = Json::array();
    for (const ConvTap& t : step.taps)
      taps.push_back({{"channel", t.channel},
                      {"ky", t.ky},
                      {"kx", t.kx},
                      {"padded_y", t.padded_y},
                      {"padded_x", t.padded_x},
                      {"input_y", t.input_y},
                      {"input_x", t.input_x},
                      {"on_padding", t.on_padding},
                      {"input", readable(t.input)},
                      {"weight", readable(t.weight)},
                      {"product", readable(t.product)},
                      {"running_sum", readable(t.running_sum)}});
    steps.push_back({{"step", i},
                     {"out_channel", step.out_channel},
                     {"out_y", step.out_y},
                     {"out_x", step.out_x},
                     {"bias", readable(step.bias)},
                     {"result", readable(step.result)},
                     {"taps", std::move(taps)}});
  }
  root["steps"] = std::move(steps);
  return root.dump(indent);
}

// ---- conv_transpose2d ---------------------------------------------------------

std::string tconv_trace_to_csv(const TconvTrace& trace, const Tensor& weight, const Tensor* bias) {
  const ConvTranspose2dParams& p = trace.params;
  const int out_h = static_cast<int>(trace.output_shape[2]), out_w = static_cast<int>(trace.output_shape[3]);
  std::ostringstream out;
  out << "intermediate,kind,out_channel,channel,in_y,in_x,input,ky,kx,full_y,full_x,weight,product,cell_sum,"
         "out_y,out_x,bias,result\n";
  // The sums so far, rebuilt in the trace's order (the op's), so the last
  // value of each cell is the trace's full_sum.
  Tensor sums(trace.full_sum.shape());
  for (size_t i = 0; i < trace.intermediates.size(); ++i) {
    const TconvIntermediate& m = trace.intermediates[i];
    for (int ky = 0; ky < weight.h(); ++ky)
      for (int kx = 0; kx < weight.w(); ++kx) {
        const int fy = m.origin_y + ky * p.dilation_h, fx = m.origin_x + kx * p.dilation_w;
        const float product = m.contribution[int64_t{fy} * trace.full.w + fx];
        float& sum = sums.at(m.batch, m.out_channel, fy, fx);
        sum += product;
        const int oy = fy - trace.crop_top, ox = fx - trace.crop_left;
        const bool kept = oy >= 0 && oy < out_h && ox >= 0 && ox < out_w;
        out << i << ",tap," << m.out_channel << ',' << m.channel << ',' << m.in_y << ',' << m.in_x << ','
            << format_value(m.value) << ',' << ky << ',' << kx << ',' << fy << ',' << fx << ','
            << format_value(weight.at(m.channel, m.out_channel, ky, kx)) << ',' << format_value(product)
            << ',' << format_value(sum) << ',' << (kept ? std::to_string(oy) : "") << ','
            << (kept ? std::to_string(ox) : "") << ",,\n";
      }
  }
  for (int64_t n = 0; n < trace.output_shape[0]; ++n)
    for (int o = 0; o < trace.output_shape[1]; ++o)
      for (int y = 0; y < out_h; ++y)
        for (int x = 0; x < out_w; ++x) {
          const int fy = y + trace.crop_top, fx = x + trace.crop_left;
          out << ",output," << o << ",,,,,,," << fy << ',' << fx << ",,,"
              << format_value(trace.full_sum.at(n, o, fy, fx)) << ',' << y << ',' << x << ','
              << format_value(bias ? (*bias)[o] : 0.0f) << ',' << format_value(trace.output.at(n, o, y, x))
              << '\n';
        }
  return out.str();
}

std::string tconv_trace_to_json(const TconvTrace& trace, const Tensor& weight, const Tensor* bias,
                                int indent) {
  const ConvTranspose2dParams& p = trace.params;
  auto numbers = [](const std::vector<float>& values) {
    Json list = Json::array();
    for (float v : values) list.push_back(readable(v));
    return list;
  };
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
  root["input_shape"] = trace.input_shape;
  root["weight_shape"] = trace.weight_shape;
  root["output_shape"] = trace.output_shape;
  root["full"] = {{"h", trace.full.h}, {"w", trace.full.w}};
  root["crop"] = {{"top", trace.crop_top}, {"left", trace.crop_left}};
  root["bias"] = bias ? numbers(bias->values()) : numbers(std::vector<float>(trace.output_shape[1], 0.0f));
  Json intermediates = Json::array();
  for (size_t i = 0; i < trace.intermediates.size(); ++i) {
    const TconvIntermediate& m = trace.intermediates[i];
    Json taps = Json::array();
    for (int ky = 0; ky < weight.h(); ++ky)
      for (int kx = 0; kx < weight.w(); ++kx) {
        const int fy = m.origin_y + ky * p.dilation_h, fx = m.origin_x + kx * p.dilation_w;
        taps.push_back({{"ky", ky},
                        {"kx", kx},
                        {"full_y", fy},
                        {"full_x", fx},
                        {"weight", readable(weight.at(m.channel, m.out_channel, ky, kx))},
                        {"product", readable(m.contribution[int64_t{fy} * trace.full.w + fx])}});
      }
    intermediates.push_back({{"intermediate", i},
                             {"out_channel", m.out_channel},
                             {"channel", m.channel},
                             {"in_y", m.in_y},
                             {"in_x", m.in_x},
                             {"input", readable(m.value)},
                             {"origin_y", m.origin_y},
                             {"origin_x", m.origin_x},
                             {"taps", std::move(taps)}});
  }
  root["intermediates"] = std::move(intermediates);
  root["full_sum"] = numbers(trace.full_sum.values());
  root["output"] = numbers(trace.output.values());
  return root.dump(indent);
}

// ---- batch norm -------------------------------------------------------------------

std::string batch_norm_trace_to_csv(const BatchNormTrace& trace, const Tensor& input) {
  std::ostringstream out;
  out << "kind,channel,n,y,x,input,normalized,output,count,mean,biased_var,unbiased_var,used_mean,used_var,"
         "inv_std,gamma,beta,running_mean_before,running_var_before,running_mean_after,running_var_after\n";
  for (const BatchNormChannelTrace& ch : trace.channels) {
    out << "channel," << ch.channel << ",,,,,,," << ch.count << ',' << format_value(ch.mean) << ','
        << format_value(ch.biased_var) << ',' << format_value(ch.unbiased_var) << ','
        << format_value(ch.used_mean) << ',' << format_value(ch.used_var) << ',' << format_value(ch.inv_std)
        << ',' << format_value(ch.gamma) << ',' << format_value(ch.beta) << ','
        << format_value(ch.running_mean_before) << ',' << format_value(ch.running_var_before) << ','
        << format_value(ch.running_mean_after) << ',' << format_value(ch.running_var_after) << '\n';
    for (int64_t n = 0; n < input.n(); ++n)
      for (int64_t y = 0; y < input.h(); ++y)
        for (int64_t x = 0; x < input.w(); ++x)
          out << "value," << ch.channel << ',' << n << ',' << y << ',' << x << ','
              << format_value(input.at(n, ch.channel, y, x)) << ','
              << format_value(trace.normalized.at(n, ch.channel, y, x)) << ','
              << format_value(trace.output.at(n, ch.channel, y, x)) << ",,,,,,,,,,,,,\n";
  }
  return out.str();
}

std::string batch_norm_trace_to_json(const BatchNormTrace& trace, const Tensor& input, int indent) {
  // NaN has no JSON number: null says "undefined" (one value per channel).
  auto number = [](float value) { return std::isnan(value) ? Json(nullptr) : Json(readable(value)); };
  Json root;
  root["op"] = "batch_norm2d";
  root["params"] = {{"training", trace.params.training},
                    {"momentum", readable(trace.params.momentum)},
                    {"eps", readable(trace.params.eps)}};
  root["input_shape"] = input.shape();
  Json channels = Json::array();
  for (const BatchNormChannelTrace& ch : trace.channels) {
    Json values = Json::array(), normalized = Json::array(), output = Json::array();
    for (int64_t n = 0; n < input.n(); ++n)
      for (int64_t y = 0; y < input.h(); ++y)
        for (int64_t x = 0; x < input.w(); ++x) {
          values.push_back(number(input.at(n, ch.channel, y, x)));
          normalized.push_back(number(trace.normalized.at(n, ch.channel, y, x)));
          output.push_back(number(trace.output.at(n, ch.channel, y, x)));
        }
    channels.push_back({{"channel", ch.channel},
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
                        {"running_var_after", number(ch.running_var_after)},
                        {"input", std::move(values)},
                        {"normalized", std::move(normalized)},
                        {"output", std::move(output)}});
  }
  root["channels"] = std::move(channels);
  return root.dump(indent);
}

}  // namespace convlab::explore
