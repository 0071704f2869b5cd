#include "core/explore/bn_settings_text.h"

#include <sstream>

#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"
#include "core/explore/step_text.h"

namespace convlab::explore {

using namespace setting_text;

namespace {

// One number for every channel, or one per channel.
Result<std::vector<float>> parse_channel_values(const std::string& key, const std::string& text,
                                                int channels) {
  std::vector<float> values;
  for (const std::string& part : split(text, ',')) {
    float v = 0;
    if (!parse_float(part, v))
      return Error{
          format(tr("%s: '%s' is not a number: give one number for every channel or %d comma-separated "
                    "numbers (one per channel), like 1,-2,0.5"),
                 key.c_str(), part.c_str(), channels)};
    values.push_back(v);
  }
  if (values.size() == 1) values.assign(static_cast<size_t>(channels), values[0]);
  if (values.size() != static_cast<size_t>(channels))
    return Error{
        format(tr("%s: got %zu values but there are %d channels: give one number for every channel or "
                  "one per channel"),
               key.c_str(), values.size(), channels)};
  return values;
}

std::string keys_text() { return join_keys(bn_setting_keys()); }

// Setters of per-channel vectors, by key.
Status set_channel_values(BnExplorer& e, const std::string& key, std::vector<float> values) {
  if (key == "mean") return e.set_means(std::move(values));
  if (key == "scale") return e.set_scales(std::move(values));
  if (key == "gamma") return e.set_gammas(std::move(values));
  if (key == "beta") return e.set_betas(std::move(values));
  if (key == "running_mean") return e.set_running(std::move(values), e.running_var().values());
  return e.set_running(e.running_mean().values(), std::move(values));  // running_var
}

}  // namespace

const std::vector<std::string>& bn_setting_keys() {
  static const std::vector<std::string> keys = {
      "batch",       "channels", "size",    "seed",     "mean",           "scale",
      "gamma",       "beta",     "eps",     "momentum", "mode",           "running_mean",
      "running_var", "source",   "channel", "bins",     "histogram_range"};
  return keys;
}

Status apply_bn_setting(BnExplorer& e, const std::string& raw_key, const std::string& raw_value) {
  const std::string key = trim(raw_key), value = trim(raw_value);
  int a = 0, b = 0;
  if (key == "batch") {
    if (!parse_int(value, a)) return bad_value(key, value, tr("an integer 1..16 (images in the mini-batch)"));
    return with_key(key, e.set_batch(a));
  }
  if (key == "channels") {
    if (!parse_int(value, a)) return bad_value(key, value, tr("an integer 1..8"));
    return with_key(key, e.set_channels(a));
  }
  if (key == "size") {
    if (!parse_size(value, a, b)) return bad_value(key, value, tr("a size HxW or N (1..16 each)"));
    return with_key(key, e.set_size(a, b));
  }
  if (key == "seed") {
    uint64_t seed = 0;
    if (!parse_uint64(value, seed)) return bad_value(key, value, tr("a non-negative integer"));
    e.set_seed(seed);
    return {};
  }
  if (key == "mean" || key == "scale" || key == "gamma" || key == "beta" || key == "running_mean" ||
      key == "running_var") {
    auto values = parse_channel_values(key, value, e.settings().channels);
    if (!values.ok()) return values.error();
    return with_key(key, set_channel_values(e, key, std::move(values).value()));
  }
  if (key == "eps" || key == "momentum") {
    float v = 0;
    if (!parse_float(value, v)) return bad_value(key, value, tr("a number from 0 to 1"));
    return with_key(key, key == "eps" ? e.set_eps(v) : e.set_momentum(v));
  }
  if (key == "mode") {
    auto mode = parse_bn_mode(value);
    if (!mode.ok()) return with_key(key, mode.error());
    e.set_mode(*mode);
    return {};
  }
  if (key == "source") {
    if (value == "random") {
      e.use_random_source();
      return {};
    }
    if (value.rfind("layer:", 0) == 0) return with_key(key, e.request_layer(value.substr(6)));
    return bad_value(key, value,
                     tr("random or layer:NAME (a layer of the loaded model, e.g. layer:conv1_bn)"));
  }
  if (key == "channel") {
    if (!parse_int(value, a))
      return bad_value(key, value, format(tr("a channel index 0..%d"), e.settings().channels - 1));
    return with_key(key, e.set_channel(a));
  }
  if (key == "bins") {
    if (!parse_int(value, a)) return bad_value(key, value, tr("an integer 1..64"));
    return with_key(key, e.set_bins(a));
  }
  if (key == "histogram_range") {
    if (value != "shared" && value != "separate")
      return bad_value(key, value, tr("shared (one range for all three histograms) or separate"));
    e.set_shared_range(value == "shared");
    return {};
  }
  return Error{format(tr("unknown setting '%s': valid keys are %s"), key.c_str(), keys_text().c_str())};
}

Status apply_bn_setting(BnExplorer& explorer, const std::string& assignment) {
  return setting_text::apply_assignment(assignment, bn_setting_keys(),
                                        [&](const std::string& key, const std::string& value) {
                                          return apply_bn_setting(explorer, key, value);
                                        });
}

Status apply_bn_settings_text(BnExplorer& explorer, const std::string& text) {
  return setting_text::apply_lines(text,
                                   [&](const std::string& line) { return apply_bn_setting(explorer, line); });
}

std::string describe_bn_state(const BnExplorer& e) {
  const BnSettings& s = e.settings();
  std::ostringstream out;
  // A named layer whose values arrived brings its own batch (shape and
  // values), so the random source's settings are not written: they would not
  // apply to it (a layer may have 128 channels where random values allow 8).
  // The layer comes first so the lines after it (a changed eps...) apply to it.
  const bool named_layer = s.source == BnSource::Layer && !s.layer.empty();
  if (named_layer && e.layer_loaded()) {
    out << "source=layer:" << s.layer << '\n';
  } else {
    out << "batch=" << s.batch << '\n';
    out << "channels=" << s.channels << '\n';
    out << "size=" << s.height << 'x' << s.width << '\n';
    out << "seed=" << s.seed << '\n';
    out << "mean=" << join_values(s.mean) << '\n';
    out << "scale=" << join_values(s.scale) << '\n';
  }
  out << "gamma=" << join_values(s.gamma) << '\n';
  out << "beta=" << join_values(s.beta) << '\n';
  out << "eps=" << format_value(s.eps) << '\n';
  out << "momentum=" << format_value(s.momentum) << '\n';
  out << "mode=" << bn_mode_name(s.mode) << '\n';
  out << "running_mean=" << join_values(e.running_mean().values()) << '\n';
  out << "running_var=" << join_values(e.running_var().values()) << '\n';
  if (named_layer && !e.layer_loaded()) {
    out << "source=layer:" << s.layer << '\n';  // asked for; the app brings its values
  } else if (!named_layer) {
    // Values fed without a layer name cannot be restored from text.
    if (s.source == BnSource::Layer) {
      std::string label = e.source_label();
      for (char& ch : label)
        if (ch == '\n' || ch == '\r') ch = ' ';  // one comment line
      out << "# source: " << label << " (values not saved)\n";
    }
    out << "source=random\n";
  }
  out << "channel=" << s.channel << '\n';
  out << "bins=" << s.bins << '\n';
  out << "histogram_range=" << (s.shared_range ? "shared" : "separate") << '\n';
  return out.str();
}

}  // namespace convlab::explore
