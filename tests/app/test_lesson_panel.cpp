// Lessons in the app without a window: every shipped lesson passes the full
// check (syntax, quiz answers recomputed, panel settings on fresh panels);
// the check catches what a teacher gets wrong; views and panel states round
// trip exactly; the lesson panel opens, steps and answers.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "app/bn_panel.h"
#include "app/conv_panel.h"
#include "app/lesson_check.h"
#include "app/lesson_panel.h"
#include "app/network_panel.h"
#include "app/register_panels.h"
#include "app/tconv_panel.h"
#include "app/view_file.h"

using namespace convlab;
using namespace convlab::app;
namespace fs = std::filesystem;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("convlab_lesson_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

// Applies state text line by line to a fresh panel.
std::unique_ptr<Panel> reopened(const std::string& id, const std::string& state) {
  auto view = parse_view(view_block(id, state), "state");
  REQUIRE_MESSAGE(view.ok(), (view.ok() ? "" : view.message()));
  auto panel = create_panel(id);
  for (const auto& [key, value] : view->settings) {
    Status applied = panel->apply_setting(key, value);
    REQUIRE_MESSAGE(applied.ok(), (key + "=" + value + ": " + applied.message()));
  }
  return panel;
}

}  // namespace

TEST_CASE("every shipped lesson, English and Portuguese, passes lesson check") {
  int files = 0, quizzes = 0;
  for (const char* language : {"en", "pt-BR"}) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fs::path(CONVLAB_SOURCE_DIR) / "lessons" / language))
      names.push_back(entry.path().filename().string());
    CHECK(names.size() == 10);
    for (const auto& name : names) {
      const std::string path = (fs::path(CONVLAB_SOURCE_DIR) / "lessons" / language / name).string();
      CAPTURE(path);
      lesson::Lesson parsed;
      const auto problems = check_lesson_file(path, &parsed);
      CHECK_MESSAGE(problems.empty(), lesson::format_problems(path, problems));
      CHECK(parsed.language == language);
      int here = 0;
      for (const auto& step : parsed.steps) here += static_cast<int>(step.quizzes.size());
      CHECK(here >= 2);  // each lesson asks at least two questions
      quizzes += here;
      ++files;
    }
    // The same lessons in both languages.
    if (std::string(language) == "pt-BR")
      for (const auto& name : names)
        CHECK(fs::exists(fs::path(CONVLAB_SOURCE_DIR) / "lessons" / "en" / name));
  }
  CHECK(files == 20);
  CHECK(quizzes >= 36);
}

TEST_CASE("lesson check catches a wrong answer, a bad setting and a control the panel lacks") {
  const std::string path = write_temp("broken.md", R"(---
title: Broken
language: en
---
## One
::: panel conv
input=5x5
stride=9
:::
::: controls
show=stride,zoom
:::
::: quiz size
question: Output?
answer: 4x4
compute: conv_output input=5x5 kernel=3x3
explain: 5 - 3 + 1.
:::
)");
  const auto problems = check_lesson_file(path);
  const std::string text = lesson::format_problems(path, problems);
  INFO(text);
  REQUIRE(problems.size() == 3);
  CHECK(text.find(":10: controls: the conv panel has no control 'zoom'") != std::string::npos);
  CHECK(text.find(":8: stride") != std::string::npos);
  CHECK(text.find(":13: quiz: the answer is 4x4 but 'conv_output input=5x5 kernel=3x3' computes 3x3") !=
        std::string::npos);
}

TEST_CASE("a panel's state text reopens the same view, for every panel") {
  ConvPanel conv;
  for (const char* s : {"input=7x6", "in_channels=2", "kernel=3x2", "kernel_preset=random", "seed=9",
                        "padding=1,0,2,1", "stride=2,1", "dilation=1,2", "step=5"})
    REQUIRE(conv.apply_setting(std::string(s).substr(0, std::string(s).find('=')),
                               std::string(s).substr(std::string(s).find('=') + 1))
                .ok());
  CHECK(reopened("conv", conv.state_text())->state_text() == conv.state_text());

  TconvPanel tconv;
  REQUIRE(tconv.apply_setting("stride", "2").ok());
  REQUIRE(tconv.apply_setting("view", "direct").ok());
  CHECK(reopened("tconv", tconv.state_text())->state_text() == tconv.state_text());

  BnPanel bn;
  REQUIRE(bn.apply_setting("channels", "3").ok());
  REQUIRE(bn.apply_setting("steps", "2").ok());
  CHECK(reopened("bn", bn.state_text())->state_text() == bn.state_text());

  NetworkPanel network;
  REQUIRE(network.apply_setting("image", "food_coffee").ok());
  REQUIRE(network.apply_setting("layer", "conv2_bn").ok());
  REQUIRE(network.apply_setting("zoom", "4").ok());
  REQUIRE(network.apply_setting("step", "5").ok());
  const std::string state = network.state_text();
  CHECK(state.find("image=food_coffee") != std::string::npos);
  CHECK(reopened("network", state)->state_text() == state);

  // A colorizer layer in the conv panel is written as its request.
  ConvPanel layer;
  REQUIRE(layer.apply_setting("working_size", "64").ok());
  REQUIRE(layer.apply_setting("source", "layer:conv2").ok());
  const std::string layer_state = layer.state_text();
  CHECK(layer_state.find("source=layer:conv2") != std::string::npos);
  auto again = reopened("conv", layer_state);
  CHECK(again->state_text() == layer_state);
  CHECK(dynamic_cast<ConvPanel&>(*again).explorer().settings().weight == layer.explorer().settings().weight);
}

