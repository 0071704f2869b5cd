#include "core/explore/tconv_settings_text.h"

#include <charconv>
#include <sstream>

#include "core/explore/step_text.h"

namespace convlab::explore {

namespace {

// The text helpers mirror settings_text.cpp's (whole-string numbers only,
// shortest exact float text), so both panels read and write alike.

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
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  return !text.empty() && result.ec == std::errc() && result.ptr == end;
}

bool parse_uint64(const std::string& text, uint64_t& value) {
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  return !text.empty() && result.ec == std::errc() && result.ptr == end;
}

bool parse_float(const std::string& text, float& value) {
  const char* begin = text.data();
  if (!text.empty() && text.front() == '+') ++begin;
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(begin, end, value);
  return begin != end && result.ec == std::errc() && result.ptr == end;
}

bool parse_double(const std::string& text, double& value) {
  const char* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  return !text.empty() && result.ec == std::errc() && result.ptr == end;
}

std::string double_text(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

Error bad_value(const std::string& key, const std::string& value, const std::string& valid) {
  return make_error(key, ": '", value, "' is not valid: use ", valid);
}

// "5x7" -> (5, 7); "5" -> (5, 5).
bool parse_size(const std::string& text, int& h, int& w) {
  const size_t x = text.find_first_of("xX");
  if (x == std::string::npos) return parse_int(text, h) && (w = h, true);
  return parse_int(text.substr(0, x), h) && parse_int(text.substr(x + 1), w);
}

// "2,3" -> (2, 3); "2" -> (2, 2).
bool parse_pair(const std::string& text, int& h, int& w) {
  const std::vector<std::string> parts = split(text, ',');
  if (parts.size() == 1) return parse_int(parts[0], h) && (w = h, true);
  return parts.size() == 2 && parse_int(parts[0], h) && parse_int(parts[1], w);
}

Result<std::vector<float>> parse_values(const std::string& key, const std::string& text) {
  std::vector<float> values;
  for (const std::string& part : split(text, ',')) {
    float v = 0;
    if (!parse_float(part, v))
      return make_error(key, ": '", part, "' is not a number: give comma-separated numbers like 1,-2,0.5");
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

Status with_key(const std::string& key, Status status) {
  if (status.ok()) return status;
  return make_error(key, ": ", status.message());
}

Status set_input_values(TconvExplorer& e, const std::string& key, const std::string& value) {
  if (auto preset = parse_input_preset(value); preset.ok()) {
    e.apply_input_preset(*preset);
    return {};
  }
  auto values = parse_values(key, value);
  if (!values.ok()) return make_error(values.message(), ", or an input preset (", input_preset_names(), ")");
  return with_key(key, e.set_input_values(std::move(values).value()));
}

Status set_kernel_values(TconvExplorer& e, const std::string& key, const std::string& value) {
  if (auto preset = parse_tconv_kernel_preset(value); preset.ok()) {
    e.apply_kernel_preset(*preset);
    return {};
  }
  auto values = parse_values(key, value);
  if (!values.ok())
    return make_error(values.message(), ", or a kernel preset (", tconv_kernel_preset_names(), ")");
  return with_key(key, e.set_weights(std::move(values).value()));
}

std::string keys_text() {
  std::string text;
  for (const std::string& key : tconv_setting_keys()) text += (text.empty() ? "" : ", ") + key;
  return text;
}

}  // namespace

const std::vector<std::string>& tconv_setting_keys() {
  static const std::vector<std::string> keys = {
      "input",          "in_channels",   "out_channels",  "kernel", "seed",   "input_preset",
      "input_values",   "kernel_preset", "kernel_values", "bias",   "stride", "padding",
      "output_padding", "dilation",      "view",          "speed",  "step"};
  return keys;
}

Status apply_tconv_setting(TconvExplorer& e, const std::string& raw_key, const std::string& raw_value) {
  const std::string key = trim(raw_key), value = trim(raw_value);
  int a = 0, b = 0;
  if (key == "input" || key == "input_size") {
    if (parse_size(value, a, b)) return with_key(key, e.set_input_size(a, b));
    if (key == "input" && parse_input_preset(value).ok()) return set_input_values(e, key, value);
    return bad_value(key, value,
                     key == "input"
                         ? "a size HxW or N (1..8 each) or an input preset (" + input_preset_names() + ")"
                         : std::string("a size HxW or N (1..8 each)"));
  }
  if (key == "kernel" || key == "kernel_size") {
    if (parse_size(value, a, b)) return with_key(key, e.set_kernel_size(a, b));
    if (key == "kernel" && parse_tconv_kernel_preset(value).ok()) return set_kernel_values(e, key, value);
    return bad_value(key, value,
                     key == "kernel" ? "a size HxW or N (1..5 each) or a kernel preset (" +
                                           tconv_kernel_preset_names() + ")"
                                     : std::string("a size HxW or N (1..5 each)"));
  }
  if (key == "in_channels" || key == "out_channels") {
    if (!parse_int(value, a)) return bad_value(key, value, "an integer 1..2");
    return with_key(key, key == "in_channels" ? e.set_in_channels(a) : e.set_out_channels(a));
  }
  if (key == "seed") {
    uint64_t seed = 0;
    if (!parse_uint64(value, seed)) return bad_value(key, value, "a non-negative integer");
    e.set_seed(seed);
    return {};
  }
  if (key == "input_preset") {
    auto preset = parse_input_preset(value);
    if (!preset.ok()) return with_key(key, preset.error());
    e.apply_input_preset(*preset);
    return {};
  }
  if (key == "kernel_preset") {
    auto preset = parse_tconv_kernel_preset(value);
    if (!preset.ok()) return with_key(key, preset.error());
    e.apply_kernel_preset(*preset);
    return {};
  }
  if (key == "input_values") return set_input_values(e, key, value);
  if (key == "kernel_values") return set_kernel_values(e, key, value);
  if (key == "bias") {
    auto values = parse_values(key, value);
    if (!values.ok()) return values.error();
    return with_key(key, e.set_biases(std::move(values).value()));
  }
  if (key == "stride" || key == "dilation") {
    if (!parse_pair(value, a, b)) return bad_value(key, value, "N or H,W (each 1..3)");
    return with_key(key, key == "stride" ? e.set_stride(a, b) : e.set_dilation(a, b));
  }
  if (key == "padding") {
    if (!parse_pair(value, a, b))
      return bad_value(key, value, "N or H,W (each 0..17; a transposed conv crops the same on both sides)");
    return with_key(key, e.set_padding(a, b));
  }
  if (key == "output_padding") {
    if (!parse_pair(value, a, b))
      return bad_value(key, value, "N or H,W (each 0..2 and below the stride or the dilation)");
    return with_key(key, e.set_output_padding(a, b));
  }
  if (key == "view") {
    auto view = parse_tconv_view(value);
    if (!view.ok()) return with_key(key, view.error());
    e.set_view(*view);
    return {};
  }
  if (key == "speed") {
    double rate = 0;
    if (!parse_double(value, rate))
      return bad_value(key, value, "steps per second, above 0 and at most 1000");
    return with_key(key, e.set_steps_per_second(rate));
  }
  if (key == "step") {
    if (value == "start") {
      e.to_start();
    } else if (value == "end") {
      e.to_end();
    } else if (parse_int(value, a) && a >= 0) {
      if (e.step_count() == 0 && a == 0) return {};  // a saved state without output says step=0
      if (e.step_count() == 0) return make_error(key, ": there are no steps: ", e.reason());
      if (a >= e.step_count())
        return make_error(key, ": ", a, " is past the last step; use 0..", e.step_count() - 1,
                          ", start or end");
      e.set_step(a);
    } else {
      return bad_value(key, value, "a step index (0 or more), start or end");
    }
    return {};
  }
  return make_error("unknown setting '", key, "': valid keys are ", keys_text());
}

Status apply_tconv_setting(TconvExplorer& explorer, const std::string& assignment) {
  const size_t equals = assignment.find('=');
  if (equals == std::string::npos)
    return make_error("setting '", assignment, "' has no '=': write KEY=VALUE with a key from ", keys_text());
  return apply_tconv_setting(explorer, assignment.substr(0, equals), assignment.substr(equals + 1));
}

Status apply_tconv_settings_text(TconvExplorer& explorer, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const Status status = apply_tconv_setting(explorer, line);
    if (!status.ok()) return make_error("line ", number, ": ", status.message());
  }
  return {};
}

std::string describe_tconv_state(const TconvExplorer& e) {
  const TconvSettings& s = e.settings();
  std::ostringstream out;
  out << "input=" << s.input_h << 'x' << s.input_w << '\n';
  out << "in_channels=" << s.in_channels << '\n';
  out << "out_channels=" << s.out_channels << '\n';
  out << "kernel=" << s.kernel_h << 'x' << s.kernel_w << '\n';
  out << "seed=" << s.seed << '\n';
  // A live preset is written by name, so it stays live after a restore.
  if (s.input_preset)
    out << "input_preset=" << input_preset_name(*s.input_preset) << '\n';
  else
    out << "input_values=" << join_values(s.input) << '\n';
  if (s.kernel_preset)
    out << "kernel_preset=" << tconv_kernel_preset_name(*s.kernel_preset) << '\n';
  else
    out << "kernel_values=" << join_values(s.weight) << '\n';
  out << "bias=" << join_values(s.bias) << '\n';
  out << "stride=" << s.stride_h << ',' << s.stride_w << '\n';
  out << "padding=" << s.padding_h << ',' << s.padding_w << '\n';
  out << "output_padding=" << s.output_padding_h << ',' << s.output_padding_w << '\n';
  out << "dilation=" << s.dilation_h << ',' << s.dilation_w << '\n';
  out << "view=" << tconv_view_name(s.view) << '\n';
  out << "speed=" << double_text(e.steps_per_second()) << '\n';
  out << "step=" << e.step_index() << '\n';
  return out.str();
}

}  // namespace convlab::explore
