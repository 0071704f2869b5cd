#include "core/explore/setting_parse.h"

#include <charconv>
#include <sstream>

#include "core/base/i18n.h"
#include "core/base/number_text.h"
#include "core/explore/step_text.h"

namespace convlab::explore::setting_text {

namespace {

template <typename T>
bool parse_whole(const char* begin, const char* end, T& value) {
  const auto result = std::from_chars(begin, end, value);
  return begin != end && result.ec == std::errc() && result.ptr == end;
}

}  // namespace

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(trim(part));
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

bool parse_int(const std::string& text, int& value) {
  return parse_whole(text.data(), text.data() + text.size(), value);
}

bool parse_uint64(const std::string& text, uint64_t& value) {
  return parse_whole(text.data(), text.data() + text.size(), value);
}

bool parse_float(const std::string& text, float& value) {
  return parse_number(!text.empty() && text.front() == '+' ? text.substr(1) : text, value);
}

bool parse_double(const std::string& text, double& value) { return parse_number(text, value); }

std::string double_text(double value) { return shortest_text(value); }

bool parse_size(const std::string& text, int& h, int& w) {
  const size_t x = text.find_first_of("xX");
  if (x == std::string::npos) return parse_int(text, h) && (w = h, true);
  return parse_int(text.substr(0, x), h) && parse_int(text.substr(x + 1), w);
}

bool parse_pair(const std::string& text, int& h, int& w) {
  const std::vector<std::string> parts = split(text, ',');
  if (parts.size() == 1) return parse_int(parts[0], h) && (w = h, true);
  return parts.size() == 2 && parse_int(parts[0], h) && parse_int(parts[1], w);
}

bool parse_on_off(const std::string& text, bool& value) {
  if (text == "on" || text == "1" || text == "true") return value = true, true;
  if (text == "off" || text == "0" || text == "false") return value = false, true;
  return false;
}

Result<std::vector<float>> parse_values(const std::string& key, const std::string& text) {
  std::vector<float> values;
  for (const std::string& part : split(text, ',')) {
    float v = 0;
    if (!parse_float(part, v))
      return Error{format(tr("%s: '%s' is not a number: give comma-separated numbers like 1,-2,0.5"),
                          key.c_str(), part.c_str())};
    values.push_back(v);
  }
  return values;
}

std::string join_values(const std::vector<float>& values) {
  std::string text;
  for (float v : values) {
    if (!text.empty()) text += ',';
    text += format_value(v);  // shortest exact text: the round trip is bit for bit
  }
  return text;
}

Error bad_value(const std::string& key, const std::string& value, const std::string& valid) {
  return Error{format(tr("%s: '%s' is not valid: use %s"), key.c_str(), value.c_str(), valid.c_str())};
}

Status with_key(const std::string& key, Status status) {
  if (status.ok()) return status;
  return Error{format(tr("%s: %s"), key.c_str(), status.message().c_str())};
}

std::string join_keys(const std::vector<std::string>& keys) {
  std::string text;
  for (const std::string& key : keys) {
    if (!text.empty()) text += ", ";
    text += key;
  }
  return text;
}

Status apply_assignment(const std::string& assignment, const std::vector<std::string>& keys,
                        const std::function<Status(const std::string&, const std::string&)>& apply) {
  const size_t equals = assignment.find('=');
  if (equals == std::string::npos)
    return Error{format(tr("setting '%s' has no '=': write KEY=VALUE with a key from %s"), assignment.c_str(),
                        join_keys(keys).c_str())};
  return apply(assignment.substr(0, equals), assignment.substr(equals + 1));
}

Status apply_lines(const std::string& text, const std::function<Status(const std::string&)>& apply_one) {
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const Status status = apply_one(line);
    if (!status.ok()) return Error{format(tr("line %d: %s"), number, status.message().c_str())};
  }
  return {};
}

}  // namespace convlab::explore::setting_text
