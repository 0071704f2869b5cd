#include "core/explore/settings_text.h"

#include <sstream>

#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"
#include "core/explore/step_text.h"

namespace convlab::explore {

using namespace setting_text;

namespace {

std::string padding_text(const ExploreSettings& s) {
  if (s.padding_preset != PaddingPreset::Custom) return padding_preset_name(s.padding_preset);
  const Padding2d& p = s.custom_padding;
  std::ostringstream out;
  out << p.top << ',' << p.bottom << ',' << p.left << ',' << p.right;
  return out.str();
}

Status set_padding(ConvExplorer& e, const std::string& key, const std::string& value) {
  auto preset = parse_padding_preset(value);
  if (preset.ok() && *preset != PaddingPreset::Custom) {
    e.set_padding_preset(*preset);
    return {};
  }
  const std::vector<std::string> parts = split(value, ',');
  Padding2d p;
  const bool parsed = (parts.size() == 1 && parse_int(parts[0], p.top)) ||
                      (parts.size() == 4 && parse_int(parts[0], p.top) && parse_int(parts[1], p.bottom) &&
                       parse_int(parts[2], p.left) && parse_int(parts[3], p.right));
  if (!parsed) return bad_value(key, value, tr("valid, same, full, N (every side) or T,B,L,R (each 0..32)"));
  if (parts.size() == 1) p.bottom = p.left = p.right = p.top;
  return with_key(key, e.set_custom_padding(p));
}

Status set_input_values(ConvExplorer& e, const std::string& key, const std::string& value) {
  if (auto preset = parse_input_preset(value); preset.ok()) {
    e.apply_input_preset(*preset);
    return {};
  }
  auto values = parse_values(key, value);
  if (!values.ok())
    return Error{
        format(tr("%s, or an input preset (%s)"), values.message().c_str(), input_preset_names().c_str())};
  return with_key(key, e.set_input_values(std::move(values).value()));
}

Status set_kernel_values(ConvExplorer& e, const std::string& key, const std::string& value) {
  if (auto preset = parse_kernel_preset(value); preset.ok())
    return with_key(key, e.apply_kernel_preset(*preset));
  auto values = parse_values(key, value);
  if (!values.ok())
    return Error{
        format(tr("%s, or a kernel preset (%s)"), values.message().c_str(), kernel_preset_names().c_str())};
  return with_key(key, e.set_weights(std::move(values).value()));
}

std::string keys_text() { return join_keys(setting_keys()); }

}  // namespace

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> keys = {
      "input",        "in_channels",  "out_channels",  "kernel",        "seed",
      "input_preset", "input_values", "kernel_preset", "kernel_values", "bias",
      "padding",      "stride",       "dilation",      "speed",         "step"};
  return keys;
}

Status apply_setting(ConvExplorer& e, const std::string& raw_key, const std::string& raw_value) {
  const std::string key = trim(raw_key), value = trim(raw_value);
  int a = 0, b = 0;
  if (key == "input") {
    if (parse_size(value, a, b)) return with_key(key, e.set_input_size(a, b));
    if (parse_input_preset(value).ok()) return set_input_values(e, key, value);
    return bad_value(
        key, value,
        format(tr("a size HxW or N (1..32 each) or an input preset (%s)"), input_preset_names().c_str()));
  }
  if (key == "kernel") {
    if (parse_size(value, a, b)) return with_key(key, e.set_kernel_size(a, b));
    if (parse_kernel_preset(value).ok()) return set_kernel_values(e, key, value);
    return bad_value(
        key, value,
        format(tr("a size HxW or N (1..7 each) or a kernel preset (%s)"), kernel_preset_names().c_str()));
  }
  if (key == "in_channels") {
    if (!parse_int(value, a)) return bad_value(key, value, tr("an integer 1..3"));
    return with_key(key, e.set_in_channels(a));
  }
  if (key == "out_channels") {
    if (!parse_int(value, a)) return bad_value(key, value, tr("an integer 1..4"));
    return with_key(key, e.set_out_channels(a));
  }
  if (key == "seed") {
    uint64_t seed = 0;
    if (!parse_uint64(value, seed)) return bad_value(key, value, tr("a non-negative integer"));
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
    auto preset = parse_kernel_preset(value);
    if (!preset.ok()) return with_key(key, preset.error());
    return with_key(key, e.apply_kernel_preset(*preset));
  }
  if (key == "input_values") return set_input_values(e, key, value);
  if (key == "kernel_values") return set_kernel_values(e, key, value);
  if (key == "bias") {
    auto values = parse_values(key, value);
    if (!values.ok()) return values.error();
    return with_key(key, e.set_biases(std::move(values).value()));
  }
  if (key == "padding") return set_padding(e, key, value);
  if (key == "stride" || key == "dilation") {
    if (!parse_pair(value, a, b)) return bad_value(key, value, tr("N or H,W (each 1..4)"));
    return with_key(key, key == "stride" ? e.set_stride(a, b) : e.set_dilation(a, b));
  }
  if (key == "speed") {
    double rate = 0;
    if (!parse_double(value, rate))
      return bad_value(key, value, tr("steps per second, above 0 and at most 1000"));
    return with_key(key, e.set_steps_per_second(rate));
  }
  if (key == "step") {
    if (value == "start") {
      e.to_start();
    } else if (value == "end") {
      e.to_end();
    } else if (parse_int(value, a) && a >= 0) {
      if (e.step_count() == 0 && a == 0) return {};  // a saved state without output says step=0
      if (e.step_count() == 0)
        return Error{format(tr("%s: there are no steps: %s"), key.c_str(), e.reason().c_str())};
      if (a >= e.step_count())
        return Error{format(tr("%s: %d is past the last step; use 0..%d, start or end"), key.c_str(), a,
                            e.step_count() - 1)};
      e.set_step(a);
    } else {
      return bad_value(key, value, tr("a step index (0 or more), start or end"));
    }
    return {};
  }
  return Error{format(tr("unknown setting '%s': valid keys are %s"), key.c_str(), keys_text().c_str())};
}

Status apply_setting(ConvExplorer& explorer, const std::string& assignment) {
  return setting_text::apply_assignment(
      assignment, setting_keys(),
      [&](const std::string& key, const std::string& value) { return apply_setting(explorer, key, value); });
}

Status apply_settings_text(ConvExplorer& explorer, const std::string& text) {
  return setting_text::apply_lines(text,
                                   [&](const std::string& line) { return apply_setting(explorer, line); });
}

std::string describe_state(const ConvExplorer& e) {
  const ExploreSettings& s = e.settings();
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
    out << "kernel_preset=" << kernel_preset_name(*s.kernel_preset) << '\n';
  else
    out << "kernel_values=" << join_values(s.weight) << '\n';
  out << "bias=" << join_values(s.bias) << '\n';
  out << "padding=" << padding_text(s) << '\n';
  out << "stride=" << s.stride_h << ',' << s.stride_w << '\n';
  out << "dilation=" << s.dilation_h << ',' << s.dilation_w << '\n';
  out << "speed=" << double_text(e.steps_per_second()) << '\n';
  out << "step=" << e.step_index() << '\n';
  return out.str();
}

}  // namespace convlab::explore
