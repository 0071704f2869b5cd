// The text of panel settings (`--set KEY=VALUE`, saved states), shared by
// the convolution, transposed-convolution and batch-norm explorers so all
// three read and write numbers alike: whole-string numbers only ("3x" is an
// error, not 3), floats written as the shortest text that reads back exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace convlab::explore::setting_text {

std::string trim(const std::string& text);
std::vector<std::string> split(const std::string& text, char separator);  // parts trimmed

bool parse_int(const std::string& text, int& value);
bool parse_uint64(const std::string& text, uint64_t& value);
bool parse_float(const std::string& text, float& value);  // a leading '+' is allowed
bool parse_double(const std::string& text, double& value);
std::string double_text(double value);                     // shortest exact text
bool parse_size(const std::string& text, int& h, int& w);  // "5x7" -> (5, 7); "5" -> (5, 5)
bool parse_pair(const std::string& text, int& h, int& w);  // "2,3" -> (2, 3); "2" -> (2, 2)
bool parse_on_off(const std::string& text, bool& value);   // on|off, 1|0, true|false

// Comma-separated floats; the error names the key and the bad part.
Result<std::vector<float>> parse_values(const std::string& key, const std::string& text);
std::string join_values(const std::vector<float>& values);  // bit-exact round trip

Error bad_value(const std::string& key, const std::string& value, const std::string& valid);
Status with_key(const std::string& key, Status status);       // "key: message" on error
std::string join_keys(const std::vector<std::string>& keys);  // "a, b, c"

// "key=value" -> apply(key, value); an error without '=' lists `keys`.
Status apply_assignment(const std::string& assignment, const std::vector<std::string>& keys,
                        const std::function<Status(const std::string&, const std::string&)>& apply);
// Lines of key=value (blank lines and '#' comments skipped) through
// apply_assignment; the first error stops, prefixed with its line number.
Status apply_lines(const std::string& text, const std::function<Status(const std::string&)>& apply_one);

}  // namespace convlab::explore::setting_text
