#include "core/explore/tconv_settings_text.h"

#include <sstream>

#include "core/base/i18n.h"
#include "core/explore/explorer_setting_keys.h"
#include "core/explore/setting_parse.h"
#include "core/explore/step_text.h"

namespace convlab::explore {

using namespace setting_text;

namespace {

Status set_kernel_values(TconvExplorer& e, const std::string& key, const std::string& value) {
  if (auto preset = parse_tconv_kernel_preset(value); preset.ok()) {
    e.apply_kernel_preset(*preset);
    return {};
  }
  auto values = parse_values(key, value);
  if (!values.ok())
    return Error{format(tr("%s, or a kernel preset (%s)"), values.message().c_str(),
                        tconv_kernel_preset_names().c_str())};
  return with_key(key, e.set_weights(std::move(values).value()));
}

std::string keys_text() { return join_keys(tconv_setting_keys()); }

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
  if (auto shared = apply_shared_setting(e, key, value)) return *shared;
  int a = 0, b = 0;
  if (key == "input" || key == "input_size") {
    if (parse_size(value, a, b)) return with_key(key, e.set_input_size(a, b));
    if (key == "input" && parse_input_preset(value).ok()) return apply_input_values(e, key, value);
    return bad_value(key, value,
                     key == "input" ? format(tr("a size HxW or N (1..8 each) or an input preset (%s)"),
                                             input_preset_names().c_str())
                                    : std::string(tr("a size HxW or N (1..8 each)")));
  }
  if (key == "kernel" || key == "kernel_size") {
    if (parse_size(value, a, b)) return with_key(key, e.set_kernel_size(a, b));
    if (key == "kernel" && parse_tconv_kernel_preset(value).ok()) return set_kernel_values(e, key, value);
    return bad_value(key, value,
                     key == "kernel" ? format(tr("a size HxW or N (1..5 each) or a kernel preset (%s)"),
                                              tconv_kernel_preset_names().c_str())
                                     : std::string(tr("a size HxW or N (1..5 each)")));
  }
  if (key == "in_channels" || key == "out_channels") {
    if (!parse_int(value, a)) return bad_value(key, value, tr("an integer 1..2"));
    return with_key(key, key == "in_channels" ? e.set_in_channels(a) : e.set_out_channels(a));
  }
  if (key == "kernel_preset") {
    auto preset = parse_tconv_kernel_preset(value);
    if (!preset.ok()) return with_key(key, preset.error());
    e.apply_kernel_preset(*preset);
    return {};
  }
  if (key == "kernel_values") return set_kernel_values(e, key, value);
  if (key == "stride" || key == "dilation") {
    if (!parse_pair(value, a, b)) return bad_value(key, value, tr("N or H,W (each 1..3)"));
    return with_key(key, key == "stride" ? e.set_stride(a, b) : e.set_dilation(a, b));
  }
  if (key == "padding") {
    if (!parse_pair(value, a, b))
      return bad_value(key, value,
                       tr("N or H,W (each 0..17; a transposed conv crops the same on both sides)"));
    return with_key(key, e.set_padding(a, b));
  }
  if (key == "output_padding") {
    if (!parse_pair(value, a, b))
      return bad_value(key, value, tr("N or H,W (each 0..2 and below the stride or the dilation)"));
    return with_key(key, e.set_output_padding(a, b));
  }
  if (key == "view") {
    auto view = parse_tconv_view(value);
    if (!view.ok()) return with_key(key, view.error());
    e.set_view(*view);
    return {};
  }
  return Error{format(tr("unknown setting '%s': valid keys are %s"), key.c_str(), keys_text().c_str())};
}

Status apply_tconv_setting(TconvExplorer& explorer, const std::string& assignment) {
  return setting_text::apply_assignment(assignment, tconv_setting_keys(),
                                        [&](const std::string& key, const std::string& value) {
                                          return apply_tconv_setting(explorer, key, value);
                                        });
}

Status apply_tconv_settings_text(TconvExplorer& explorer, const std::string& text) {
  return setting_text::apply_lines(
      text, [&](const std::string& line) { return apply_tconv_setting(explorer, line); });
}

std::string describe_tconv_state(const TconvExplorer& e) {
  const TconvSettings& s = e.settings();
  std::ostringstream out;
  write_shape_lines(out, s);
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
  write_playback_lines(out, e);
  return out.str();
}

}  // namespace convlab::explore
