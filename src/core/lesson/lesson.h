// A lesson as data: the plain-text file a teacher writes (lessons/README.md
// documents the format) read into steps, each with its text, the panel state
// it sets, the controls it shows, hides or locks, and its quiz questions.
// Parsing never throws: every problem is reported with file:line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"

namespace convlab::lesson {

enum class QuizType { Number, Size, Choice };
const char* quiz_type_name(QuizType type);

struct Quiz {
  QuizType type = QuizType::Number;
  std::string question;
  std::string answer;
  std::vector<std::string> choices;  // Choice only
  std::string compute;               // how the core computes the answer (quiz_compute.h)
  std::string explain;
  double tolerance = 1e-3;  // Number: relative to the answer's size
  int line = 0;             // of the ::: quiz line
};

struct PanelSetting {
  std::string key, value;
  int line = 0;
};

struct ControlRules {
  std::vector<std::string> show, hide, lock;  // empty show: every control is shown
  int line = 0;                               // of the ::: controls line
  bool empty() const { return show.empty() && hide.empty() && lock.empty(); }
};

struct Step {
  std::string title;     // the ## heading
  std::string markdown;  // the step's text, directives removed
  std::string panel;     // empty: keep the previous step's panel
  std::vector<PanelSetting> settings;
  ControlRules controls;
  std::vector<Quiz> quizzes;
  int line = 0;  // of the ## heading
};

struct Lesson {
  std::string path;  // as given (for messages)
  std::string title;
  std::string language;  // "en" or "pt-BR"
  int order = 0;
  std::string introduction;  // markdown before the first step
  std::vector<Step> steps;
};

// One problem, with where it is.
struct Problem {
  int line = 0;
  std::string message;
};

// Reads the text; problems (all of them, not only the first) go to
// `problems`; the lesson is usable when there are none.
Lesson parse_lesson(const std::string& text, const std::string& path, std::vector<Problem>& problems);
// Reads the file; a file that cannot be read is one problem at line 0.
Lesson load_lesson(const std::string& path, std::vector<Problem>& problems);

// "file:line: message" lines, one per problem.
std::string format_problems(const std::string& path, const std::vector<Problem>& problems);

// The panels a step may name.
const std::vector<std::string>& lesson_panels();

}  // namespace convlab::lesson
