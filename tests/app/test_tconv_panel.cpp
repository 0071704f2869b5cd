// The transposed-convolution panel's state without a window.
#include <doctest/doctest.h>

#include <fstream>

#include "app/tconv_panel.h"
#include "cli/run_convlab.h"

using namespace convlab;
using namespace convlab::app;

TEST_CASE("tconv panel: starts at the seed's example and takes the explorer's keys") {
  TconvPanel panel;
  const auto& e = panel.explorer();
  REQUIRE(e.has_output());
  CHECK(e.output().values() == std::vector<float>{0, 0, 1, 0, 4, 6, 4, 12, 9});
  CHECK(e.step_count() == 4);
  REQUIRE(panel.apply_setting("stride", "2").ok());
  REQUIRE(panel.apply_setting("view", "direct").ok());
  CHECK(e.view() == explore::TconvView::Direct);
  CHECK(panel.on_step(StepKey::Last));
  CHECK(e.step_index() == e.step_count() - 1);
  Status bad = panel.apply_setting("artifact", "sometimes");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("on or off") != std::string::npos);
  CHECK(panel.apply_setting("photo", "animals_chelsea_cat").ok());
  CHECK_FALSE(panel.apply_setting("photo", "/no/such/photo.png").ok());
}

TEST_CASE("tconv panel: a dropped broken file is reported, a good one opens the checkerboard demo") {
  cli_test::TempDir dir;
  const std::string broken = dir.file("broken.jpg");
  std::ofstream(broken) << "garbage";
  TconvPanel panel;
  CHECK(panel.on_file_dropped(broken));
  CHECK(panel.explorer().view() == explore::TconvView::Sum);  // unchanged
}
