// The lessons in a folder (lessons/<language>/*.md), in order: what
// `convlab lesson list` prints and the lesson panel offers.
#pragma once

#include <string>
#include <vector>

namespace convlab::lesson {

struct LessonInfo {
  std::string path;
  std::string title;
  std::string language;
  int order = 0;
  int steps = 0, quizzes = 0;
  int problems = 0;  // parse problems (lesson check says which)
};

// Every *.md under folder/<language>/ (README.md excluded), sorted by
// language, then order, then file name. An empty language means all.
std::vector<LessonInfo> list_lessons(const std::string& folder, const std::string& language = "");

}  // namespace convlab::lesson
