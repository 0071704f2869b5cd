#include "app/settings.h"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/language.h"

namespace convlab::app {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

Result<int> parse_side(const std::string& value, const std::string& where) {
  int side = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), side);
  if (ec != std::errc() || end != value.data() + value.size() || side < kMinWindowSide ||
      side > kMaxWindowSide)
    return Error{where + "'" + value + "' is not a window side in pixels (" + std::to_string(kMinWindowSide) +
                 " to " + std::to_string(kMaxWindowSide) + ")"};
  return side;
}

Result<float> parse_scale_value(const std::string& value, const std::string& where) {
  char* end = nullptr;
  const float scale = std::strtof(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(scale) || scale < kMinScale ||
      scale > kMaxScale)
    return Error{where + "'" + value + "' is not a scale from 0.5 to 3"};
  return scale;
}

}  // namespace

const char* theme_name(Theme theme) { return theme == Theme::Light ? "light" : "dark"; }

Result<Theme> parse_theme(const std::string& name) {
  if (name == "light") return Theme::Light;
  if (name == "dark") return Theme::Dark;
  return Error{"unknown theme '" + name + "'; valid themes: light, dark"};
}

Result<Settings> parse_settings(const std::string& text, const std::string& source) {
  Settings settings;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';' || line[0] == '[') continue;
    const std::string where = source + ":" + std::to_string(number) + ": ";
    const size_t eq = line.find('=');
    if (eq == std::string::npos) return Error{where + "expected key=value, got '" + line + "'"};
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    if (key == "window_width") {
      auto side = parse_side(value, where + "window_width: ");
      if (!side.ok()) return side.error();
      settings.window_width = side.value();
    } else if (key == "window_height") {
      auto side = parse_side(value, where + "window_height: ");
      if (!side.ok()) return side.error();
      settings.window_height = side.value();
    } else if (key == "language") {
      auto language = parse_language_tag(value, where + "language: ");
      if (!language.ok()) return language.error();
      settings.language = language.value();
    } else if (key == "theme") {
      auto theme = parse_theme(value);
      if (!theme.ok()) return with_context(where, theme.error());
      settings.theme = theme.value();
    } else if (key == "model_recipe") {
      // PATH|RECIPE: the recipe never holds '|', a path may.
      const size_t bar = value.rfind('|');
      if (bar != std::string::npos && bar > 0)
        settings.model_recipes[value.substr(0, bar)] = value.substr(bar + 1);
    } else if (key == "scale") {
      auto scale = parse_scale_value(value, where + "scale: ");
      if (!scale.ok()) return scale.error();
      settings.scale = scale.value();
    }
    // Other keys: written by a newer ConvLab, kept out of our way.
  }
  return settings;
}

std::string format_settings(const Settings& settings) {
  std::ostringstream out;
  out << "# ConvLab settings, written by the app when they change. Safe to delete.\n"
      << "window_width=" << settings.window_width << "\n"
      << "window_height=" << settings.window_height << "\n"
      << "theme=" << theme_name(settings.theme) << "\n"
      << "scale=" << settings.scale << "\n";
  if (!settings.language.empty()) out << "language=" << settings.language << "\n";
  for (const auto& [path, recipe] : settings.model_recipes)
    if (path.find('\n') == std::string::npos && recipe.find('\n') == std::string::npos)
      out << "model_recipe=" << path << "|" << recipe << "\n";
  return out.str();
}

std::string default_settings_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') return (fs::path(xdg) / "convlab" / "settings.ini").string();
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0')
    return (fs::path(home) / ".config" / "convlab" / "settings.ini").string();
  return "";
}

Settings load_settings(const std::string& path, std::string& warning) {
  warning.clear();
  std::error_code ec;
  if (path.empty() || !fs::exists(path, ec)) return Settings{};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    warning = path + ": cannot be read; using default settings";
    return Settings{};
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_settings(text.str(), path);
  if (!parsed.ok()) {
    warning = parsed.message() + "; ignoring this settings file and using defaults";
    return Settings{};
  }
  return parsed.value();
}

Status save_settings(const std::string& path, const Settings& settings) {
  if (path.empty()) return Error{"no settings path (neither XDG_CONFIG_HOME nor HOME is set)"};
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) return Error{target.parent_path().string() + ": cannot create directory: " + ec.message()};
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << format_settings(settings);
    out.flush();
    if (!out) {
      fs::remove(temp, ec);
      return Error{temp + ": cannot write settings"};
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return Error{path + ": cannot replace settings file: " + ec.message()};
  }
  return {};
}

}  // namespace convlab::app
