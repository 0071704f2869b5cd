// The transposed-convolution explorer: the seed's example, the running sum,
// the direct-convolution view and the overlap counts, all checked against
// reference::conv_transpose2d and conv_arithmetic (never re-derived here).
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/explore/presets.h"
#include "core/explore/tconv_explorer.h"
#include "core/explore/tconv_settings_text.h"
#include "core/explore/trace_export.h"
#include "core/explore/trace_json.h"
#include "core/ops/reference.h"

using namespace convlab;
using namespace convlab::explore;

namespace {

void set(TconvExplorer& e, const std::string& assignment) {
  const Status status = apply_tconv_setting(e, assignment);
  REQUIRE_MESSAGE(status.ok(), assignment << ": " << (status.ok() ? "" : status.message()));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string pair_text(int h, int w) { return std::to_string(h) + "," + std::to_string(w); }

// The transposed conv of the explorer's own values, by the reference op.
Tensor reference_output(const TconvExplorer& e) {
  const Tensor bias = e.bias_tensor();
  auto out = reference::conv_transpose2d(e.input_tensor(), e.weight_tensor(), &bias, e.geometry().params);
  REQUIRE_MESSAGE(out.ok(), (out.ok() ? "" : out.message()));
  return std::move(out).value();
}

// Uniform random floats in [-1, 1) from the presets' generator (fixed seed).
std::vector<float> random_floats(SeededRandom& random, size_t count) {
  std::vector<float> values(count);
  for (float& v : values) v = static_cast<float>(static_cast<double>(random.next() >> 40) / (1 << 23) - 1.0);
  return values;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

}  // namespace

TEST_CASE("default: the seed's example [[0,1],[2,3]] (x) [[0,1],[2,3]]") {
  TconvExplorer e;
  CHECK(e.settings().input == std::vector<float>{0, 1, 2, 3});
  CHECK(e.settings().weight == std::vector<float>{0, 1, 2, 3});
  REQUIRE(e.has_output());
  CHECK(e.geometry().output == Size2d{3, 3});
  CHECK(e.geometry().full == Size2d{3, 3});
  CHECK(e.geometry().formula == "H, W: (2 - 1)*1 - 2*0 + 1*(2 - 1) + 0 + 1 = 3");
  // Seed: n_h*n_w = 4 intermediates, each (n_h + k_h - 1) x (n_w + k_w - 1).
  const TconvTrace& t = e.trace();
  REQUIRE(t.intermediates.size() == 4);
  for (const TconvIntermediate& m : t.intermediates) CHECK(m.contribution.shape() == Shape{3, 3});
  CHECK(t.intermediates[3].contribution.values() == std::vector<float>{0, 0, 0, 0, 0, 3, 0, 6, 9});
  const std::vector<float> expected = {0, 0, 1, 0, 4, 6, 4, 12, 9};
  CHECK(e.output().values() == expected);
  CHECK(t.output.values() == expected);
  CHECK(e.output().shape() == Shape{1, 1, 3, 3});
  CHECK(e.step_count() == 4);
  CHECK(e.view() == TconvView::Sum);
  // The running sum, step by step.
  CHECK(e.running_sum(-1).values() == std::vector<float>(9, 0.0f));
  CHECK(e.running_sum(0).values() == std::vector<float>(9, 0.0f));  // 0 times the kernel
  CHECK(e.running_sum(1).values() == std::vector<float>{0, 0, 1, 0, 2, 3, 0, 0, 0});
  CHECK(e.running_sum(2).values() == std::vector<float>{0, 0, 1, 0, 4, 3, 4, 6, 0});
  CHECK(e.running_sum(3).values() == expected);
  CHECK(e.running_sum(99).values() == expected);
  CHECK(e.running_sum(3).shape() == Shape{1, 1, 3, 3});
  e.set_step(1);
  CHECK(e.current_caption() == "input (0, 1) = 1: 1 x kernel, placed at row 0, column 1 of the 3x3 sum");
  CHECK(e.current_running_sum().values() == e.running_sum(1).values());
}

TEST_CASE("running sum: its last step is the trace's full_sum bit for bit; cropped it is the output") {
  SeededRandom random(5);
  for (int trial = 0; trial < 40; ++trial) {
    TconvExplorer e;
    set(e, "in_channels=" + std::to_string(1 + trial % 2));
    set(e, "out_channels=" + std::to_string(1 + trial / 2 % 2));
    set(e, "input=" + std::to_string(random.integer(1, 6)) + "x" + std::to_string(random.integer(1, 6)));
    set(e, "kernel=" + std::to_string(random.integer(1, 5)) + "x" + std::to_string(random.integer(1, 5)));
    set(e, "stride=" + pair_text(random.integer(1, 3), random.integer(1, 3)));
    set(e, "dilation=" + pair_text(random.integer(1, 3), random.integer(1, 3)));
    set(e, "padding=" + pair_text(random.integer(0, 2), random.integer(0, 2)));
    REQUIRE(e.set_input_values(random_floats(random, e.settings().input.size())).ok());
    REQUIRE(e.set_weights(random_floats(random, e.settings().weight.size())).ok());
    REQUIRE(e.set_biases(random_floats(random, e.settings().bias.size())).ok());
    if (!e.has_output()) continue;
    const TconvTrace& t = e.trace();
    CAPTURE(describe_tconv_state(e));
    CHECK(e.output().values() == reference_output(e).values());
    CHECK(t.output.values() == e.output().values());
    const Tensor last = e.running_sum(e.step_count() - 1);
    CHECK(last.shape() == t.full_sum.shape());
    CHECK(last.values() == t.full_sum.values());
    for (int o = 0; o < e.settings().out_channels; ++o)
      for (int y = 0; y < e.geometry().output.h; ++y)
        for (int x = 0; x < e.geometry().output.w; ++x)
          CHECK(last.at(0, o, y + t.crop_top, x + t.crop_left) + e.bias(o) == e.output().at(0, o, y, x));
    // The output as it builds up ends exactly at the op's output.
    CHECK(e.running_output(e.step_count() - 1).values() == e.output().values());
    CHECK(e.running_output(-1).shape() == e.output().shape());
  }
}

TEST_CASE("direct view: zeros inserted, frame d(k-1)-p, flipped kernel, channels swapped") {
  TconvExplorer e;
  // The seed's example: frame 1, so a 4x4 input [[0 0 0 0],[0 0 1 0],[0 2 3 0],[0 0 0 0]].
  CHECK(e.direct_input().values() == std::vector<float>{0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0});
  CHECK(e.flipped_kernel().values() == std::vector<float>{3, 2, 1, 0});
  CHECK(e.direct_output().values() == e.output().values());
  CHECK(e.geometry().direct_formula ==
        "H, W: (2 - 1)*1 + 1 = 2 -> frame 1*(2 - 1) - 0 = 1 (+ 0 after): 2 + 1 + 1 = 4 -> conv: 4 - 1*(2 - "
        "1) = 3");

  // Stride 2, output_padding 1: a zero between elements and one more row/column at the bottom/right.
  set(e, "input=2x3");
  set(e, "input_values=1,2,3,4,5,6");
  set(e, "stride=2");
  set(e, "output_padding=1,0");
  const TconvGeometry& g = e.geometry();
  REQUIRE(e.has_output());
  CHECK(g.upsampled == Size2d{3, 5});
  CHECK(g.direct_padding == Padding2d{1, 2, 1, 1});
  CHECK(g.direct_input == Size2d{6, 7});
  int inputs = 0, zeros = 0, frame = 0;
  for (int y = 0; y < g.direct_input.h; ++y)
    for (int x = 0; x < g.direct_input.w; ++x) {
      int iy = -1, ix = -1;
      switch (e.direct_cell(y, x, &iy, &ix)) {
        case DirectCell::Input:
          ++inputs;
          CHECK(e.direct_input().at(0, 0, y, x) == e.input_value(0, iy, ix));
          break;
        case DirectCell::InsertedZero:
          ++zeros;
          CHECK(e.direct_input().at(0, 0, y, x) == 0.0f);
          break;
        case DirectCell::Padding:
          ++frame;
          CHECK(e.direct_input().at(0, 0, y, x) == 0.0f);
          break;
      }
    }
  CHECK(inputs == 6);
  CHECK(zeros == 3 * 5 - 6);
  CHECK(frame == 6 * 7 - 3 * 5);
  CHECK(e.direct_cell(-1, 0) == DirectCell::Padding);
  CHECK(e.direct_output().values() == e.output().values());

  // Padding larger than d(k-1): a negative frame crops the zero-inserted input.
  set(e, "kernel=1");
  set(e, "kernel_preset=ones");
  set(e, "padding=1,0");
  set(e, "output_padding=0");
  REQUIRE(e.has_output());
  CHECK(e.geometry().direct_padding.top == -1);
  CHECK(e.geometry().direct_padding.bottom == -1);
  CHECK(e.geometry().direct_input == Size2d{1, 5});
  CHECK(e.direct_output().values() == e.output().values());

  // The direct view steps its own convolution.
  set(e, "view=direct");
  CHECK(e.step_count() == static_cast<int>(e.direct_trace().steps.size()));
  CHECK(e.current_intermediate() == nullptr);
  REQUIRE(e.current_direct_step() != nullptr);
  CHECK(contains(e.current_caption(), " = "));
}

TEST_CASE("direct view == reference::conv_transpose2d on random settings, channels and values") {
  SeededRandom random(11);
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    TconvExplorer e;
    set(e, "in_channels=" + std::to_string(random.integer(1, 2)));
    set(e, "out_channels=" + std::to_string(random.integer(1, 2)));
    set(e, "input=" + std::to_string(random.integer(1, 8)) + "x" + std::to_string(random.integer(1, 8)));
    set(e, "kernel=" + std::to_string(random.integer(1, 5)) + "x" + std::to_string(random.integer(1, 5)));
    set(e, "stride=" + pair_text(random.integer(1, 3), random.integer(1, 3)));
    set(e, "dilation=" + pair_text(random.integer(1, 3), random.integer(1, 3)));
    set(e, "padding=" + pair_text(random.integer(0, 5), random.integer(0, 5)));
    set(e, "output_padding=" + pair_text(random.integer(0, 2), random.integer(0, 2)));
    REQUIRE(e.set_input_values(random_floats(random, e.settings().input.size())).ok());
    REQUIRE(e.set_weights(random_floats(random, e.settings().weight.size())).ok());
    REQUIRE(e.set_biases(random_floats(random, e.settings().bias.size())).ok());
    if (!e.has_output()) {
      CHECK(e.direct_output().empty());
      continue;
    }
    ++checked;
    CAPTURE(describe_tconv_state(e));
    const Tensor expected = reference_output(e);
    REQUIRE(e.direct_output().shape() == expected.shape());
    // The sums are in another order, so equal within rounding.
    CHECK(relative_error(e.direct_output(), expected) <= 1e-5f);
    CHECK(e.direct_trace().output.values() == e.direct_output().values());
  }
  MESSAGE("direct == transposed on " << checked << " valid random settings");
  CHECK(checked > 100);
}

TEST_CASE("overlap counts == conv_transpose2d of all-ones input and kernel") {
  for (int channels = 1; channels <= 2; ++channels)
    for (int k = 1; k <= 5; ++k)
      for (int s = 1; s <= 3; ++s)
        for (int d = 1; d <= 2; ++d)
          for (int p = 0; p <= 2; ++p) {
            TconvExplorer e;
            set(e, "in_channels=" + std::to_string(channels));
            set(e, "input=4x3");
            set(e, "kernel=" + std::to_string(k) + "x" + std::to_string(6 - k));
            set(e, "stride=" + pair_text(s, 4 - s));
            set(e, "dilation=" + std::to_string(d));
            set(e, "padding=" + std::to_string(p));
            set(e, "output_padding=" + std::to_string(s > 1 ? 1 : 0) + ",1");
            set(e, "kernel_preset=ones");
            REQUIRE(e.set_input_values(std::vector<float>(e.settings().input.size(), 1.0f)).ok());
            if (!e.has_output()) continue;
            CAPTURE(describe_tconv_state(e));
            const Tensor ones = reference_output(e);  // bias 0
            REQUIRE(e.overlap_counts().numel() == ones.numel());
            CHECK(e.overlap_counts().values() == ones.values());
          }
}

TEST_CASE("overlap: kernel 3 stride 2 is a checkerboard, kernel 4 stride 2 is even inside") {
  auto interior_counts = [](int k) {
    TconvExplorer e;
    set(e, "input=4x4");
    set(e, "kernel=" + std::to_string(k));
    set(e, "stride=2");
    REQUIRE(e.has_output());
    // Interior: cells every kernel offset can reach, full rows k-1..(4-1)*2.
    std::set<float> counts;
    for (int y = k - 1; y <= 6; ++y)
      for (int x = k - 1; x <= 6; ++x)
        counts.insert(e.overlap_counts()[int64_t{y} * e.geometry().output.w + x]);
    return counts;
  };
  CHECK(interior_counts(3) == std::set<float>{1, 2, 4});
  CHECK(interior_counts(4) == std::set<float>{4});
}

TEST_CASE("artifact demo: a flat image keeps its level only where the stride divides the kernel") {
  const Tensor flat({1, 1, 12, 10}, 0.5f);
  auto check_interior = [&](int k, int s, bool constant) {
    CAPTURE(k);
    CAPTURE(s);
    auto demo = checkerboard_artifact_demo(flat, k, s);
    REQUIRE_MESSAGE(demo.ok(), (demo.ok() ? "" : demo.message()));
    CHECK(demo->output.shape() == Shape{1, 1, 12 * s, 10 * s});
    CHECK(demo->weight == static_cast<float>(s * s) / static_cast<float>(k * k));
    std::set<float> levels, gains;
    for (int64_t y = k; y < demo->output.h() - k; ++y)
      for (int64_t x = k; x < demo->output.w() - k; ++x) {
        levels.insert(demo->output.at(0, 0, y, x));
        gains.insert(demo->gain.at(0, 0, y, x));
      }
    CHECK((levels.size() == 1) == constant);
    CHECK((gains.size() == 1) == constant);
    if (constant) {
      CHECK(*levels.begin() == 0.5f);
      CHECK(*gains.begin() == 1.0f);
    }
  };
  check_interior(3, 2, false);
  check_interior(4, 2, true);
  check_interior(6, 3, true);
  check_interior(5, 3, false);
  check_interior(2, 2, true);
  // Stride 1 with an even kernel has no output_padding to pick: one larger.
  auto odd = checkerboard_artifact_demo(flat, 2, 1);
  REQUIRE(odd.ok());
  CHECK(odd->output.shape() == Shape{1, 1, 13, 11});
  CHECK_FALSE(checkerboard_artifact_demo(Tensor({1, 3, 4, 4}), 4, 2).ok());
  auto big_kernel = checkerboard_artifact_demo(flat, 9, 2);
  REQUIRE_FALSE(big_kernel.ok());
  CHECK(contains(big_kernel.message(), "kernel size is 9 but must be 1..8"));
}

TEST_CASE("stepping, play and views") {
  TconvExplorer e;  // 4 intermediates
  REQUIRE(e.set_steps_per_second(4).ok());
  CHECK(e.advance(10) == 0);
  e.play();
  CHECK(e.advance(0.3) == 1);
  CHECK(e.advance(100) == 2);
  CHECK(e.step_index() == 3);
  CHECK_FALSE(e.playing());
  e.play();
  CHECK(e.step_index() == 0);
  e.step_back();
  CHECK(e.step_index() == 0);
  e.to_end();
  CHECK(e.step_index() == 3);
  REQUIRE(e.current_intermediate() != nullptr);
  CHECK(e.current_intermediate()->in_y == 1);
  CHECK(e.current_intermediate()->in_x == 1);
  e.set_view(TconvView::Direct);  // 9 output cells, from the start
  CHECK(e.step_index() == 0);
  CHECK(e.step_count() == 9);
  e.to_end();
  CHECK(e.current_direct_step()->result == 9.0f);
  CHECK(e.current_caption() == "3*3 + 0*2 + 0*1 + 0*0 + 0 = 9");
  set(e, "view=overlap");
  CHECK(e.step_count() == 4);
  CHECK(e.overlap_counts().values() == std::vector<float>{1, 2, 1, 2, 4, 2, 1, 2, 1});
  CHECK_FALSE(e.set_steps_per_second(0).ok());
  // No output: no steps, nothing to play, nothing thrown.
  set(e, "padding=2");
  CHECK_FALSE(e.has_output());
  CHECK(e.step_count() == 0);
  CHECK(e.current_intermediate() == nullptr);
  CHECK(e.current_caption().empty());
  CHECK(e.running_sum(0).empty());
  CHECK(e.overlap_counts().empty());
  CHECK(e.direct_input().empty());
  e.play();
  CHECK(e.advance(1) == 0);
  CHECK(e.trace_error() == e.reason());
}

TEST_CASE("setters refuse bad values, name the setting and keep the state") {
  TconvExplorer e;
  const std::string before = describe_tconv_state(e);
  auto big = e.set_input_size(9, 2);
  REQUIRE_FALSE(big.ok());
  CHECK(big.message() == "input height is 9 but must be 1..8");
  CHECK_FALSE(e.set_kernel_size(2, 6).ok());
  CHECK_FALSE(e.set_stride(0, 1).ok());
  CHECK_FALSE(e.set_dilation(1, 4).ok());
  CHECK_FALSE(e.set_padding(-1, 0).ok());
  CHECK_FALSE(e.set_padding(0, kMaxTconvPadding + 1).ok());
  CHECK_FALSE(e.set_output_padding(3, 0).ok());
  CHECK_FALSE(e.set_in_channels(3).ok());
  CHECK_FALSE(e.set_out_channels(0).ok());
  CHECK_FALSE(e.set_input_value(0, 2, 0, 1).ok());
  CHECK_FALSE(e.set_weight(0, 1, 0, 0, 1).ok());
  CHECK_FALSE(e.set_input_values({1, 2, 3}).ok());
  CHECK_FALSE(e.set_weights({1}).ok());
  CHECK_FALSE(e.set_biases({1, 2}).ok());
  CHECK(describe_tconv_state(e) == before);
  // output_padding >= stride and dilation: accepted by the setter, explained by geometry.
  REQUIRE(e.set_output_padding(1, 0).ok());
  CHECK_FALSE(e.has_output());
  CHECK(contains(e.reason(), "output_padding (height) is 1 but must be smaller than stride 1 or dilation 1"));
  set(e, "stride=2,1");
  CHECK(e.has_output());
  CHECK(e.geometry().output == Size2d{5, 3});
}

TEST_CASE("presets: numbers over the whole weight, ones, bilinear, random from the seed") {
  CHECK(make_tconv_kernel_preset(TconvKernelPreset::Bilinear, 4, 1, 0) ==
        std::vector<float>{0.25f, 0.75f, 0.75f, 0.25f});
  CHECK(make_tconv_kernel_preset(TconvKernelPreset::Bilinear, 3, 3, 0) ==
        std::vector<float>{0.25f, 0.5f, 0.25f, 0.5f, 1, 0.5f, 0.25f, 0.5f, 0.25f});
  TconvExplorer e;
  set(e, "in_channels=2");
  set(e, "out_channels=2");
  CHECK(e.weight(1, 0, 1, 1) == 11.0f);  // kernel (1, 0) is the third: 8 + 3
  CHECK(e.settings().input.size() == 8);
  set(e, "kernel_preset=random");
  set(e, "seed=3");
  const std::vector<float> drawn = e.settings().weight;
  for (float v : drawn) CHECK((v >= -2 && v <= 2));
  set(e, "seed=4");
  CHECK(e.settings().weight != drawn);
  set(e, "seed=3");
  CHECK(e.settings().weight == drawn);
  // Bilinear kernel 4 at stride 2 padding 1 upsamples a ramp to a ramp (inside).
  set(e, "in_channels=1");
  set(e, "out_channels=1");
  set(e, "input=1x6");
  set(e, "input_preset=numbers");
  set(e, "kernel=1x4");
  set(e, "kernel_preset=bilinear");
  set(e, "stride=1,2");
  set(e, "padding=0,1");
  REQUIRE(e.has_output());
  const std::vector<float>& out = e.output().values();
  REQUIRE(out.size() == 12);
  for (size_t x = 2; x + 2 < out.size(); ++x) CHECK(out[x + 1] - out[x] == 0.5f);
  CHECK(e.weight(0, 0, 0, 1) == 0.75f);
}

TEST_CASE("settings text: round trip, aliases, errors that name the key") {
  TconvExplorer a;
  for (const char* line :
       {"in_channels=2", "out_channels=2", "input=3x4", "kernel=3x2", "seed=9", "input_preset=random",
        "kernel_preset=random", "bias=0.5,-1", "stride=2,3", "padding=1,2", "output_padding=1,2",
        "dilation=1,2", "view=direct", "speed=3.5", "step=4"}) {
    const Status status = apply_tconv_setting(a, line);
    REQUIRE_MESSAGE(status.ok(), line << ": " << (status.ok() ? "" : status.message()));
  }
  REQUIRE(a.has_output());
  const std::string saved = describe_tconv_state(a);
  TconvExplorer b;
  REQUIRE(apply_tconv_settings_text(b, saved).ok());
  CHECK(describe_tconv_state(b) == saved);
  CHECK(b.view() == TconvView::Direct);
  CHECK(b.step_index() == 4);
  CHECK(b.output().values() == a.output().values());
  CHECK(contains(saved, "output_padding=1,2\n"));

  REQUIRE(a.set_input_value(1, 2, 3, 1.0f / 3.0f).ok());
  REQUIRE(a.set_weight(1, 0, 2, 1, -0.1f).ok());
  const std::string edited = describe_tconv_state(a);
  CHECK(contains(edited, "input_values="));
  CHECK(contains(edited, "kernel_values="));
  TconvExplorer c;
  REQUIRE(apply_tconv_settings_text(c, "# saved\n\n" + edited).ok());
  CHECK(describe_tconv_state(c) == edited);
  CHECK(c.input_value(1, 2, 3) == 1.0f / 3.0f);
  CHECK(c.weight(1, 0, 2, 1) == -0.1f);

  // A state without output round trips too.
  TconvExplorer d;
  set(d, "padding=3");
  CHECK_FALSE(d.has_output());
  TconvExplorer d2;
  REQUIRE(apply_tconv_settings_text(d2, describe_tconv_state(d)).ok());
  CHECK(describe_tconv_state(d2) == describe_tconv_state(d));

  set(d, "input_size=3x5");
  set(d, "kernel_size=4");
  CHECK(d.settings().input_w == 5);
  CHECK(d.settings().kernel_h == 4);

  struct Bad {
    const char* assignment;
    const char* message_part;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"view=sideways", "view: unknown view 'sideways': use one of sum, direct, overlap"},
           {"output_padding=1,2,3", "output_padding: '1,2,3' is not valid: use N or H,W (each 0..2"},
           {"output_padding=3", "output_padding: output_padding (height) is 3 but must be 0..2"},
           {"padding=x", "padding: 'x' is not valid"},
           {"stride=4", "stride: stride (height) is 4 but must be 1..3"},
           {"kernel=sharpen",
            "kernel: 'sharpen' is not valid: use a size HxW or N (1..5 each) or a kernel preset "
            "(numbers, ones, bilinear, random)"},
           {"kernel_size=ones", "kernel_size: 'ones' is not valid: use a size HxW or N (1..5 each)"},
           {"input=9", "input: input height is 9 but must be 1..8"},
           {"in_channels=3", "in_channels: input channels is 3 but must be 1..2"},
           {"kernel_values=1,x", "kernel_values: 'x' is not a number"},
           {"bias=1,2", "bias: bias: got 2 values"},
           {"step=99", "step: 99 is past the last step"},
           {"colour=red", "unknown setting 'colour': valid keys are input, in_channels"},
           {"stride", "has no '='"}}) {
    CAPTURE(bad.assignment);
    TconvExplorer e;
    const std::string state = describe_tconv_state(e);
    const Status status = apply_tconv_setting(e, bad.assignment);
    REQUIRE_FALSE(status.ok());
    CHECK_MESSAGE(contains(status.message(), bad.message_part), status.message());
    CHECK(describe_tconv_state(e) == state);
  }
  TconvExplorer e;
  const Status line = apply_tconv_settings_text(e, "stride=2\n\nview=nope\n");
  REQUIRE_FALSE(line.ok());
  CHECK(contains(line.message(), "line 3: view:"));
}

