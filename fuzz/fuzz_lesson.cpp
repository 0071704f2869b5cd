// Lesson files (Markdown with panel, controls and quiz blocks): every text
// parses into steps and problems, each problem with a line inside the file.
#include <algorithm>

#include "core/lesson/lesson.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = fuzz_text(data, size);
  std::vector<convlab::lesson::Problem> problems;
  const convlab::lesson::Lesson lesson = convlab::lesson::parse_lesson(text, "fuzz.md", problems);
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const auto& problem : problems) {
    FUZZ_REQUIRE(!problem.message.empty());
    FUZZ_REQUIRE(problem.line >= 0 && problem.line <= lines + 1);
  }
  (void)lesson;
  return 0;
}
