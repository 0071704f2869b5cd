#include "app/tour.h"

#include <filesystem>

#include "core/lesson/lesson.h"
#include "core/lesson/library.h"

namespace convlab::app {

namespace {

// States beyond the defaults that put more words on screen; keys are the
// panels' own --set keys.
const std::vector<TourScreen>& extra_states() {
  static const std::vector<TourScreen> states = {
      {"conv-dilation", "conv", {{"input", "7x7"}, {"dilation", "2,2"}, {"step", "5"}}},
      {"conv-stride-padding", "conv", {{"input", "7x7"}, {"padding", "1"}, {"stride", "2,2"}, {"step", "4"}}},
      {"conv-channels", "conv", {{"in_channels", "2"}, {"out_channels", "2"}, {"step", "3"}}},
      {"conv-maxpool",
       "conv",
       {{"operation", "maxpool"},
        {"input", "6x6"},
        {"input_preset", "random"},
        {"seed", "1"},
        {"kernel", "2x2"},
        {"stride", "2"},
        {"step", "4"}}},
      {"conv-avgpool",
       "conv",
       {{"operation", "avgpool"},
        {"input", "5x5"},
        {"kernel", "3x3"},
        {"stride", "2"},
        {"padding", "1"},
        {"count_include_pad", "off"},
        {"step", "1"}}},
      {"tconv-stride", "tconv", {{"stride", "2,2"}, {"step", "3"}}},
      {"bn-eval", "bn", {{"mode", "eval"}, {"channel", "1"}}},
      {"network-wipe", "network", {{"compare", "wipe"}}},
      {"conv-bad-setting", "conv", {}, {"stride", "banana"}},
  };
  return states;
}

}  // namespace

std::vector<TourScreen> tour_screens(const std::vector<std::string>& panel_ids,
                                     const std::string& lessons_folder, const std::string& language,
                                     const std::string& only) {
  std::vector<TourScreen> screens;
  for (const std::string& id : panel_ids) screens.push_back({id, id, {}});
  for (const TourScreen& state : extra_states()) screens.push_back(state);
  const std::string lesson_language = language == "qps" ? "en" : language;
  for (const lesson::LessonInfo& info : lesson::list_lessons(lessons_folder, lesson_language)) {
    std::vector<lesson::Problem> problems;
    const lesson::Lesson parsed = lesson::load_lesson(info.path, problems);
    // A broken lesson is the lesson checker's to report; its good steps are toured.
    const std::string stem = std::filesystem::path(info.path).stem().string();
    for (size_t step = 0; step < parsed.steps.size(); ++step)
      screens.push_back({"lesson-" + lesson_language + "-" + stem + "-" + std::to_string(step + 1),
                         "lesson",
                         {{"file", info.path}, {"step", std::to_string(step + 1)}}});
  }
  if (only.empty()) return screens;
  std::vector<TourScreen> kept;
  for (TourScreen& screen : screens)
    if (screen.name.rfind(only, 0) == 0) kept.push_back(std::move(screen));
  return kept;
}

}  // namespace convlab::app