TEST_CASE("view files: written whole, read back, errors with file and line") {
  const fs::path path = fs::temp_directory_path() / "convlab_test.view";
  REQUIRE(write_view_file(path.string(), "conv", "input=5x5\nstride=2\n").ok());
  auto view = read_view_file(path.string());
  REQUIRE(view.ok());
  CHECK(view->panel == "conv");
  REQUIRE(view->settings.size() == 2);
  CHECK(view->settings[1].second == "2");
  CHECK_FALSE(fs::exists(path.string() + ".part"));
  CHECK_FALSE(write_view_file("/nonexistent/dir/x.view", "conv", "input=5x5\n").ok());
  auto bad = parse_view("::: panel conv\nstride 2\n:::\n", "v.view");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("v.view:2:") != std::string::npos);
  CHECK_FALSE(parse_view("::: panel gpu\n:::\n", "v").ok());
  CHECK_FALSE(parse_view("::: panel conv\nstride=2\n", "v").ok());  // not closed
  CHECK_FALSE(read_view_file("/nonexistent.view").ok());
}

TEST_CASE("lesson panel: opens a shipped lesson by name, steps with the clicker keys, takes an answer") {
  LessonPanel panel;
  CHECK_FALSE(panel.apply_setting("step", "2").ok());  // no lesson yet
  REQUIRE(panel.apply_setting("file", "en/02-padding").ok());
  CHECK(panel.lesson().title == "Padding");
  CHECK(panel.step() == 0);
  CHECK(panel.on_step(StepKey::PageNext));
  CHECK(panel.on_step(StepKey::Next));
  CHECK(panel.step() == 2);
  CHECK(panel.on_step(StepKey::PagePrevious));
  CHECK(panel.step() == 1);
  CHECK(panel.on_step(StepKey::Last));
  CHECK(panel.step() == static_cast<int>(panel.lesson().steps.size()) - 1);
  CHECK_FALSE(panel.apply_setting("step", "99").ok());
  REQUIRE(panel.apply_setting("step", "2").ok());
  CHECK(panel.apply_setting("answer", "7x7").ok());
  auto missing = panel.apply_setting("file", "/nonexistent/lesson.md");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("/nonexistent/lesson.md:0:") != std::string::npos);
  CHECK(panel.lesson().title == "Padding");  // the open lesson stays
}

TEST_CASE(
    "lesson panel: an edited lesson file is reloaded at the same step; a broken edit keeps the last good "
    "one") {
  const std::string text = "---\ntitle: First\nlanguage: en\n---\n## A\nText.\n## B\nMore.\n";
  const std::string path = write_temp("reload.md", text);
  LessonPanel panel;
  REQUIRE(panel.apply_setting("file", path).ok());
  REQUIRE(panel.apply_setting("step", "2").ok());
  CHECK(panel.reload_if_changed() == LessonPanel::ReloadResult::Unchanged);
  std::ofstream(path) << "---\ntitle: Second\nlanguage: en\n---\n## A\n## B\n## C\n";
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(2));
  CHECK(panel.reload_if_changed() == LessonPanel::ReloadResult::Reloaded);
  CHECK(panel.lesson().title == "Second");
  CHECK(panel.step() == 1);
  std::ofstream(path) << "---\ntitle: Broken\n";
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(4));
  CHECK(panel.reload_if_changed() == LessonPanel::ReloadResult::Broken);
  CHECK(panel.lesson().title == "Second");
  CHECK_FALSE(panel.reload_problems().empty());
}
