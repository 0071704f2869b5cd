// --set KEY=VALUE and saved states: every key, round trips, and errors that
// name the key and what is valid.
#include <doctest/doctest.h>

#include <string>

#include "core/explore/settings_text.h"

using namespace convlab;
using namespace convlab::explore;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("describe_state round trip: presets, edited values, custom padding, step") {
  ConvExplorer a;
  for (const char* line : {"in_channels=2", "out_channels=3", "input=6x7", "kernel=2x3", "seed=99",
                           "input_preset=random", "kernel_preset=random", "bias=0.1,-2,1e-07",
                           "padding=2,0,1,3", "stride=2,1", "dilation=1,2", "speed=7.25", "step=5"}) {
    const Status status = apply_setting(a, line);
    REQUIRE_MESSAGE(status.ok(), line << ": " << (status.ok() ? "" : status.message()));
  }
  const std::string saved = describe_state(a);
  ConvExplorer b;
  REQUIRE(apply_settings_text(b, saved).ok());
  CHECK(describe_state(b) == saved);
  CHECK(b.settings().input == a.settings().input);
  CHECK(b.settings().weight == a.settings().weight);
  CHECK(b.settings().bias == a.settings().bias);
  CHECK(b.step_index() == 5);
  CHECK(b.steps_per_second() == 7.25);
  CHECK(contains(saved, "input_preset=random\n"));

  // Edited values are written out exactly (shortest float text, bit for bit).
  REQUIRE(a.set_input_value(1, 2, 3, 1.0f / 3.0f).ok());
  REQUIRE(a.set_weight(2, 1, 1, 2, -0.1f).ok());
  const std::string edited = describe_state(a);
  CHECK(contains(edited, "input_values="));
  CHECK(contains(edited, "kernel_values="));
  ConvExplorer c;
  REQUIRE(apply_settings_text(c, "# saved by a test\n\n" + edited).ok());
  CHECK(describe_state(c) == edited);
  CHECK(c.input_value(1, 2, 3) == 1.0f / 3.0f);
  CHECK(c.weight(2, 1, 1, 2) == -0.1f);
  CHECK(c.output().values() == a.output().values());
}

TEST_CASE("a state with no output round trips too") {
  ConvExplorer a;
  REQUIRE(apply_setting(a, "input=1x1").ok());
  CHECK_FALSE(a.has_output());
  ConvExplorer b;
  REQUIRE(apply_settings_text(b, describe_state(a)).ok());
  CHECK(describe_state(b) == describe_state(a));
}

TEST_CASE("value forms: sizes, pairs, presets by name, padding forms") {
  ConvExplorer e;
  CHECK(apply_setting(e, "input", "7").ok());
  CHECK(e.settings().input_h == 7);
  CHECK(apply_setting(e, "input=checkerboard").ok());
  CHECK(e.settings().input_preset == InputPreset::Checkerboard);
  CHECK(apply_setting(e, "input_values=ramp").ok());
  CHECK(apply_setting(e, "kernel=gaussian").ok());
  CHECK(e.settings().kernel_preset == KernelPreset::Gaussian);
  CHECK(apply_setting(e, "kernel_values=sobel_y").ok());
  CHECK(apply_setting(e, " stride = 3 ").ok());
  CHECK(e.settings().stride_w == 3);
  CHECK(apply_setting(e, "padding=FULL").ok());
  CHECK(e.settings().padding_preset == PaddingPreset::Full);
  CHECK(apply_setting(e, "padding=2").ok());
  CHECK(e.settings().custom_padding == Padding2d{2, 2, 2, 2});
  CHECK(apply_setting(e, "step=start").ok());
  CHECK(apply_setting(e, "step=end").ok());
  CHECK(e.step_index() == e.step_count() - 1);
}

TEST_CASE("bad keys and values: the key, what is wrong, what is valid; state unchanged") {
  ConvExplorer e;
  const std::string before = describe_state(e);
  auto check_error = [&](const std::string& assignment, std::initializer_list<const char*> parts) {
    CAPTURE(assignment);
    const Status status = apply_setting(e, assignment);
    REQUIRE_FALSE(status.ok());
    for (const char* part : parts) CHECK_MESSAGE(contains(status.message(), part), status.message());
    CHECK(describe_state(e) == before);
  };
  check_error("colour=red", {"unknown setting 'colour'", "input_values", "dilation", "step"});
  check_error("no_equals_sign", {"KEY=VALUE"});
  check_error("input=40x5", {"input", "40", "1..32"});
  check_error("input=5y5", {"input", "'5y5'", "HxW", "checkerboard"});
  check_error("kernel=8", {"kernel", "1..7"});
  check_error("kernel=emboss", {"kernel", "emboss", "sobel_x"});
  check_error("kernel_preset=laplacian5", {"kernel_preset", "laplacian"});
  check_error("in_channels=4", {"in_channels", "1..3"});
  check_error("out_channels=x", {"out_channels", "1..4"});
  check_error("stride=0", {"stride", "1..4"});
  check_error("stride=1,2,3", {"stride", "H,W"});
  check_error("dilation=5", {"dilation", "1..4"});
  check_error("padding=middle", {"padding", "valid, same, full", "T,B,L,R"});
  check_error("padding=1,2", {"padding", "T,B,L,R"});
  check_error("padding=-1", {"padding", "0..32"});
  check_error("input_values=1,2", {"input_values", "25", "got 2"});
  check_error("input_values=1,x,3", {"input_values", "'x'", "numbers", "ramp"});
  check_error("kernel_values=1", {"kernel_values", "need 9"});
  check_error("bias=1,2", {"bias", "one bias per filter"});
  check_error("seed=-4", {"seed", "non-negative"});
  check_error("speed=0", {"speed", "1000"});
  check_error("step=99", {"step", "0..8"});
  check_error("step=last", {"step", "start or end"});
  // A 3x3-only preset on a 5x5 kernel says which sizes are valid.
  REQUIRE(apply_setting(e, "kernel=5x5").ok());
  const Status sobel = apply_setting(e, "kernel_preset=sobel_x");
  REQUIRE_FALSE(sobel.ok());
  CHECK(contains(sobel.message(), "kernel_preset"));
  CHECK(contains(sobel.message(), "only for 3x3"));
  const Status line = apply_settings_text(e, "stride=2\nbogus=1\n");
  REQUIRE_FALSE(line.ok());
  CHECK(contains(line.message(), "line 2"));
}
