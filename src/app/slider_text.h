// What a float slider shows, in the UI's language. ImGui prints a slider's
// value with printf in the "C" locale (a dot); Portuguese writes 2,50. The
// value is formatted here, with the decimal comma where the language wants
// one, and handed to ImGui as a format with no conversion left, which ImGui
// shows as it is. Ctrl+click still edits the number (ImGui reads typed
// floats with its own "%f").
#pragma once

#include <string>

#include "core/base/i18n.h"

namespace convlab::app {

// slider_text(tr("%.2f steps/s"), 2.5) -> "2,50 passos/s" in Portuguese.
inline std::string slider_text(const char* printf_format, double value) {
  const std::string shown = i18n::display_text(format(printf_format, value));
  std::string escaped;  // a literal '%' must reach ImGui as "%%"
  for (char c : shown) {
    if (c == '%') escaped += '%';
    escaped += c;
  }
  return escaped;
}

}  // namespace convlab::app
