// Draws a lesson step's Markdown (core/lesson/markdown.h blocks) with ImGui:
// word-wrapped paragraphs mixing regular, bold, italic, code and math runs,
// headings, bullet and numbered lists, code blocks and quotes. ImGui 1.86
// has no rich text, so words are placed one by one.
#pragma once

#include <vector>

#include "app/panel.h"
#include "core/lesson/markdown.h"

namespace convlab::app {

void draw_lesson_text(const std::vector<lesson::TextBlock>& blocks, const PanelContext& context);

}  // namespace convlab::app
