#include "app/app_options.h"

#include <charconv>

namespace convlab::app {

void add_app_options(CLI::App& app, AppOptions& options) {
  const char* group = "App (with no subcommand)";
  app.add_option("--screenshot", options.screenshot,
                 "Start the app, render a few frames, save the window as this PNG and exit")
      ->group(group);
  app.add_option("--panel", options.panel, "Panel to open: its id (see the panel list in the app's menu)")
      ->group(group);
  app.add_option("--set", options.set, "KEY=VALUE given to the opened panel (repeatable)")->group(group);
  app.add_option("--window", options.window, "Window size WxH, e.g. 1280x720")->group(group);
  app.add_option("--scale", options.scale, "UI scale from 0.5 to 3 (on top of the monitor's own scale)")
      ->group(group);
  app.add_option("--theme", options.theme, "Color theme: light or dark")->group(group);
  app.add_option("--bench-frames", options.bench_frames,
                 "Render N frames without vsync, print the median frame time, exit")
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--lesson", options.lesson, "Open this lesson file (lessons/README.md) in the lesson panel")
      ->group(group);
  app.add_option("--step", options.step, "With --lesson: start at this step (1-based)")
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_flag("--presenter", options.presenter,
               "Start in presenter mode (full screen, large type; F11 toggles)")
      ->group(group);
  app.add_flag(
         "--play", options.play,
         "With --lesson: show every step in turn (headless with xvfb-run), print each, exit 1 if one fails")
      ->group(group);
  app.add_option("--view", options.view, "Open a saved view file (File > Save this view)")->group(group);
  app.add_option("--model", options.model,
                 "Open this model (an ONNX file) in the network panel; --set then changes its preprocessing")
      ->group(group);
  app.add_option(
         "--link", options.link,
         "Open a view given as a link fragment, e.g. '#panel=conv&stride=2&step=5' (File > Copy link)")
      ->group(group);
  app.add_option(
         "--tour", options.tour,
         "Show every panel, a few of their states and every lesson step; save each as DIR/<screen>.png, exit")
      ->group(group);
  app.add_option("--tour-only", options.tour_only,
                 "With --tour: only the screens whose name starts with this")
      ->group(group);
  app.add_option("--lang", options.lang,
                 "UI language: en or pt-BR (default: View > Language, else the system's LANG)")
      ->group(group);
  app.add_flag(
         "--log", options.log,
         "Print one line per event: 'convlab: ready ...', 'convlab: error ...', 'convlab: colorized ...'")
      ->group(group);
}

Result<PanelSetting> parse_panel_setting(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return Error{"--set '" + text + "': expected KEY=VALUE, e.g. --set stride=2"};
  return PanelSetting{text.substr(0, eq), text.substr(eq + 1)};
}

Result<WindowSize> parse_window_size(const std::string& text) {
  const size_t x = text.find('x');
  WindowSize size;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const bool good =
      x != std::string::npos && std::from_chars(begin, begin + x, size.width).ptr == begin + x &&
      std::from_chars(begin + x + 1, end, size.height).ptr == end && x > 0 && x + 1 < text.size();
  if (!good || size.width < kMinWindowSide || size.height < kMinWindowSide || size.width > kMaxWindowSide ||
      size.height > kMaxWindowSide)
    return Error{"--window '" + text + "': expected WxH with each side from " +
                 std::to_string(kMinWindowSide) + " to " + std::to_string(kMaxWindowSide) +
                 ", e.g. 1280x720"};
  return size;
}

Result<Settings> apply_options(Settings settings, const AppOptions& options) {
  if (!options.window.empty()) {
    auto size = parse_window_size(options.window);
    if (!size.ok()) return size.error();
    settings.window_width = size->width;
    settings.window_height = size->height;
  }
  if (options.scale) {
    if (!(*options.scale >= kMinScale && *options.scale <= kMaxScale))
      return Error{"--scale " + std::to_string(*options.scale) + ": expected a scale from 0.5 to 3"};
    settings.scale = *options.scale;
  }
  if (!options.theme.empty()) {
    auto theme = parse_theme(options.theme);
    if (!theme.ok()) return with_context("--theme: ", theme.error());
    settings.theme = theme.value();
  }
  return settings;
}

}  // namespace convlab::app
