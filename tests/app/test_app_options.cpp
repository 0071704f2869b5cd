// Command-line values and the panel registry (no window needed).
#include <doctest/doctest.h>

#include "app/app_options.h"
#include "app/frame_stats.h"
#include "app/framebuffer_image.h"
#include "app/panel_registry.h"

using namespace convlab::app;

namespace {

class FakePanel : public Panel {
 public:
  FakePanel(const std::string& id, bool files) : Panel(id, "Title " + id), files_(files) {}
  void draw(PanelContext&) override {}
  bool takes_files() const override { return files_; }

 private:
  bool files_;
};

}  // namespace

TEST_CASE("--set KEY=VALUE parsing") {
  auto ok = parse_panel_setting("stride=2");
  REQUIRE(ok.ok());
  CHECK(ok->key == "stride");
  CHECK(ok->value == "2");
  auto empty_value = parse_panel_setting("kernel=");
  REQUIRE(empty_value.ok());
  CHECK(empty_value->value.empty());
  auto equals_in_value = parse_panel_setting("values=a=b");
  REQUIRE(equals_in_value.ok());
  CHECK(equals_in_value->value == "a=b");
  CHECK_FALSE(parse_panel_setting("stride").ok());
  auto no_key = parse_panel_setting("=2");
  REQUIRE_FALSE(no_key.ok());
  CHECK(no_key.message().find("KEY=VALUE") != std::string::npos);
}

TEST_CASE("--window WxH parsing") {
  auto size = parse_window_size("1280x720");
  REQUIRE(size.ok());
  CHECK(size->width == 1280);
  CHECK(size->height == 720);
  for (const char* bad : {"1280", "x720", "1280x", "1280x720x3", "10x10", "axb", "1280 x 720", "-5x700"})
    CHECK_MESSAGE(!parse_window_size(bad).ok(), bad);
}

TEST_CASE("flags override saved settings; bad flags name themselves") {
  AppOptions options;
  options.window = "1600x900";
  options.theme = "light";
  options.scale = 1.5f;
  auto s = apply_options(Settings{}, options);
  REQUIRE(s.ok());
  CHECK(s->window_width == 1600);
  CHECK(s->theme == Theme::Light);
  CHECK(s->scale == doctest::Approx(1.5f));
  options.theme = "blue";
  auto bad = apply_options(Settings{}, options);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("--theme") != std::string::npos);
  options.theme.clear();
  options.scale = 7.0f;
  CHECK(apply_options(Settings{}, options).message().find("--scale") != std::string::npos);
}

TEST_CASE("panel registry: lookup by id, listing, duplicates refused") {
  PanelRegistry registry;
  REQUIRE(registry.add(std::make_unique<FakePanel>("conv", true)).ok());
  REQUIRE(registry.add(std::make_unique<FakePanel>("about", false)).ok());
  CHECK_FALSE(registry.add(std::make_unique<FakePanel>("conv", false)).ok());
  CHECK_FALSE(registry.add(std::make_unique<FakePanel>("", false)).ok());
  CHECK(registry.size() == 2);
  auto about = registry.find("about");
  REQUIRE(about.ok());
  CHECK(about.value() == 1);
  auto missing = registry.find("tconv");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("valid panels: conv, about") != std::string::npos);
  CHECK(registry.titles_taking_files() == std::vector<std::string>{"Title conv"});
}

TEST_CASE("a panel without settings refuses --set with its name") {
  FakePanel panel("bn", false);
  auto status = panel.apply_setting("eps", "1");
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("'bn'") != std::string::npos);
  CHECK(status.message().find("'eps'") != std::string::npos);
}

TEST_CASE("median of frame times") {
  CHECK(median({}) == 0.0);
  CHECK(median({3.0}) == 3.0);
  CHECK(median({5.0, 1.0, 3.0}) == 3.0);
  CHECK(median({4.0, 1.0, 3.0, 2.0}) == doctest::Approx(2.5));
}

TEST_CASE("GL rows (bottom first) become an image (top first)") {
  // 2x2: bottom row red,green; top row blue,white.
  std::vector<uint8_t> rows = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
  auto image = image_from_gl_rows(2, 2, rows);
  CHECK(image.width == 2);
  CHECK(image.height == 2);
  CHECK(image.pixels == std::vector<uint8_t>{0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 0});
}
