// The convolution explorer's pool modes (operation=maxpool|avgpool): outputs
// against reference::pool2d over a sweep of settings, the step texts word for
// word, settings that round-trip or are refused naming the setting, the hover
// index and the CSV / JSON exports.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/explore/explorer.h"
#include "core/explore/settings_text.h"
#include "core/explore/step_text.h"
#include "core/explore/trace_export.h"
#include "core/explore/trace_json.h"
#include "core/ops/pool.h"

using namespace convlab;
using namespace convlab::explore;

namespace {

void set(ConvExplorer& e, const std::string& assignment) {
  const Status status = apply_setting(e, assignment);
  REQUIRE_MESSAGE(status.ok(), assignment << ": " << (status.ok() ? "" : status.message()));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Equal values, NaN equal to NaN (a dilated window wholly on uncounted padding is 0 / 0).
bool same_values(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// The classic teaching case: a 4x4 'numbers' input (0..15), a 2x2 window, stride 2.
ConvExplorer classic(const char* operation) {
  ConvExplorer e;
  set(e, "input=4x4");
  set(e, "kernel=2x2");
  set(e, "stride=2");
  set(e, std::string("operation=") + operation);
  return e;
}

std::string step_text(ConvExplorer& e, int step) {
  e.set_step(step);
  return e.current_arithmetic();
}

std::string step_note(ConvExplorer& e, int step) {
  e.set_step(step);
  return e.current_note();
}

}  // namespace

TEST_CASE("pool modes: the classic 2x2 stride-2 example, by hand") {
  ConvExplorer max = classic("maxpool");
  REQUIRE(max.has_output());
  CHECK(max.pooling());
  CHECK(max.geometry().output == Size2d{2, 2});
  CHECK(max.output().shape() == Shape{1, 1, 2, 2});
  CHECK(max.output().values() == std::vector<float>{5, 7, 13, 15});
  CHECK(max.step_count() == 4);
  CHECK(max.current_step() == nullptr);  // no convolution step while pooling
  REQUIRE(max.current_pool_step() != nullptr);
  CHECK(max.current_pool_step()->chosen == 3);  // 5, bottom right of the first window

  ConvExplorer average = classic("avgpool");
  CHECK(average.output().values() == std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f});

  // Back to convolution: the filters were kept (3x3 sharpen resized to 2x2
  // lost its preset, so the values are whatever the resize kept).
  set(average, "operation=conv");
  CHECK_FALSE(average.pooling());
  CHECK(average.current_pool_step() == nullptr);
  REQUIRE(average.current_step() != nullptr);
  CHECK(average.output().values() ==
        reference::conv2d(average.input_tensor(), average.weight_tensor(), nullptr, average.geometry().params)
            .value()
            .values());
}

TEST_CASE("pool modes: the output is reference::pool2d's for a sweep of settings") {
  int with_output = 0, without = 0;
  for (const char* operation : {"maxpool", "avgpool"})
    for (const char* input : {"1x1", "4x4", "5x7", "8x8"})
      for (const char* kernel : {"1x1", "2x2", "3x3", "2x3", "4x4"})
        for (const char* padding : {"valid", "same", "full", "1", "0,1,1,0", "2"})
          for (const char* stride : {"1", "2", "3,1"})
            for (const char* dilation : {"1", "2,1"})
              for (bool ceil_mode : {false, true})
                for (bool include_pad : {true, false}) {
                  ConvExplorer e;
                  set(e, "in_channels=2");
                  set(e, "seed=5");
                  set(e, "input_preset=random");
                  for (const std::string& line :
                       {std::string("operation=") + operation, std::string("input=") + input,
                        std::string("kernel=") + kernel, std::string("padding=") + padding,
                        std::string("stride=") + stride, std::string("dilation=") + dilation,
                        std::string("ceil_mode=") + (ceil_mode ? "on" : "off"),
                        std::string("count_include_pad=") + (include_pad ? "on" : "off")})
                    set(e, line);
                  CAPTURE(describe_state(e));
                  // The options written out here from the settings, not taken from the explorer.
                  const ExploreSettings& s = e.settings();
                  PoolOptions o;
                  o.kind = s.operation == ConvOperation::MaxPool ? PoolKind::Max : PoolKind::Average;
                  o.kernel = {s.kernel_h, s.kernel_w};
                  o.count_include_pad = include_pad;
                  o.params.ceil_mode = ceil_mode;
                  o.params.window.stride_h = s.stride_h;
                  o.params.window.stride_w = s.stride_w;
                  o.params.window.dilation_h = s.dilation_h;
                  o.params.window.dilation_w = s.dilation_w;
                  if (s.padding_preset == PaddingPreset::Custom) {
                    o.params.window.padding = s.custom_padding;
                  } else {
                    auto resolved = resolve_padding(s.padding_preset, {s.input_h, s.input_w}, o.kernel,
                                                    s.stride_h, s.stride_w, s.dilation_h, s.dilation_w);
                    REQUIRE(resolved.ok());
                    o.params.window.padding = *resolved;
                  }
                  auto expected = reference::pool2d(e.input_tensor(), o);
                  if (!expected.ok()) {
                    ++without;
                    CHECK_FALSE(e.has_output());
                    CHECK(e.reason() == expected.message());
                    CHECK(e.step_count() == 0);
                    CHECK(e.current_pool_step() == nullptr);
                    CHECK(e.current_arithmetic().empty());
                    continue;
                  }
                  ++with_output;
                  REQUIRE(e.has_output());
                  CHECK(e.output().shape() == expected->shape());
                  CHECK(same_values(e.output().values(), expected->values()));
                  CHECK(same_values(e.pool_trace().output.values(), expected->values()));
                  CHECK(e.geometry().formula == pool2d_formula({s.input_h, s.input_w}, o.kernel, o.params));
                  CHECK(e.output_channels() == 2);
                  REQUIRE(e.step_count() == static_cast<int>(expected->values().size()));
                  CHECK(e.trace().steps.empty());  // the convolution's trace is not built
                  // Steps go channel by channel, row-major; each is its output cell.
                  const Size2d out = e.geometry().output;
                  for (int i = 0; i < e.step_count(); i += 3) {
                    e.set_step(i);
                    const PoolStep& step = *e.current_pool_step();
                    CHECK(i == (step.channel * out.h + step.out_y) * out.w + step.out_x);
                    CHECK(e.step_of_cell(step.channel, step.out_y, step.out_x) == i);
                    CHECK(
                        same_values({step.result}, {expected->at(0, step.channel, step.out_y, step.out_x)}));
                  }
                }
  MESSAGE("pool sweep: " << with_output << " with output, " << without << " refused");
  CHECK(with_output > 1000);
  CHECK(without > 100);
}

TEST_CASE("pool modes: each step's arithmetic and note, word for word") {
  ConvExplorer max = classic("maxpool");
  CHECK(step_text(max, 0) == "max(0, 1, 4, 5) = 5");
  CHECK(step_text(max, 3) == "max(10, 11, 14, 15) = 15");
  CHECK(step_note(max, 3) == "Max pooling keeps the window's largest value (highlighted).");

  ConvExplorer average = classic("avgpool");
  CHECK(step_text(average, 0) == "(0 + 1 + 4 + 5) / 4 = 10 / 4 = 2.5");
  CHECK(step_note(average, 0) ==
        "Average pooling: the sum of the window's values divided by their count, 4.");

  // Padding 1 around the 4x4 input: a 3x3 output whose border windows reach
  // into the padding.
  set(max, "padding=1");
  set(average, "padding=1");
  REQUIRE(max.geometry().output == Size2d{3, 3});
  CHECK(step_text(max, 1) == "max(1, 2) = 2");
  CHECK(step_note(max, 1) ==
        "Max pooling keeps the window's largest input value (highlighted); its 2 padding cell(s) never "
        "compete: PyTorch pads a max pool with −∞.");
  CHECK(step_text(max, 0) == "max(0) = 0");
  CHECK(step_text(max, 4) == "max(5, 6, 9, 10) = 10");

  CHECK(step_text(average, 1) == "(0 + 0 + 1 + 2) / 4 = 3 / 4 = 0.75");
  CHECK(step_note(average, 1) ==
        "Padding counts (count_include_pad on): its 2 zero(s) add nothing to the sum but are counted, so the "
        "divisor is 4.");
  set(average, "count_include_pad=off");
  CHECK(step_text(average, 1) == "(1 + 2) / 2 = 3 / 2 = 1.5");
  CHECK(step_note(average, 1) ==
        "Padding does not count (count_include_pad off): its 2 cell(s) are left out, so the divisor is 2, "
        "not 4.");
  CHECK(step_text(average, 0) == "0 / 1 = 0 / 1 = 0");  // one cell on the input: no parentheses

  // Negative values are parenthesized in a sum, not in a max.
  ConvExplorer negative;
  set(negative, "input=2x2");
  set(negative, "input_values=-1.5,2,-3,0.25");
  set(negative, "kernel=2x2");
  set(negative, "operation=avgpool");
  CHECK(step_text(negative, 0) == "((-1.5) + 2 + (-3) + 0.25) / 4 = -2.25 / 4 = -0.5625");
  set(negative, "operation=maxpool");
  CHECK(step_text(negative, 0) == "max(-1.5, 2, -3, 0.25) = 2");

  // ceil_mode on a 5x5 input: the last column's windows hang past the input,
  // and those cells never count, padding or not.
  ConvExplorer ceil = classic("avgpool");
  set(ceil, "input=5x5");
  set(ceil, "ceil_mode=on");
  REQUIRE(ceil.geometry().output == Size2d{3, 3});
  CHECK(step_text(ceil, 2) == "(4 + 9) / 2 = 13 / 2 = 6.5");
  CHECK(step_note(ceil, 2) ==
        "Average pooling: the sum of the window's values divided by their count, 2. 2 cell(s) of the window "
        "lie past the padded input (ceil mode) and never count.");
  CHECK(step_text(ceil, 8) == "24 / 1 = 24 / 1 = 24");
  set(ceil, "operation=maxpool");
  CHECK(step_text(ceil, 2) == "max(4, 9) = 9");
  CHECK(contains(step_note(ceil, 2), "its 2 padding cell(s) never compete"));

  // Dilation 2 on a 1-row input with padding 1: the window's two rows both
  // fall on the padding.
  ConvExplorer missed;
  for (const char* line : {"input=1x2", "kernel=2x1", "padding=1,1,0,0", "dilation=2,1", "operation=maxpool"})
    set(missed, line);
  REQUIRE(missed.geometry().output == Size2d{1, 2});
  CHECK(step_text(missed, 0) == "max() = -inf");
  CHECK(step_note(missed, 0) ==
        "No cell of this window is on the input (dilation puts every one on the padding), so its max is −∞.");
  set(missed, "operation=avgpool");
  CHECK(step_text(missed, 0) == "(0 + 0) / 2 = 0 / 2 = 0");
  set(missed, "count_include_pad=off");
  CHECK(step_text(missed, 1) == "0 / 0 = 0 / 0 = nan");
  CHECK(contains(step_note(missed, 1), "0 / 0 is not a number"));

  // A convolution has no note.
  set(ceil, "operation=conv");
  CHECK(ceil.current_note().empty());
}

TEST_CASE("pool modes: every input channel is pooled on its own, the filters stay unused") {
  ConvExplorer e;
  set(e, "in_channels=3");
  set(e, "out_channels=2");
  set(e, "input=4x6");
  set(e, "kernel=2x2");
  set(e, "stride=2");
  set(e, "operation=maxpool");
  CHECK(e.output_channels() == 3);
  CHECK(e.output().shape() == Shape{1, 3, 2, 3});
  CHECK(e.step_count() == 18);
  REQUIRE(e.jump_to_cell(2, 1, 2).ok());
  CHECK(e.step_index() == 17);
  CHECK(e.current_pool_step()->channel == 2);
  const Status outside = e.jump_to_cell(3, 0, 0);
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.message() == "output cell (channel 3, row 0, column 0) is outside the 3x2x3 output");
  // Every channel's max is that channel's own.
  for (int c = 0; c < 3; ++c)
    CHECK(e.output().at(0, c, 0, 0) == std::max({e.input_value(c, 0, 0), e.input_value(c, 0, 1),
                                                 e.input_value(c, 1, 0), e.input_value(c, 1, 1)}));
}

