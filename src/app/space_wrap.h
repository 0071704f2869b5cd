// Text broken into lines only at its spaces, for the step arithmetic
// ("0*0,0625 + 0*0,0625 + ..."): ImGui's own wrapping may also break right
// after a comma, which in Portuguese splits a number at its decimal comma.
#pragma once

#include <string>

struct ImFont;

namespace convlab::app {

// `text` with '\n' put in place of the spaces where a line would pass
// `width` pixels in `font` at `size`. A single word wider than `width` keeps
// a line of its own.
std::string wrap_at_spaces(const ImFont* font, float size, const std::string& text, float width);

}  // namespace convlab::app
