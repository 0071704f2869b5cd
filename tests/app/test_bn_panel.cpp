// The batch-norm panel without a window: training steps, a colorizer layer's
// activations and parameters fed into the explorer.
#include <doctest/doctest.h>

#include "app/bn_panel.h"
#include "core/model/layer_batch.h"

using namespace convlab;
using namespace convlab::app;

TEST_CASE("bn panel: steps=N runs N training steps; the Right key runs one") {
  BnPanel panel;
  REQUIRE(panel.apply_setting("steps", "3").ok());
  CHECK(panel.explorer().batches_tracked() == 3);
  CHECK(panel.on_step(StepKey::Next));
  CHECK(panel.explorer().batches_tracked() == 4);
  CHECK(panel.on_step(StepKey::First));  // Home: reset the running statistics
  CHECK(panel.explorer().batches_tracked() == 0);
  CHECK_FALSE(panel.apply_setting("steps", "-1").ok());
  CHECK_FALSE(panel.apply_setting("steps", "lots").ok());
}

TEST_CASE("bn panel: a colorizer layer brings its input activations and its own parameters") {
  BnPanel panel;
  REQUIRE(panel.apply_setting("source", "layer:conv1_bn").ok());
  const auto& e = panel.explorer();
  CHECK(e.settings().source == explore::BnSource::Layer);
  CHECK(e.values().c() == 32);  // conv1 has 32 filters
  CHECK(e.values().h() == 32);  // 64x64 photos, stride 2
  CHECK(e.source_label().find("conv1") != std::string::npos);
  // The layer's gamma and running statistics, not the defaults.
  auto graph = Graph::builtin("advanced");
  REQUIRE(graph.ok());
  CHECK(e.settings().gamma.size() == 32);
  CHECK(e.running_var().numel() == 32);
  Status wrong = panel.apply_setting("source", "layer:nope");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.message().find("conv1_bn") != std::string::npos);
}