TEST_CASE("pool modes: hovering an input cell lists the windows that read it") {
  ConvExplorer e = classic("maxpool");
  const auto& hits = e.contributions_of(0, 1, 1);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].step_index == 0);
  CHECK(hits[0].out_channel == 0);
  CHECK(hits[0].ky == 1);
  CHECK(hits[0].kx == 1);
  CHECK(hits[0].tap_index == 3);
  set(e, "stride=1");  // overlapping windows: the center cell is in four
  CHECK(e.contributions_of(0, 1, 1).size() == 4);
  CHECK(e.contributions_of(0, 0, 0).size() == 1);
}

TEST_CASE("pool modes: padding past half the window is refused, as PyTorch does") {
  ConvExplorer e = classic("maxpool");
  set(e, "padding=2");
  CHECK_FALSE(e.has_output());
  CHECK(e.reason() ==
        "padding top (height) is 2 but pooling allows at most half the kernel, 1: each window must reach the "
        "input (PyTorch's rule)");
  CHECK(e.step_count() == 0);
  const Status jump = e.jump_to_cell(0, 0, 0);
  REQUIRE_FALSE(jump.ok());
  CHECK(contains(jump.message(), "pooling allows at most half the kernel"));
  // The same settings convolve: the rule is the pool's.
  set(e, "operation=conv");
  CHECK(e.has_output());
  // 'full' pads a 3x3 window by 2: too much for a pool.
  set(e, "operation=avgpool");
  set(e, "kernel=3x3");
  set(e, "padding=full");
  CHECK_FALSE(e.has_output());
  CHECK(contains(e.reason(), "at most half the kernel, 1"));
  set(e, "padding=same");
  CHECK(e.has_output());
}

