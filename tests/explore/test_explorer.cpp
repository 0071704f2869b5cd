// The explorer's geometry, stepping, arithmetic text and hover lists, all
// checked against conv_arithmetic and the trace (never re-derived here).
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/explore/explorer.h"
#include "core/explore/settings_text.h"
#include "core/explore/step_text.h"
#include "core/ops/reference.h"

using namespace convlab;
using namespace convlab::explore;

namespace {

void set(ConvExplorer& e, const std::string& assignment) {
  const Status status = apply_setting(e, assignment);
  REQUIRE_MESSAGE(status.ok(), assignment << ": " << (status.ok() ? "" : status.message()));
}

std::vector<std::string> split_on(const std::string& text, const std::string& separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string::npos; start = at + separator.size())
    parts.push_back(text.substr(start, at - start));
  parts.push_back(text.substr(start));
  return parts;
}

float number(std::string text) {
  if (text.front() == '(') text = text.substr(1, text.size() - 2);
  return std::stof(text);
}

}  // namespace

TEST_CASE("defaults: 5x5 numbers, 3x3 sharpen, valid -> 3x3 output") {
  ConvExplorer e;
  CHECK(e.has_output());
  CHECK(e.geometry().output == Size2d{3, 3});
  CHECK(e.step_count() == 9);
  CHECK(e.input_value(0, 4, 4) == 24.0f);
  CHECK(e.weight(0, 0, 1, 1) == 5.0f);
  CHECK(e.output().shape() == Shape{1, 1, 3, 3});
}

TEST_CASE("the seed's examples: output size, formula, dilation coverage") {
  ConvExplorer e;
  set(e, "padding=1");
  set(e, "stride=2");
  CHECK(e.geometry().output == Size2d{3, 3});
  CHECK(e.geometry().formula == conv2d_formula({5, 5}, {3, 3}, e.geometry().params));
  CHECK(e.geometry().formula.find("= 3") != std::string::npos);

  // A 3x3 kernel at dilation 2 covers a 5x5 field with 9 weights.
  ConvExplorer d;
  set(d, "dilation=2");
  CHECK(dilated_kernel_extent(3, 2) == 5);
  CHECK(d.geometry().output == Size2d{1, 1});
  const ConvStep* step = d.current_step();
  REQUIRE(step);
  REQUIRE(step->taps.size() == 9);
  CHECK(step->taps.front().padded_y == 0);
  CHECK(step->taps.back().padded_y == 4);
  CHECK(step->taps.back().padded_x == 4);
  CHECK(step->taps[1].padded_x == 2);  // the gap of dilation 2
}

TEST_CASE("impossible settings give a reason, no steps, and stay usable") {
  ConvExplorer e;
  set(e, "input=2x2");
  CHECK_FALSE(e.has_output());
  CHECK(e.reason().find("padded input") != std::string::npos);
  CHECK(e.step_count() == 0);
  CHECK(e.current_step() == nullptr);
  CHECK(e.current_arithmetic().empty());
  CHECK(e.trace_error() == e.reason());
  e.step_forward();
  e.to_end();
  e.play();
  CHECK(e.advance(1.0) == 0);
  CHECK_FALSE(e.jump_to_cell(0, 0, 0).ok());
  set(e, "padding=same");
  CHECK(e.has_output());
  CHECK(e.geometry().output == Size2d{2, 2});
}

TEST_CASE("stepping follows the trace order; arithmetic shows the trace's exact values") {
  ConvExplorer e;
  set(e, "in_channels=2");
  set(e, "out_channels=3");
  set(e, "input=4x5");
  set(e, "kernel=3x2");
  set(e, "seed=7");
  set(e, "kernel_preset=random");
  set(e, "input_preset=random");
  set(e, "bias=0.5,-1.25,3");
  set(e, "padding=1,0,2,1");
  set(e, "stride=2,1");
  const ConvTrace& trace = e.trace();
  CHECK(trace.output.values() == e.output().values());  // trace == reference::conv2d, bit for bit
  REQUIRE(e.step_count() == static_cast<int>(trace.steps.size()));
  const Size2d out = e.geometry().output;
  CHECK(e.step_count() == 3 * out.h * out.w);
  for (int i = 0; i < e.step_count(); ++i) {
    e.set_step(i);
    const ConvStep& step = *e.current_step();
    CHECK(&step == &trace.steps[static_cast<size_t>(i)]);
    CHECK(i == (step.out_channel * out.h + step.out_y) * out.w + step.out_x);  // channel, then row-major
    CHECK(e.step_of_cell(step.out_channel, step.out_y, step.out_x) == i);
    // Parse the text back: every factor is the trace's float, exactly.
    const std::string text = e.current_arithmetic();
    const auto sides = split_on(text, " = ");
    REQUIRE(sides.size() == 2);
    CHECK(number(sides[1]) == step.result);
    const auto terms = split_on(sides[0], " + ");
    REQUIRE(terms.size() == step.taps.size() + 1);
    for (size_t t = 0; t < step.taps.size(); ++t) {
      const auto factors = split_on(terms[t], "*");
      REQUIRE(factors.size() == 2);
      CHECK(number(factors[0]) == step.taps[t].input);
      CHECK(number(factors[1]) == step.taps[t].weight);
    }
    CHECK(number(terms.back()) == step.bias);
  }
  // Forward/back/start/end and jumping to a clicked cell.
  e.to_start();
  CHECK(e.step_index() == 0);
  e.step_back();
  CHECK(e.step_index() == 0);
  e.step_forward();
  CHECK(e.step_index() == 1);
  e.to_end();
  CHECK(e.step_index() == e.step_count() - 1);
  e.step_forward();
  CHECK(e.step_index() == e.step_count() - 1);
  REQUIRE(e.jump_to_cell(2, out.h - 1, 0).ok());
  CHECK(e.current_step()->out_channel == 2);
  CHECK(e.current_step()->out_y == out.h - 1);
  CHECK(e.current_step()->out_x == 0);
  auto outside = e.jump_to_cell(3, 0, 0);
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.message().find("outside") != std::string::npos);
}

