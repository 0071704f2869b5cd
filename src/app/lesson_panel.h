// The lesson panel: a lesson (lessons/README.md) one step at a time. The
// step's text and quizzes on the left; on the right, the panel the step
// drives, set fresh from the step's `::: panel` block, with the step's
// controls shown, hidden or locked. Right / Space / PageDown go forward,
// Left / PageUp back (a presenter clicker); the file is reloaded when it
// changes on disk, keeping the step.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/panel.h"
#include "core/lesson/lesson.h"
#include "core/lesson/markdown.h"
#include "core/lesson/quiz.h"

namespace convlab::app {

struct LessonNavLayout;  // how the navigation buttons fit the text column

class LessonPanel : public Panel {
 public:
  LessonPanel();
  void draw(PanelContext& context) override;
  // file=PATH | shipped name (en/02-padding)   step=N (1-based)
  // language=en|pt-BR (the lesson list's)      answer=TEXT (answers the
  // step's first quiz, as a student would: screenshots and tests)
  Status apply_setting(const std::string& key, const std::string& value) override;
  bool on_step(StepKey key) override;
  bool busy() const override { return applied_step_ != step_ || target_busy_; }
  bool takes_files() const override { return true; }
  bool on_file_dropped(const std::string& path) override;

  const lesson::Lesson& lesson() const { return lesson_; }
  int step() const { return step_; }
  // Settings the step could not apply (shown in the panel), empty when fine.
  const std::string& step_errors() const { return step_errors_; }
  // Re-reads the file when it changed on disk (the panel asks twice a
  // second), keeping the step; a broken edit keeps the last good lesson
  // and lists its problems.
  enum class ReloadResult { Unchanged, Reloaded, Broken };
  ReloadResult reload_if_changed();
  const std::vector<lesson::Problem>& reload_problems() const { return problems_; }

 private:
  struct QuizState {
    std::string typed;
    int choice = -1;
    std::optional<lesson::Grade> grade;
  };

  Status open(const std::string& path);
  void go_to(int step);
  void reload_if_changed(PanelContext& context);
  void apply_step(PanelContext& context);
  const lesson::Step* panel_step() const;  // the step whose panel block is in force
  void draw_text_column(PanelContext& context);
  void draw_quizzes(PanelContext& context);
  void draw_navigation(PanelContext& context, const LessonNavLayout& nav);
  void draw_chooser(PanelContext& context);

  std::string path_;
  lesson::Lesson lesson_;
  std::vector<lesson::Problem> problems_;
  std::filesystem::file_time_type modified_{};
  double last_check_ = 0;
  std::vector<lesson::TextBlock> intro_, text_;  // the current step's, parsed once

  int step_ = 0;
  int applied_step_ = 0;  // == step_ once its panel is set up
  std::string target_id_;
  bool target_busy_ = false;
  std::string step_errors_;
  std::vector<QuizState> quizzes_;
  std::optional<std::string> pending_answer_;

  std::string language_ = "en";
  bool language_chosen_ = false;  // else the lesson list follows the UI language
  std::string path_box_;
};

}  // namespace convlab::app
