// The settings file: parse, write, round trip, corrupt files ignored.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "app/settings.h"
#include "cli/run_convlab.h"

using namespace convlab::app;
using convlab::cli_test::TempDir;

TEST_CASE("settings: format and parse round trip") {
  Settings s;
  s.window_width = 1600;
  s.window_height = 900;
  s.theme = Theme::Light;
  s.scale = 1.5f;
  auto parsed = parse_settings(format_settings(s), "settings.ini");
  REQUIRE(parsed.ok());
  CHECK(parsed->window_width == 1600);
  CHECK(parsed->window_height == 900);
  CHECK(parsed->theme == Theme::Light);
  CHECK(parsed->scale == doctest::Approx(1.5f));
}

TEST_CASE("settings: each model's preprocessing is kept by its path, a '|' in the path too") {
  Settings s;
  s.model_recipes["/models/a|b.onnx"] = "image_size=64;color=bgr;mean=0.5,0.5,0.5;";
  s.model_recipes["tiny.onnx"] = "image_size=32;";
  auto parsed = parse_settings(format_settings(s), "settings.ini");
  REQUIRE(parsed.ok());
  CHECK(parsed->model_recipes == s.model_recipes);
}

TEST_CASE("settings: comments, blanks and unknown keys are ignored") {
  auto parsed = parse_settings("# hi\n\n[convlab]\n  theme = light \nfuture_key=42\n", "s.ini");
  REQUIRE(parsed.ok());
  CHECK(parsed->theme == Theme::Light);
  CHECK(parsed->window_width == Settings{}.window_width);
}

TEST_CASE("settings: bad lines are errors naming file, line and key") {
  auto no_eq = parse_settings("theme=dark\ngarbage\n", "s.ini");
  REQUIRE_FALSE(no_eq.ok());
  CHECK(no_eq.message().find("s.ini:2") != std::string::npos);
  auto bad_scale = parse_settings("scale=banana\n", "s.ini");
  REQUIRE_FALSE(bad_scale.ok());
  CHECK(bad_scale.message().find("scale") != std::string::npos);
  CHECK_FALSE(parse_settings("scale=9\n", "s.ini").ok());
  CHECK_FALSE(parse_settings("window_width=10\n", "s.ini").ok());
  CHECK_FALSE(parse_settings("window_height=12abc\n", "s.ini").ok());
  auto bad_theme = parse_settings("theme=pink\n", "s.ini");
  REQUIRE_FALSE(bad_theme.ok());
  CHECK(bad_theme.message().find("light, dark") != std::string::npos);
}

TEST_CASE("settings: save then load; missing file gives defaults silently") {
  TempDir dir;
  const std::string path = dir.file("sub/convlab/settings.ini");
  std::string warning;
  Settings missing = load_settings(path, warning);
  CHECK(warning.empty());
  CHECK(missing.scale == doctest::Approx(1.0f));

  Settings s;
  s.theme = Theme::Light;
  s.scale = 2.0f;
  REQUIRE(save_settings(path, s).ok());
  Settings back = load_settings(path, warning);
  CHECK(warning.empty());
  CHECK(back.theme == Theme::Light);
  CHECK(back.scale == doctest::Approx(2.0f));
  // Atomic write: no temporary file left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("sub/convlab"))) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("settings: a corrupt file is ignored with a warning") {
  TempDir dir;
  const std::string path = dir.file("settings.ini");
  {
    std::ofstream out(path, std::ios::binary);
    out << "\x01\x02 not a settings file\nscale=\xff\n";
  }
  std::string warning;
  Settings s = load_settings(path, warning);
  CHECK_FALSE(warning.empty());
  CHECK(warning.find(path) != std::string::npos);
  CHECK(warning.find("ignoring") != std::string::npos);
  CHECK(s.theme == Settings{}.theme);
}

TEST_CASE("settings: the path follows XDG_CONFIG_HOME, then HOME") {
  const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
  const std::string saved = old_xdg ? old_xdg : "";
  const std::string old_home = std::getenv("HOME") ? std::getenv("HOME") : "";
  setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  CHECK(default_settings_path() == "/tmp/xdg-test/convlab/settings.ini");
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/someone", 1);
  CHECK(default_settings_path() == "/home/someone/.config/convlab/settings.ini");
  if (old_xdg) setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
  setenv("HOME", old_home.c_str(), 1);
}
