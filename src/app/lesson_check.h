// Everything `convlab lesson check` verifies in a lesson, beyond its syntax:
// every quiz's stated answer is what the core computes, and every step's
// panel settings and control ids are ones its panel takes (each step is
// applied to a fresh panel, exactly as the lesson panel does).
#pragma once

#include <string>
#include <vector>

#include "core/lesson/lesson.h"

namespace convlab::app {

std::vector<lesson::Problem> check_lesson_content(const lesson::Lesson& lesson);

// Parse + content check of one file; problems as "file:line: message" lines.
std::vector<lesson::Problem> check_lesson_file(const std::string& path, lesson::Lesson* parsed = nullptr);

}  // namespace convlab::app
