#include "core/explore/settings_text.h"

#include <sstream>

#include "core/base/i18n.h"
#include "core/explore/explorer_setting_keys.h"
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
      "input",        "in_channels",   "out_channels",      "kernel",    "seed",    "input_preset",
      "input_values", "kernel_preset", "kernel_values",     "bias",      "padding", "stride",
      "dilation",     "operation",     "count_include_pad", "ceil_mode", "speed",   "step"};
  return keys;
}

Status apply_setting(ConvExplorer& e, const std::string& raw_key, const std::string& raw_value) {
  const std::string key = trim(raw_key), value = trim(raw_value);
  if (auto shared = apply_shared_setting(e, key, value)) return *shared;
  int a = 0, b = 0;
  if (key == "input") {
    if (parse_size(value, a, b)) return with_key(key, e.set_input_size(a, b));
    if (parse_input_preset(value).ok()) return apply_input_values(e, key, value);
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
  if (key == "kernel_preset") {
    auto preset = parse_kernel_preset(value);
    if (!preset.ok()) return with_key(key, preset.error());
    return with_key(key, e.apply_kernel_preset(*preset));
  }
  if (key == "kernel_values") return set_kernel_values(e, key, value);
  if (key == "padding") return set_padding(e, key, value);
  if (key == "stride" || key == "dilation") {
    if (!parse_pair(value, a, b)) return bad_value(key, value, tr("N or H,W (each 1..4)"));
    return with_key(key, key == "stride" ? e.set_stride(a, b) : e.set_dilation(a, b));
  }
  if (key == "operation") {
    auto operation = parse_operation(value);
    if (!operation.ok()) return with_key(key, operation.error());
    e.set_operation(*operation);
    return {};
  }
  if (key == "count_include_pad" || key == "ceil_mode") {
    bool on = false;
    if (!parse_on_off(value, on)) return bad_value(key, value, tr("on or off"));
    if (key == "count_include_pad")
      e.set_count_include_pad(on);
    else
      e.set_ceil_mode(on);
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
  write_shape_lines(out, s);
  if (s.kernel_preset)
    out << "kernel_preset=" << kernel_preset_name(*s.kernel_preset) << '\n';
  else
    out << "kernel_values=" << join_values(s.weight) << '\n';
  out << "bias=" << join_values(s.bias) << '\n';
  out << "padding=" << padding_text(s) << '\n';
  out << "stride=" << s.stride_h << ',' << s.stride_w << '\n';
  out << "dilation=" << s.dilation_h << ',' << s.dilation_w << '\n';
  out << describe_operation(e);
  write_playback_lines(out, e);
  return out.str();
}

std::string describe_operation(const ConvExplorer& e) {
  // Only what differs from the defaults: a convolution's saved states and
  // links stay as they were before pooling existed.
  const ExploreSettings& s = e.settings();
  std::string text;
  if (s.operation != ConvOperation::Convolution)
    text += std::string("operation=") + operation_name(s.operation) + '\n';
  if (!s.count_include_pad) text += "count_include_pad=off\n";
  if (s.ceil_mode) text += "ceil_mode=on\n";
  return text;
}

}  // namespace convlab::explore
