// The pseudo language's rules, shared by the probe that watches the app's
// text and the test that reads its report: what lies outside ⟦ ⟧ markers,
// and whether a text holds a word (two letters in a row).
#pragma once

#include <algorithm>
#include <string>

namespace convlab::text_audit {

// The text with every ⟦...⟧ (nested too) taken out: what skipped tr().
inline std::string outside_markers(const std::string& text) {
  static const std::string open = "\xe2\x9f\xa6", close = "\xe2\x9f\xa7";  // ⟦ ⟧
  std::string rest;
  int depth = 0;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, open.size(), open) == 0) {
      ++depth;
      i += open.size();
    } else if (text.compare(i, close.size(), close) == 0) {
      depth = std::max(0, depth - 1);
      i += close.size();
    } else {
      if (depth == 0) rest += text[i];
      ++i;
    }
  }
  return rest;
}

// Two or more letters in a row: ASCII, or an accented letter (a UTF-8 lead
// byte from 0xC3 with its continuation bytes). Single letters are symbols (H, W, k, x).
inline bool has_word(const std::string& text) {
  int run = 0;
  for (unsigned char c : text) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC3;
    if (letter) {
      if (++run >= 2) return true;
    } else if (!(c >= 0x80 && c < 0xC0)) {
      run = 0;
    }
  }
  return false;
}

}  // namespace convlab::text_audit
