#include "cli/cli_common.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <system_error>

namespace convlab::cli {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Splits on any of `separators`; keeps empty parts so "1,,2" is an error later.
std::vector<std::string_view> split(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || separators.find(text[i]) != std::string_view::npos) {
      parts.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  return parts;
}

}  // namespace

int usage_error(std::string_view command, const std::string& message) {
  std::cerr << "convlab " << command << ": error: " << message << "\n";
  std::cerr << "Run 'convlab " << command << " --help' for the options and examples.\n";
  return kExitUsage;
}

int runtime_error(std::string_view command, const std::string& message) {
  std::cerr << "convlab " << command << ": error: " << message << "\n";
  return kExitRuntime;
}

void warn(std::string_view command, const std::string& message) {
  std::cerr << "convlab " << command << ": warning: " << message << "\n";
}

Result<int64_t> parse_int(std::string_view text, std::string_view setting) {
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size())
    return make_error(setting, ": '", text, "' is not a whole number (e.g. 3)");
  return value;
}

Result<float> parse_float(std::string_view text, std::string_view setting) {
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size())
    return make_error(setting, ": '", text, "' is not a number (e.g. 0.5 or -2)");
  if (!std::isfinite(value) || std::fabs(value) > std::numeric_limits<float>::max())
    return make_error(setting, ": '", text, "' is not a finite float32 number");
  return static_cast<float>(value);
}

Result<std::vector<float>> parse_float_list(std::string_view text, std::string_view setting) {
  std::vector<float> values;
  for (std::string_view part : split(text, ",")) {
    auto v = parse_float(part, setting);
    if (!v) return make_error(v.message(), "; expected comma-separated numbers like 1,2.5,-3");
    values.push_back(*v);
  }
  return values;
}

Result<std::vector<int>> parse_int_list(std::string_view text, std::string_view setting) {
  std::vector<int> values;
  for (std::string_view part : split(text, ",")) {
    auto v = parse_int(part, setting);
    if (!v) return make_error(v.message(), "; expected comma-separated whole numbers like 128,256");
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max())
      return make_error(setting, ": ", *v, " is out of range");
    values.push_back(static_cast<int>(*v));
  }
  return values;
}

namespace {

Result<Size2d> parse_two(std::string_view text, std::string_view setting, std::string_view separators,
                         std::string_view expected) {
  auto parts = split(text, separators);
  if (parts.size() != 1 && parts.size() != 2)
    return make_error(setting, ": '", text, "' has ", parts.size(), " numbers; expected ", expected);
  Size2d size;
  for (size_t i = 0; i < parts.size(); ++i) {
    auto v = parse_int(parts[i], setting);
    if (!v) return make_error(setting, ": '", text, "' is not ", expected);
    if (*v < -1000000 || *v > 1000000)
      return make_error(setting, ": ", *v, " is out of range (at most 1000000 in magnitude)");
    (i == 0 ? size.h : size.w) = static_cast<int>(*v);
  }
  if (parts.size() == 1) size.w = size.h;
  return size;
}

}  // namespace

Result<Size2d> parse_size(std::string_view text, std::string_view setting) {
  return parse_two(text, setting, "xX,", "N or HxW with whole numbers (e.g. 5 or 5x7)");
}

Result<Size2d> parse_pair(std::string_view text, std::string_view setting) {
  return parse_two(text, setting, ",xX", "N or H,W with whole numbers (e.g. 2 or 2,1)");
}

Result<StepRange> parse_steps(std::string_view text, std::string_view setting) {
  const std::string_view expected = "expected A:B (steps A to B-1), A:, :B or a single step A, with A < B";
  StepRange range;
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    auto a = parse_int(text, setting);
    if (!a || *a < 0) return make_error(setting, ": '", text, "' is not a step range; ", expected);
    range.first = *a;
    range.last = *a + 1;
    return range;
  }
  std::string_view a = trim(text.substr(0, colon)), b = trim(text.substr(colon + 1));
  if (!a.empty()) {
    auto v = parse_int(a, setting);
    if (!v || *v < 0) return make_error(setting, ": '", text, "' is not a step range; ", expected);
    range.first = *v;
  }
  if (!b.empty()) {
    auto v = parse_int(b, setting);
    if (!v || *v <= range.first) return make_error(setting, ": '", text, "' is not a step range; ", expected);
    range.last = *v;
  }
  return range;
}

std::string fmt(double value) {
  if (value == 0) return "0";  // also turns -0 into 0, which reads better in a table
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string pad_left(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path().string();
}

}  // namespace convlab::cli
