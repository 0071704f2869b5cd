#include "core/explore/trace_export.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <sstream>

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
  std::from_chars(text.data(), text.data() + text.size(), widened);
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

}  // namespace convlab::explore