TEST_CASE("pool settings: round trip, defaults unwritten, bad values refused naming the key") {
  ConvExplorer a = classic("avgpool");
  set(a, "padding=1");
  set(a, "count_include_pad=off");
  set(a, "ceil_mode=on");
  set(a, "step=4");
  const std::string saved = describe_state(a);
  CHECK(contains(saved, "operation=avgpool\ncount_include_pad=off\nceil_mode=on\nspeed="));
  ConvExplorer b;
  REQUIRE(apply_settings_text(b, saved).ok());
  CHECK(describe_state(b) == saved);
  CHECK(b.settings().operation == ConvOperation::AveragePool);
  CHECK_FALSE(b.settings().count_include_pad);
  CHECK(b.settings().ceil_mode);
  CHECK(b.step_index() == 4);
  CHECK(b.output().values() == a.output().values());

  // A convolution with the pools' defaults saves what it always saved.
  ConvExplorer plain;
  CHECK_FALSE(contains(describe_state(plain), "operation"));
  CHECK_FALSE(contains(describe_state(plain), "ceil_mode"));
  CHECK(describe_operation(plain).empty());
  // Flags set for a pool survive a switch back to convolution.
  set(a, "operation=conv");
  CHECK(describe_operation(a) == "count_include_pad=off\nceil_mode=on\n");

  const std::string before = describe_state(a);
  const auto refused = [&](const std::string& assignment, std::initializer_list<const char*> parts) {
    CAPTURE(assignment);
    const Status status = apply_setting(a, assignment);
    REQUIRE_FALSE(status.ok());
    for (const char* part : parts) CHECK_MESSAGE(contains(status.message(), part), status.message());
    CHECK(describe_state(a) == before);
  };
  refused("operation=minpool", {"operation: 'minpool' is not an operation; valid: conv, maxpool, avgpool"});
  refused("operation=", {"operation", "conv, maxpool, avgpool"});
  refused("count_include_pad=maybe", {"count_include_pad: 'maybe' is not valid: use on or off"});
  refused("ceil_mode=2", {"ceil_mode", "'2'", "on or off"});
  refused("pool=max", {"unknown setting 'pool'", "operation", "count_include_pad", "ceil_mode"});
  for (const char* on : {"on", "1", "true"}) {
    set(a, std::string("ceil_mode=") + on);
    CHECK(a.settings().ceil_mode);
  }
}

