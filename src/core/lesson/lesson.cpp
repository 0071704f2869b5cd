#include "core/lesson/lesson.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"

namespace convlab::lesson {

namespace st = explore::setting_text;

namespace {

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  for (const std::string& item : st::split(text, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

// "key: value" -> (key, value); false when there is no colon.
bool field(const std::string& line, std::string& key, std::string& value) {
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return false;
  key = st::trim(line.substr(0, colon));
  value = st::trim(line.substr(colon + 1));
  return true;
}

void parse_quiz(const std::vector<std::string>& body, int first_line, Quiz& quiz,
                std::vector<Problem>& problems) {
  for (size_t i = 0; i < body.size(); ++i) {
    const std::string line = st::trim(body[i]);
    const int at = first_line + static_cast<int>(i);
    if (line.empty() || line[0] == '#') continue;
    std::string key, value;
    if (!field(line, key, value)) {
      problems.push_back({at, format(tr("a quiz line is 'key: value' (question, answer, choice, compute, "
                                        "explain, tolerance); got '%s'"),
                                     line.c_str())});
      continue;
    }
    if (key == "question")
      quiz.question = value;
    else if (key == "answer")
      quiz.answer = value;
    else if (key == "choice")
      quiz.choices.push_back(value);
    else if (key == "compute")
      quiz.compute = value;
    else if (key == "explain")
      quiz.explain = value;
    else if (key == "tolerance") {
      double t = 0;
      if (!st::parse_double(value, t) || t < 0)
        problems.push_back({at, format(tr("tolerance: '%s' is not a number >= 0"), value.c_str())});
      else
        quiz.tolerance = t;
    } else {
      problems.push_back(
          {at,
           format(tr("unknown quiz key '%s'; valid: question, answer, choice, compute, explain, tolerance"),
                  key.c_str())});
    }
  }
  const auto missing = [&](const char* what) {
    problems.push_back({quiz.line, format(tr("the quiz has no '%s:' line"), what)});
  };
  if (quiz.question.empty()) missing("question");
  if (quiz.answer.empty()) missing("answer");
  if (quiz.compute.empty()) missing("compute");
  if (quiz.explain.empty()) missing("explain");
  if (quiz.type == QuizType::Choice) {
    if (quiz.choices.size() < 2)
      problems.push_back({quiz.line, tr("a choice quiz needs at least two 'choice:' lines")});
    else if (!quiz.answer.empty() &&
             std::find(quiz.choices.begin(), quiz.choices.end(), quiz.answer) == quiz.choices.end())
      problems.push_back(
          {quiz.line, format(tr("the answer '%s' is not one of the choices"), quiz.answer.c_str())});
  } else if (!quiz.choices.empty()) {
    problems.push_back({quiz.line, format(tr("'choice:' lines belong to choice quizzes, not %s ones"),
                                          quiz_type_name(quiz.type))});
  }
}

}  // namespace

const char* quiz_type_name(QuizType type) {
  switch (type) {
    case QuizType::Number:
      return "number";
    case QuizType::Size:
      return "size";
    case QuizType::Choice:
      return "choice";
  }
  return "?";
}

const std::vector<std::string>& lesson_panels() {
  static const std::vector<std::string> panels = {"conv", "tconv", "bn", "network"};
  return panels;
}

Lesson parse_lesson(const std::string& text, const std::string& path, std::vector<Problem>& problems) {
  Lesson lesson;
  lesson.path = path;
  const std::vector<std::string> lines = split_lines(text);
  size_t i = 0;

  // ---- front matter ----------------------------------------------------------
  if (lines.empty() || st::trim(lines[0]) != "---") {
    problems.push_back({1, tr("a lesson starts with front matter: a '---' line, 'title: ...', 'language: en' "
                              "(or pt-BR), and a closing '---'")});
  } else {
    for (i = 1; i < lines.size() && st::trim(lines[i]) != "---"; ++i) {
      const std::string line = st::trim(lines[i]);
      const int at = static_cast<int>(i) + 1;
      if (line.empty() || line[0] == '#') continue;
      std::string key, value;
      if (!field(line, key, value)) {
        problems.push_back({at, format(tr("front matter lines are 'key: value'; got '%s'"), line.c_str())});
        continue;
      }
      if (key == "title")
        lesson.title = value;
      else if (key == "language") {
        if (value != "en" && value != "pt-BR")
          problems.push_back(
              {at, format(tr("language: '%s' is not supported; valid: en, pt-BR"), value.c_str())});
        lesson.language = value;
      } else if (key == "order") {
        if (!st::parse_int(value, lesson.order))
          problems.push_back({at, format(tr("order: '%s' is not a whole number"), value.c_str())});
      } else {
        problems.push_back(
            {at, format(tr("unknown front-matter key '%s'; valid: title, language, order"), key.c_str())});
      }
    }
    if (i == lines.size()) problems.push_back({1, tr("the front matter has no closing '---' line")});
    ++i;
    if (lesson.title.empty()) problems.push_back({1, tr("the front matter has no 'title:'")});
    if (lesson.language.empty())
      problems.push_back({1, tr("the front matter has no 'language:' (en or pt-BR)")});
  }

  // ---- body: steps and directives --------------------------------------------
  std::string* text_out = &lesson.introduction;
  Step* step = nullptr;
  bool in_code = false;
  for (; i < lines.size(); ++i) {
    const std::string& raw = lines[i];
    const std::string line = st::trim(raw);
    const int at = static_cast<int>(i) + 1;
    if (starts_with(line, "```") || starts_with(line, "~~~")) in_code = !in_code;
    if (!in_code && starts_with(raw, "## ")) {
      lesson.steps.push_back(Step{});
      step = &lesson.steps.back();
      step->title = st::trim(raw.substr(3));
      step->line = at;
      text_out = &step->markdown;
      continue;
    }
    if (!in_code && starts_with(line, ":::")) {
      const std::string head = st::trim(line.substr(3));
      if (head.empty()) {
        problems.push_back({at, tr("a ':::' line closes a directive, but none is open")});
        continue;
      }
      const std::string name = head.substr(0, head.find(' '));
      const std::string argument =
          head.find(' ') == std::string::npos ? "" : st::trim(head.substr(head.find(' ')));
      std::vector<std::string> body;
      size_t end = i + 1;
      while (end < lines.size() && st::trim(lines[end]) != ":::") body.push_back(lines[end++]);
      if (end == lines.size()) {
        problems.push_back({at, format(tr("the '::: %s' block has no closing ':::' line"), name.c_str())});
        break;
      }
      const int body_line = at + 1;
      i = end;
      if (step == nullptr) {
        problems.push_back({at, tr("directives belong in steps: put this block after a '## ' heading")});
        continue;
      }
      if (name == "panel") {
        if (std::find(lesson_panels().begin(), lesson_panels().end(), argument) == lesson_panels().end()) {
          problems.push_back({at, format(tr("'::: panel %s': unknown panel; valid: conv, tconv, bn, network"),
                                         argument.c_str())});
          continue;
        }
        if (!step->panel.empty())
          problems.push_back({at, tr("a step has one '::: panel' block; this one is the second")});
        step->panel = argument;
        for (size_t b = 0; b < body.size(); ++b) {
          const std::string setting = st::trim(body[b]);
          if (setting.empty() || setting[0] == '#') continue;
          const size_t eq = setting.find('=');
          if (eq == std::string::npos || eq == 0) {
            problems.push_back({body_line + static_cast<int>(b),
                                format(tr("a panel line is 'key=value'; got '%s'"), setting.c_str())});
            continue;
          }
          step->settings.push_back({st::trim(setting.substr(0, eq)), st::trim(setting.substr(eq + 1)),
                                    body_line + static_cast<int>(b)});
        }
      } else if (name == "controls") {
        step->controls.line = at;
        for (size_t b = 0; b < body.size(); ++b) {
          const std::string rule = st::trim(body[b]);
          if (rule.empty() || rule[0] == '#') continue;
          const size_t eq = rule.find('=');
          const std::string key = eq == std::string::npos ? rule : st::trim(rule.substr(0, eq));
          const auto items =
              eq == std::string::npos ? std::vector<std::string>{} : split_list(rule.substr(eq + 1));
          // A second show= (hide=, lock=) line adds to the first: it once
          // replaced it, and the first line's ids went unchecked and unused.
          std::vector<std::string>* list = key == "show"   ? &step->controls.show
                                           : key == "hide" ? &step->controls.hide
                                           : key == "lock" ? &step->controls.lock
                                                           : nullptr;
          if (list != nullptr)
            list->insert(list->end(), items.begin(), items.end());
          else
            problems.push_back(
                {body_line + static_cast<int>(b),
                 format(tr("a controls line is show=ID,..., hide=ID,... or lock=ID,...; got '%s'"),
                        rule.c_str())});
        }
      } else if (name == "quiz") {
        Quiz quiz;
        quiz.line = at;
        if (argument == "number")
          quiz.type = QuizType::Number;
        else if (argument == "size")
          quiz.type = QuizType::Size;
        else if (argument == "choice")
          quiz.type = QuizType::Choice;
        else {
          problems.push_back(
              {at, format(tr("'::: quiz %s': the type is number, size or choice"), argument.c_str())});
          continue;
        }
        parse_quiz(body, body_line, quiz, problems);
        step->quizzes.push_back(std::move(quiz));
      } else {
        problems.push_back(
            {at, format(tr("unknown directive '::: %s'; valid: panel, controls, quiz"), name.c_str())});
      }
      continue;
    }
    *text_out += raw;
    *text_out += '\n';
  }
  if (in_code) problems.push_back({static_cast<int>(lines.size()), tr("a code block (```) is never closed")});
  if (lesson.steps.empty())
    problems.push_back(
        {static_cast<int>(lines.size()), tr("the lesson has no steps: each '## ' heading starts one")});
  return lesson;
}

Lesson load_lesson(const std::string& path, std::vector<Problem>& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({0, tr("cannot open the lesson file")});
    Lesson lesson;
    lesson.path = path;
    return lesson;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_lesson(text.str(), path, problems);
}

std::string format_problems(const std::string& path, const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& p : problems) out += path + ":" + std::to_string(p.line) + ": " + p.message + "\n";
  return out;
}

}  // namespace convlab::lesson
