#include "app/space_wrap.h"

#include <imgui.h>

#include <cfloat>

namespace convlab::app {

std::string wrap_at_spaces(const ImFont* font, float size, const std::string& text, float width) {
  // ImGui 1.86 lays text out by adding glyph advances (no kerning), so a
  // line's width is the sum of its words' and spaces' widths: each word is
  // measured once.
  const auto text_width = [&](const char* begin, const char* end) {
    return const_cast<ImFont*>(font)->CalcTextSizeA(size, FLT_MAX, 0.0f, begin, end).x;
  };
  const float space = text_width(" ", nullptr);
  std::string wrapped;
  float line_width = -1.0f;  // < 0: the line is still empty
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const float word = text_width(text.data() + start, text.data() + end);
    if (line_width >= 0.0f && line_width + space + word > width) {
      wrapped += '\n';
      line_width = word;
    } else {
      if (line_width >= 0.0f) wrapped += ' ';
      line_width = line_width < 0.0f ? word : line_width + space + word;
    }
    wrapped.append(text, start, end - start);
    start = end + 1;
  }
  return wrapped;
}

}  // namespace convlab::app
