// Quiz answers: what a `compute:` line computes with ConvLab's core (so a
// lesson can never state a wrong number), reading a typed answer ("3x3",
// "3 x 3", "3×3", "3" for a square, "0.5"), and grading it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/lesson/lesson.h"

namespace convlab::lesson {

struct QuizValue {
  bool is_size = false;
  double number = 0;          // when !is_size
  std::vector<int64_t> size;  // when is_size: 2 (HxW) or 3 (CxHxW) extents
  std::string text() const;   // "3x3", "9", "0.5"
};

// "conv_output input=5x5 kernel=3 padding=valid" (functions in lessons/README.md).
// Errors name the function or key and list what is valid.
Result<QuizValue> compute_quiz_value(const std::string& compute);
// A typed answer for a number or size quiz.
Result<QuizValue> parse_quiz_value(QuizType type, const std::string& text);

struct Grade {
  bool correct = false;
  std::string message;  // "Right! ..." / "Not quite: the answer is 3x3. ..." (the UI language)
};
// `given`: what the student typed, or the chosen choice's text. The verdict
// is in the UI language (tr()), the explanation in the lesson's.
Grade grade_answer(const Quiz& quiz, const std::string& given);

// The lesson's stated answer against the computed one; an error says both.
Status check_quiz_answer(const Quiz& quiz);

}  // namespace convlab::lesson