TEST_CASE("arithmetic text: compact numbers, parenthesized negatives, padding taps as 0") {
  ConvExplorer e;
  set(e, "input=1x2");
  set(e, "input_values=2,3");
  set(e, "kernel=1x3");
  set(e, "kernel_values=0.5,-1,4");
  set(e, "bias=-2");
  set(e, "padding=0,0,1,0");
  CHECK(e.current_arithmetic() == "0*0.5 + 2*(-1) + 3*4 + (-2) = 8");
  CHECK(format_value(1.0f / 3.0f, 4) == "0.3333");
  CHECK(format_value(-0.0f) == "0");
  CHECK(format_value(1e-7f) == "1e-07");
}

TEST_CASE("play advances at steps_per_second and stops at the end") {
  ConvExplorer e;  // 9 steps
  REQUIRE(e.set_steps_per_second(4).ok());
  CHECK(e.advance(10) == 0);  // paused: nothing moves
  e.play();
  CHECK(e.advance(0.3) == 1);  // 1.2 steps
  CHECK(e.advance(0.2) == 1);  // 0.2 + 0.8
  CHECK(e.step_index() == 2);
  CHECK(e.advance(100) == 6);
  CHECK(e.step_index() == 8);
  CHECK_FALSE(e.playing());
  e.play();  // at the end: starts over
  CHECK(e.step_index() == 0);
  CHECK(e.playing());
  e.pause();
  CHECK(e.advance(1) == 0);
  CHECK_FALSE(e.set_steps_per_second(0).ok());
  CHECK_FALSE(e.set_steps_per_second(-3).ok());
}

TEST_CASE("hover lists invert the trace: each real tap in exactly one input cell's list") {
  for (const char* padding : {"valid", "same", "full", "2,0,1,3"}) {
    CAPTURE(padding);
    ConvExplorer e;
    set(e, "in_channels=3");
    set(e, "out_channels=2");
    set(e, "input=6x5");
    set(e, "kernel=3x3");
    set(e, "dilation=2,1");
    set(e, "stride=1,2");
    set(e, std::string("padding=") + padding);
    REQUIRE(e.has_output());
    const ConvTrace& trace = e.trace();
    std::map<std::pair<int, int>, int> seen;  // (step, tap) -> times listed
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 5; ++x)
          for (const Contribution& k : e.contributions_of(c, y, x)) {
            const ConvStep& step = trace.steps[static_cast<size_t>(k.step_index)];
            const ConvTap& tap = step.taps[static_cast<size_t>(k.tap_index)];
            CHECK_FALSE(tap.on_padding);
            CHECK(tap.channel == c);
            CHECK(tap.input_y == y);
            CHECK(tap.input_x == x);
            CHECK(tap.ky == k.ky);
            CHECK(tap.kx == k.kx);
            CHECK(step.out_channel == k.out_channel);
            CHECK(step.out_y == k.out_y);
            CHECK(step.out_x == k.out_x);
            ++seen[std::make_pair(k.step_index, k.tap_index)];
          }
    size_t real_taps = 0;
    for (size_t s = 0; s < trace.steps.size(); ++s)
      for (size_t t = 0; t < trace.steps[s].taps.size(); ++t)
        if (!trace.steps[s].taps[t].on_padding) {
          ++real_taps;
          CHECK(seen[std::make_pair(static_cast<int>(s), static_cast<int>(t))] == 1);
        }
    CHECK(seen.size() == real_taps);
    CHECK(e.contributions_of(3, 0, 0).empty());  // outside: an empty list, not a crash
    CHECK(e.contributions_of(0, -1, 0).empty());
  }
}

