#include "app/lesson_check.h"

#include <algorithm>

#include "app/register_panels.h"
#include "core/lesson/quiz.h"

namespace convlab::app {

std::vector<lesson::Problem> check_lesson_content(const lesson::Lesson& lesson) {
  std::vector<lesson::Problem> problems;
  for (const lesson::Step& step : lesson.steps) {
    for (const lesson::Quiz& quiz : step.quizzes) {
      Status checked = lesson::check_quiz_answer(quiz);
      if (!checked.ok()) problems.push_back({quiz.line, "quiz: " + checked.message()});
    }
    if (step.panel.empty()) continue;
    std::unique_ptr<Panel> panel = create_panel(step.panel);
    if (!panel) continue;  // the parser already named an unknown panel
    for (const lesson::PanelSetting& setting : step.settings) {
      Status applied = panel->apply_setting(setting.key, setting.value);
      if (!applied.ok()) problems.push_back({setting.line, applied.message()});
    }
    const std::vector<std::string> ids = panel->control_ids();
    const auto check_ids = [&](const std::vector<std::string>& list) {
      for (const std::string& id : list)
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
          std::string valid;
          for (const std::string& v : ids) valid += (valid.empty() ? "" : ", ") + v;
          problems.push_back({step.controls.line, "controls: the " + step.panel + " panel has no control '" +
                                                      id + "'; valid: " + valid});
        }
    };
    check_ids(step.controls.show);
    check_ids(step.controls.hide);
    check_ids(step.controls.lock);
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const lesson::Problem& a, const lesson::Problem& b) { return a.line < b.line; });
  return problems;
}

std::vector<lesson::Problem> check_lesson_file(const std::string& path, lesson::Lesson* parsed) {
  std::vector<lesson::Problem> problems;
  lesson::Lesson lesson = lesson::load_lesson(path, problems);
  if (problems.empty() || !lesson.steps.empty()) {
    for (lesson::Problem& p : check_lesson_content(lesson)) problems.push_back(std::move(p));
  }
  if (parsed) *parsed = std::move(lesson);
  return problems;
}

}  // namespace convlab::app
