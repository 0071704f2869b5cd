// The setting keys that the convolution and transposed-convolution explorers
// read and write alike (seed, input_preset, input_values, bias, speed, step,
// and the shape lines of a saved state), written once for both. Each explorer's
// own settings text handles its other keys and calls these for the rest.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "core/base/i18n.h"
#include "core/explore/presets.h"
#include "core/explore/setting_parse.h"

namespace convlab::explore::setting_text {

// "input_values" / "input": an input preset's name or C*H*W numbers.
template <class Explorer>
Status apply_input_values(Explorer& e, const std::string& key, const std::string& value) {
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

// "step": an index into the steps there are, start or end.
template <class Explorer>
Status apply_step(Explorer& e, const std::string& key, const std::string& value) {
  int index = 0;
  if (value == "start") {
    e.to_start();
  } else if (value == "end") {
    e.to_end();
  } else if (parse_int(value, index) && index >= 0) {
    if (e.step_count() == 0 && index == 0) return {};  // a saved state without output says step=0
    if (e.step_count() == 0)
      return Error{format(tr("%s: there are no steps: %s"), key.c_str(), e.reason().c_str())};
    if (index >= e.step_count())
      return Error{format(tr("%s: %d is past the last step; use 0..%d, start or end"), key.c_str(), index,
                          e.step_count() - 1)};
    e.set_step(index);
  } else {
    return bad_value(key, value, tr("a step index (0 or more), start or end"));
  }
  return {};
}

// The keys both explorers share; nullopt for any other key.
template <class Explorer>
std::optional<Status> apply_shared_setting(Explorer& e, const std::string& key, const std::string& value) {
  if (key == "seed") {
    uint64_t seed = 0;
    if (!parse_uint64(value, seed)) return bad_value(key, value, tr("a non-negative integer"));
    e.set_seed(seed);
    return Status{};
  }
  if (key == "input_preset") {
    auto preset = parse_input_preset(value);
    if (!preset.ok()) return with_key(key, preset.error());
    e.apply_input_preset(*preset);
    return Status{};
  }
  if (key == "input_values") return apply_input_values(e, key, value);
  if (key == "bias") {
    auto values = parse_values(key, value);
    if (!values.ok()) return Status{values.error()};
    return with_key(key, e.set_biases(std::move(values).value()));
  }
  if (key == "speed") {
    double rate = 0;
    if (!parse_double(value, rate))
      return bad_value(key, value, tr("steps per second, above 0 and at most 1000"));
    return with_key(key, e.set_steps_per_second(rate));
  }
  if (key == "step") return apply_step(e, key, value);
  return std::nullopt;
}

// A saved state's first lines: sizes, seed and the input (a live preset by
// name, so it stays live after a restore).
template <class Settings>
void write_shape_lines(std::ostream& out, const Settings& s) {
  out << "input=" << s.input_h << 'x' << s.input_w << '\n';
  out << "in_channels=" << s.in_channels << '\n';
  out << "out_channels=" << s.out_channels << '\n';
  out << "kernel=" << s.kernel_h << 'x' << s.kernel_w << '\n';
  out << "seed=" << s.seed << '\n';
  if (s.input_preset)
    out << "input_preset=" << input_preset_name(*s.input_preset) << '\n';
  else
    out << "input_values=" << join_values(s.input) << '\n';
}

// A saved state's last lines: playback speed and the step shown.
template <class Explorer>
void write_playback_lines(std::ostream& out, const Explorer& e) {
  out << "speed=" << double_text(e.steps_per_second()) << '\n';
  out << "step=" << e.step_index() << '\n';
}

}  // namespace convlab::explore::setting_text