// The sweep: square inputs 1..8 (and a few rectangles), kernel 1..5,
// stride 1..3, dilation 1..3, padding 0..4, output_padding 0..2, through the
// settings text as the panel's sliders would set them.
TEST_CASE("exhaustive sweep: nothing escapes, sizes and reasons match conv_arithmetic") {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Size2d> inputs;
  for (int n = 1; n <= 8; ++n) inputs.push_back({n, n});
  for (Size2d rectangle : {Size2d{1, 8}, Size2d{3, 5}, Size2d{7, 2}}) inputs.push_back(rectangle);
  TconvExplorer e;
  set(e, "input_preset=random");
  set(e, "kernel_preset=random");
  int valid = 0, invalid = 0;
  for (Size2d input : inputs)
    for (int k = 1; k <= 5; ++k)
      for (int s = 1; s <= 3; ++s)
        for (int d = 1; d <= 3; ++d)
          for (int p = 0; p <= 4; ++p)
            for (int op = 0; op <= 2; ++op) {
              set(e, "input=" + std::to_string(input.h) + "x" + std::to_string(input.w));
              set(e, "kernel=" + std::to_string(k));
              set(e, "stride=" + std::to_string(s));
              set(e, "dilation=" + std::to_string(d));
              set(e, "padding=" + std::to_string(p));
              set(e, "output_padding=" + std::to_string(op));
              const ConvTranspose2dParams params{s, s, p, p, op, op, d, d};
              const auto expected = conv_transpose2d_output_size(input, {k, k}, params);
              const TconvGeometry& g = e.geometry();
              if (expected.ok()) {
                ++valid;
                REQUIRE(g.valid);
                CHECK(g.output == *expected);
                CHECK(g.direct_input.h - d * (k - 1) == expected->h);
                CHECK(e.step_count() == input.h * input.w);
                // Integer values: the direct view is exact, not just close.
                if (!(e.direct_output().values() == e.output().values()))
                  FAIL_CHECK("direct != transposed: " << describe_tconv_state(e));
                if (e.running_sum(e.step_count() - 1).values() != e.trace().full_sum.values())
                  FAIL_CHECK("running sum != full_sum: " << describe_tconv_state(e));
              } else {
                ++invalid;
                CHECK_FALSE(g.valid);
                CHECK_FALSE(e.has_output());
                CHECK(g.reason == expected.message());
                CHECK_FALSE(e.reason().empty());
                CHECK(e.step_count() == 0);
                CHECK(e.output().empty());
              }
              CHECK(apply_tconv_setting(e, "step=end").ok());
            }
  CHECK(valid + invalid == static_cast<int>(inputs.size()) * 5 * 3 * 3 * 5 * 3);
  CHECK(valid > 0);
  CHECK(invalid > 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("tconv sweep: " << valid << " valid, " << invalid << " invalid, " << seconds << " s");
  CHECK(seconds < 20.0);
}

TEST_CASE("transposed-conv trace export: CSV cell sums end at full_sum, crops marked, JSON reads back") {
  TconvExplorer e;
  set(e, "bias=0.5");
  const Tensor weight = e.weight_tensor(), bias = e.bias_tensor();
  std::istringstream seed_csv(tconv_trace_to_csv(e.trace(), weight, &bias));
  std::vector<std::string> lines;
  for (std::string line; std::getline(seed_csv, line);) lines.push_back(line);
  REQUIRE(lines.size() == 1 + 4 * 4 + 9);
  CHECK(lines[0] ==
        "intermediate,kind,out_channel,channel,in_y,in_x,input,ky,kx,full_y,full_x,weight,product,cell_sum,"
        "out_y,out_x,bias,result");
  CHECK(lines[16] == "3,tap,0,0,1,1,3,1,1,2,2,3,9,9,2,2,,");
  CHECK(lines[17 + 4] == ",output,0,,,,,,,1,1,,,4,1,1,0.5,4.5");

  // Stride 2, padding 1, output_padding 1: the first row and column are cropped.
  set(e, "stride=2");
  set(e, "padding=1");
  set(e, "output_padding=1");
  set(e, "input_preset=random");
  set(e, "kernel_preset=random");
  REQUIRE(e.has_output());
  const TconvTrace& t = e.trace();
  const std::string csv = tconv_trace_to_csv(t, e.weight_tensor(), &bias);
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  std::map<std::pair<int, int>, float> last_sum;
  int taps = 0, cropped = 0, outputs = 0;
  while (std::getline(in, line)) {
    const auto f = fields_of(line);
    REQUIRE(f.size() == 18);
    if (f[1] == "tap") {
      ++taps;
      const int fy = std::stoi(f[9]), fx = std::stoi(f[10]);
      CHECK(std::stof(f[12]) == std::stof(f[6]) * std::stof(f[11]));
      last_sum[{fy, fx}] = std::stof(f[13]);
      if (f[14].empty()) ++cropped;
    } else {
      ++outputs;
      const int y = std::stoi(f[14]), x = std::stoi(f[15]);
      CHECK(std::stof(f[17]) == e.output().at(0, 0, y, x));
    }
  }
  CHECK(taps == 16);
  CHECK(outputs == 9);
  CHECK(cropped > 0);
  for (const auto& [cell, sum] : last_sum) CHECK(sum == t.full_sum.at(0, 0, cell.first, cell.second));

  const Tensor random_weight = e.weight_tensor();
  const auto json = nlohmann::json::parse(tconv_trace_json(t, {nullptr, &random_weight, &bias}));
  CHECK(json["op"] == "conv_transpose2d");
  CHECK(json["params"]["output_padding_h"] == 1);
  CHECK(json["crop_top"] == 1);
  REQUIRE(json["intermediates"].size() == 4);
  CHECK(json["intermediates"][2]["taps"].size() == 4);
  CHECK(json["full_sum"]["values"].size() == static_cast<size_t>(t.full_sum.numel()));
  CHECK(json["output"]["values"][4].get<float>() == e.output()[4]);
  CHECK(json["bias"]["values"][0].get<float>() == 0.5f);
  CHECK(json["input"].is_null());  // not given: written as null, not left out
}
