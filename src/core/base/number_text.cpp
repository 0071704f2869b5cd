#include "core/base/number_text.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace convlab {

namespace {

#if defined(__cpp_lib_to_chars)  // floating-point <charconv> is there

template <typename T>
std::string shortest(T value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return result.ec == std::errc() ? std::string(buffer, result.ptr) : std::string("?");
}

template <typename T>
bool parse(const std::string& text, T& value) {
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  return !text.empty() && result.ec == std::errc() && result.ptr == end;
}

#else  // libc++ before 17 (emscripten's): printf and strtod in the "C" locale

template <typename T>
T read_back(const char* text) {
  if constexpr (sizeof(T) == sizeof(float))
    return std::strtof(text, nullptr);
  else
    return std::strtod(text, nullptr);
}

// The fewest %g digits that read back exactly.
template <typename T>
std::string shortest(T value) {
  char buffer[64];
  constexpr int kMaxDigits = sizeof(T) == sizeof(float) ? 9 : 17;
  for (int digits = 1; digits <= kMaxDigits; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, static_cast<double>(value));
    if (read_back<T>(buffer) == value) break;
  }
  return buffer;
}

template <typename T>
bool parse(const std::string& text, T& value) {
  // strtod also takes leading spaces, hex, "inf" and "nan": from_chars takes
  // no spaces and no hex prefix; keep to that.
  if (text.empty() || text.front() == ' ' || text.front() == '+' || text.find("0x") != std::string::npos ||
      text.find("0X") != std::string::npos)
    return false;
  char* end = nullptr;
  const double parsed = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return false;
  value = static_cast<T>(parsed);
  return true;
}

#endif

}  // namespace

std::string shortest_text(float value) { return shortest(value); }
std::string shortest_text(double value) { return shortest(value); }

std::string general_text(float value, int significant_digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", significant_digits, static_cast<double>(value));
  return buffer;
}

bool parse_number(const std::string& text, double& value) { return parse(text, value); }
bool parse_number(const std::string& text, float& value) { return parse(text, value); }

}  // namespace convlab
