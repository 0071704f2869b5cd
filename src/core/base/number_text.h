// Numbers as text and back, the same on every platform and in every locale
// (a dot, never a comma: files, settings and traces are language-free).
// Where the standard library has the floating-point <charconv> functions
// (libstdc++ on the desktop) they do the work; the browser build's libc++
// has only the integer ones, and gets the same results through the C
// library, in its fixed "C" locale.
#pragma once

#include <string>

namespace convlab {

// The shortest text that reads back as the same value ("0.1", "-2.5", "1e-05").
std::string shortest_text(float value);
std::string shortest_text(double value);
// printf's %.{digits}g.
std::string general_text(float value, int significant_digits);

// The whole text must be a number; no spaces, no trailing characters.
bool parse_number(const std::string& text, double& value);
bool parse_number(const std::string& text, float& value);

}  // namespace convlab