TEST_CASE("resizing keeps live presets live and edited values in place") {
  ConvExplorer e;
  set(e, "input=3x4");
  CHECK(e.settings().input == make_input_preset(InputPreset::Numbers, 1, 3, 4, 1));
  REQUIRE(e.set_input_value(0, 0, 0, 42).ok());
  CHECK_FALSE(e.settings().input_preset.has_value());
  set(e, "input=4x4");
  CHECK(e.input_value(0, 0, 0) == 42);
  CHECK(e.input_value(0, 3, 3) == 0);
  set(e, "kernel=5x5");  // sharpen is 3x3 only: the values are kept as custom
  CHECK_FALSE(e.settings().kernel_preset.has_value());
  CHECK(e.weight(0, 0, 1, 1) == 5.0f);
  CHECK(e.weight(0, 0, 4, 4) == 0.0f);
  set(e, "kernel_preset=box");
  set(e, "kernel=2x3");
  CHECK(e.weight(0, 0, 1, 2) == 1.0f / 6.0f);
  set(e, "in_channels=2");
  CHECK(e.settings().weight.size() == 12);
  CHECK(e.settings().input.size() == 32);
  CHECK(e.weight(0, 1, 0, 0) == 1.0f / 6.0f);
}

TEST_CASE("photo patch becomes the input") {
  RgbImage image;
  image.width = 40;
  image.height = 40;
  image.pixels.assign(40 * 40 * 3, 128);
  ConvExplorer e;
  set(e, "in_channels=3");
  REQUIRE(e.set_input_from_photo(image, {5, 6, 10, 8}, LumaRange::Byte).ok());
  CHECK(e.settings().in_channels == 1);
  CHECK(e.settings().input_h == 8);
  CHECK(e.settings().input_w == 10);
  CHECK(e.input_value(0, 7, 9) == 128);
  auto big = e.set_input_from_photo(image, {0, 0, 33, 8}, LumaRange::Byte);
  REQUIRE_FALSE(big.ok());
  CHECK(e.settings().input_w == 10);  // unchanged on error
}

// The sweep: every kernel 1-7, stride 1-4, dilation 1-4, padding
// preset (and one custom) and square input 1-12, through apply_setting.
TEST_CASE("exhaustive sweep: no error escapes, sizes match conv2d_output_size") {
  const auto start = std::chrono::steady_clock::now();
  ConvExplorer e;
  int valid = 0, invalid = 0;
  const Padding2d custom{1, 0, 2, 1};
  for (int n = 1; n <= 12; ++n)
    for (int k = 1; k <= 7; ++k)
      for (int s = 1; s <= 4; ++s)
        for (int d = 1; d <= 4; ++d)
          for (const char* padding : {"valid", "same", "full", "1,0,2,1"}) {
            set(e, "input=" + std::to_string(n) + "x" + std::to_string(n));
            set(e, "kernel=" + std::to_string(k));
            set(e, "stride=" + std::to_string(s));
            set(e, "dilation=" + std::to_string(d));
            set(e, std::string("padding=") + padding);
            Conv2dParams params{s, s, custom, d, d};
            if (auto preset = parse_padding_preset(padding); preset.ok()) {
              auto resolved = resolve_padding(*preset, {n, n}, {k, k}, s, s, d, d);
              REQUIRE(resolved.ok());
              params.padding = *resolved;
            }
            const auto expected = conv2d_output_size({n, n}, {k, k}, params);
            const ExploreGeometry& g = e.geometry();
            CHECK(g.padding == params.padding);
            if (expected.ok()) {
              ++valid;
              if (!g.valid || !(g.output == *expected)) {
                FAIL_CHECK("n" << n << " k" << k << " s" << s << " d" << d << " " << padding);
              }
              // Traces for the small cases (cheap), step count for all of them.
              if (n <= 6) {
                CHECK(e.step_count() == expected->h * expected->w);
                CHECK(e.current_step() != nullptr);
              }
            } else {
              ++invalid;
              CHECK_FALSE(g.valid);
              CHECK(g.reason == expected.message());
              CHECK_FALSE(g.reason.empty());
              CHECK(e.step_count() == 0);
            }
            CHECK(apply_setting(e, "step=end").ok());
          }
  CHECK(valid + invalid == 12 * 7 * 4 * 4 * 4);
  CHECK(valid > 0);
  CHECK(invalid > 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("sweep: " << valid << " valid, " << invalid << " invalid, " << seconds << " s");
  CHECK(seconds < 10.0);
}