TEST_CASE("pool exports: the CSV's rows and the JSON of pool_trace_json") {
  ConvExplorer e = classic("maxpool");
  set(e, "padding=1");  // 3x3 output, border windows on the padding
  const std::vector<std::string> rows = lines_of(pool_trace_to_csv(e.pool_trace()));
  CHECK(rows[0] ==
        "step,kind,channel,out_y,out_x,ky,kx,padded_y,padded_x,on_padding,counted,chosen,input,sum,count,"
        "result");
  REQUIRE(rows.size() == 1 + 9 * (4 + 1));
  for (const std::string& row : rows) CHECK(fields_of(row).size() == 16);
  // Step 1: taps (0,2) (0,3) on the padding, (1,2) = input 1 and (1,3) = input 2, the max.
  CHECK(rows[6] == "1,tap,0,0,1,0,0,0,2,1,,0,0,,,");
  CHECK(rows[8] == "1,tap,0,0,1,1,0,1,2,0,,0,1,,,");
  CHECK(rows[9] == "1,tap,0,0,1,1,1,1,3,0,,1,2,,,");
  CHECK(rows[10] == "1,output,0,0,1,,,,,,,,,,,2");

  set(e, "operation=avgpool");
  set(e, "count_include_pad=off");
  const std::vector<std::string> average = lines_of(pool_trace_to_csv(e.pool_trace()));
  CHECK(average[6] == "1,tap,0,0,1,0,0,0,2,1,0,,0,,,");
  CHECK(average[9] == "1,tap,0,0,1,1,1,1,3,0,1,,2,,,");
  CHECK(average[10] == "1,output,0,0,1,,,,,,,,,3,2,1.5");

  const Tensor input = e.input_tensor();
  const auto json = nlohmann::json::parse(pool_trace_json(e.pool_trace(), {&input}));
  CHECK(json["op"] == "avg_pool2d");
  CHECK(json["params"]["kernel_h"] == 2);
  CHECK(json["params"]["stride_w"] == 2);
  CHECK(json["params"]["padding"]["top"] == 1);
  CHECK(json["params"]["count_include_pad"] == false);
  CHECK(json["output_shape"] == std::vector<int>{1, 1, 3, 3});
  REQUIRE(json["steps"].size() == 9);
  CHECK(json["steps"][1]["sum"] == 3.0);
  CHECK(json["steps"][1]["count"] == 2);
  CHECK(json["steps"][1]["result"] == 1.5);
  CHECK(json["steps"][1]["taps"][0]["counted"] == false);
  CHECK(json["input"]["values"].size() == 16);
}
