#include "core/lesson/library.h"

#include <algorithm>
#include <filesystem>

#include "core/lesson/lesson.h"

namespace convlab::lesson {

namespace fs = std::filesystem;

std::vector<LessonInfo> list_lessons(const std::string& folder, const std::string& language) {
  std::vector<LessonInfo> lessons;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(folder, ec)) {
    if (!dir.is_directory(ec)) continue;
    const std::string lang = dir.path().filename().string();
    if (!language.empty() && lang != language) continue;
    for (const auto& file : fs::directory_iterator(dir.path(), ec)) {
      if (file.path().extension() != ".md" || file.path().filename() == "README.md") continue;
      std::vector<Problem> problems;
      const Lesson lesson = load_lesson(file.path().string(), problems);
      LessonInfo info;
      info.path = file.path().lexically_normal().string();
      info.title = lesson.title;
      info.language = lesson.language.empty() ? lang : lesson.language;
      info.order = lesson.order;
      info.steps = static_cast<int>(lesson.steps.size());
      for (const Step& step : lesson.steps) info.quizzes += static_cast<int>(step.quizzes.size());
      info.problems = static_cast<int>(problems.size());
      lessons.push_back(std::move(info));
    }
  }
  std::sort(lessons.begin(), lessons.end(), [](const LessonInfo& a, const LessonInfo& b) {
    if (a.language != b.language) return a.language < b.language;
    if (a.order != b.order) return a.order < b.order;
    return a.path < b.path;
  });
  return lessons;
}

}  // namespace convlab::lesson
