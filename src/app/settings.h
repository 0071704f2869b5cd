// What the app remembers between runs: window size, theme and UI scale, in a
// small key=value file ($XDG_CONFIG_HOME or ~/.config, then convlab/settings.ini).
// A missing file means defaults; a corrupt one is reported and ignored.
#pragma once

#include <map>
#include <string>

#include "core/base/result.h"

namespace convlab::app {

enum class Theme { Light, Dark };

struct Settings {
  int window_width = 1280;
  int window_height = 800;
  Theme theme = Theme::Dark;
  float scale = 1.0f;  // the user's zoom, on top of the monitor's content scale
  // The UI language the user picked (View > Language): "en" or "pt-BR".
  // Empty: never picked, so the system's language (or a lesson's) is used.
  std::string language;
  // Each model file's preprocessing as the user last set it in the network
  // panel ("image_size=64;color=rgb;..."), by the file's path.
  std::map<std::string, std::string> model_recipes;
};

inline constexpr float kMinScale = 0.5f;
inline constexpr float kMaxScale = 3.0f;
inline constexpr int kMinWindowSide = 320;
inline constexpr int kMaxWindowSide = 16384;

const char* theme_name(Theme theme);
Result<Theme> parse_theme(const std::string& name);  // "light" | "dark"

// `source` names the file in error messages. Unknown keys are ignored (a newer
// version may have written them); a line without '=' or a bad value is an error.
Result<Settings> parse_settings(const std::string& text, const std::string& source);
std::string format_settings(const Settings& settings);

// The path the app uses, from XDG_CONFIG_HOME or HOME; empty when neither is set.
std::string default_settings_path();

// Missing file: defaults, no warning. Unreadable/corrupt: defaults, and
// `warning` says what was wrong and that the file is being ignored.
Settings load_settings(const std::string& path, std::string& warning);
// Writes a temporary file next to `path` and renames it into place, so a
// crash mid-write never leaves a half-written settings file.
Status save_settings(const std::string& path, const Settings& settings);

}  // namespace convlab::app
