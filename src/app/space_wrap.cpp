#include "app/space_wrap.h"

#include <imgui.h>

#include <cfloat>

namespace convlab::app {

std::string wrap_at_spaces(const ImFont* font, float size, const std::string& text, float width) {
  const auto text_width = [&](const std::string& line) {
    return const_cast<ImFont*>(font)->CalcTextSizeA(size, FLT_MAX, 0.0f, line.c_str()).x;
  };
  std::string wrapped, line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && text_width(line + " " + word) > width) {
      wrapped += line + "\n";
      line = word;
    } else {
      line += (line.empty() ? "" : " ") + word;
    }
    start = end + 1;
  }
  return wrapped + line;
}

}  // namespace convlab::app
