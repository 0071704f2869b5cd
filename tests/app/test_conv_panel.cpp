// The convolution panel's state handling without a window: settings, photos,
// drops and keys reach the explorer, and bad values are refused with
// messages that name the setting.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "app/conv_panel.h"
#include "app/link_state.h"
#include "cli/run_convlab.h"
#include "core/io/asset_paths.h"

using namespace convlab;
using namespace convlab::app;

namespace {
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("conv panel: explorer keys set the state; panel keys are checked") {
  ConvPanel panel;
  REQUIRE(panel.apply_setting("input", "7x6").ok());
  REQUIRE(panel.apply_setting("kernel", "3x3").ok());
  REQUIRE(panel.apply_setting("stride", "2").ok());
  REQUIRE(panel.apply_setting("padding", "same").ok());
  const auto& e = panel.explorer();
  CHECK(e.settings().input_h == 7);
  CHECK(e.settings().input_w == 6);
  CHECK(e.geometry().output.h == 4);  // ceil(7 / 2)
  CHECK(e.geometry().output.w == 3);

  Status unknown = panel.apply_setting("colour", "red");
  REQUIRE_FALSE(unknown.ok());
  CHECK(contains(unknown.message(), "colour"));
  CHECK(contains(unknown.message(), "export_gif"));  // the panel's own keys are listed too

  Status loop = panel.apply_setting("loop", "maybe");
  REQUIRE_FALSE(loop.ok());
  CHECK(contains(loop.message(), "on or off"));

  Status hover_outside = panel.apply_setting("hover", "1,8,1");
  REQUIRE_FALSE(hover_outside.ok());
  CHECK(contains(hover_outside.message(), "outside the input"));
  CHECK(panel.apply_setting("hover", "1,7,6").ok());
  Status hover_zero = panel.apply_setting("hover", "0,1,1");
  REQUIRE_FALSE(hover_zero.ok());
  CHECK(contains(hover_zero.message(), "counted from 1"));

  Status empty_export = panel.apply_setting("export_png", "");
  REQUIRE_FALSE(empty_export.ok());
  CHECK(contains(empty_export.message(), "file path"));
  CHECK_FALSE(panel.busy());
  CHECK(panel.apply_setting("export_csv", "/tmp/x.csv").ok());
  CHECK(panel.busy());  // written on the first frame, after every setting
}

TEST_CASE("conv panel: a bundled photo becomes gray integer values at the grid's size") {
  const auto photos = bundled_sample_photos();
  REQUIRE_MESSAGE(!photos.empty(), "assets/samples has no photos");
  ConvPanel panel;
  REQUIRE(panel.apply_setting("input", "12x16").ok());
  REQUIRE(panel.apply_setting("photo", "animals_chelsea_cat").ok());
  const auto& s = panel.explorer().settings();
  CHECK(s.input_h == 12);
  CHECK(s.input_w == 16);
  CHECK(s.in_channels == 1);
  CHECK_FALSE(s.input_preset.has_value());
  float lo = 255, hi = 0;
  for (float v : s.input) {
    CHECK(v == static_cast<float>(static_cast<int>(v)));  // integers 0..255 read well in a cell
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  CHECK(lo >= 0);
  CHECK(hi <= 255);
  CHECK(hi - lo > 50);  // a photo, not a flat patch

  Status missing = panel.apply_setting("photo", "/nonexistent/cat.jpg");
  REQUIRE_FALSE(missing.ok());
  CHECK(contains(missing.message(), "/nonexistent/cat.jpg"));
}

TEST_CASE("conv panel: dropping a broken file is taken, reported, and changes nothing") {
  convlab::cli_test::TempDir dir;
  const std::string broken = dir.file("broken.png");
  std::ofstream(broken) << "not a png at all";
  ConvPanel panel;
  const std::vector<float> before = panel.explorer().settings().input;
  CHECK(panel.takes_files());
  CHECK(panel.on_file_dropped(broken));
  CHECK(panel.explorer().settings().input == before);
}

TEST_CASE("conv panel: stepping keys move through the trace") {
  ConvPanel panel;  // 5x5 valid 3x3: 9 steps
  REQUIRE(panel.explorer().step_count() == 9);
  CHECK(panel.on_step(StepKey::Next));
  CHECK(panel.on_step(StepKey::PageNext));
  CHECK(panel.explorer().step_index() == 2);
  CHECK(panel.on_step(StepKey::PagePrevious));
  CHECK(panel.explorer().step_index() == 1);
  CHECK(panel.on_step(StepKey::Last));
  CHECK(panel.explorer().step_index() == 8);
  CHECK(panel.on_step(StepKey::First));
  CHECK(panel.explorer().step_index() == 0);
  CHECK(panel.on_step(StepKey::PlayPause));
  CHECK(panel.explorer().playing());
  CHECK(panel.on_step(StepKey::Next));  // a manual step pauses
  CHECK_FALSE(panel.explorer().playing());
}

TEST_CASE("conv panel: max and average pool over the same window, kept in its state") {
  ConvPanel panel;
  const auto& e = panel.explorer();
  const std::vector<std::string> ids = panel.control_ids();
  CHECK(std::find(ids.begin(), ids.end(), "operation") != ids.end());  // a lesson can hide or lock it
  REQUIRE(panel.apply_setting("input", "6x6").ok());
  REQUIRE(panel.apply_setting("kernel", "2x2").ok());
  REQUIRE(panel.apply_setting("stride", "2").ok());
  REQUIRE(panel.apply_setting("operation", "maxpool").ok());
  REQUIRE(panel.apply_setting("step", "4").ok());
  CHECK(e.pooling());
  CHECK(e.step_count() == 9);
  CHECK(e.current_arithmetic() == "max(14, 15, 20, 21) = 21");  // the 'numbers' input, row 2, column 2
  CHECK(panel.on_step(StepKey::Next));
  CHECK(e.current_arithmetic() == "max(16, 17, 22, 23) = 23");
  CHECK(panel.on_step(StepKey::Last));
  CHECK(e.step_index() == 8);

  REQUIRE(panel.apply_setting("operation", "avgpool").ok());
  REQUIRE(panel.apply_setting("ceil_mode", "on").ok());
  REQUIRE(panel.apply_setting("count_include_pad", "off").ok());
  const std::string state = panel.state_text();
  CHECK(contains(state, "operation=avgpool\ncount_include_pad=off\nceil_mode=on\n"));
  ConvPanel reopened;
  for (const auto& [key, value] : state_pairs(state)) REQUIRE(reopened.apply_setting(key, value).ok());
  CHECK(reopened.state_text() == state);
  CHECK(reopened.explorer().output().values() == e.output().values());

  Status bad = panel.apply_setting("operation", "minpool");
  REQUIRE_FALSE(bad.ok());
  CHECK(contains(bad.message(), "operation"));
  CHECK(contains(bad.message(), "conv, maxpool, avgpool"));
  Status unknown = panel.apply_setting("pooling", "max");
  REQUIRE_FALSE(unknown.ok());
  CHECK(contains(unknown.message(), "count_include_pad"));  // the explorer's keys are listed
}
