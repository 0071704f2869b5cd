// The app's command-line options. They live on the same CLI11 app as the
// subcommands (src/cli/main.cpp), so `convlab --panel about` and
// `convlab shape ...` share one parser and one --help.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/settings.h"
#include "core/base/result.h"

namespace convlab::app {

// One --set KEY=VALUE, given to the active panel's apply_setting().
struct PanelSetting {
  std::string key;
  std::string value;
};

struct WindowSize {
  int width = 0;
  int height = 0;
};

struct AppOptions {
  std::string screenshot;        // non-empty: render a few frames, save this PNG, exit
  std::string panel;             // panel id to open ("about", "conv", ...)
  std::vector<std::string> set;  // raw "KEY=VALUE" strings, parsed by parse_panel_setting
  std::string window;            // raw "WxH"
  std::optional<float> scale;
  std::string theme;     // raw "light" | "dark"
  int bench_frames = 0;  // > 0: render this many frames without vsync, print the median
  std::string lesson;    // a lesson file to open in the lesson panel
  int step = 0;          // its step (1-based; 0: the first)
  bool presenter = false;
  bool play = false;      // with --lesson: show every step in turn, then exit (1 if one failed)
  std::string view;       // a saved view file to open
  std::string model;      // a model file (ONNX) to open in the network panel
  std::string link;       // a link fragment ("#panel=conv&stride=2"): link_state.h
  bool log = false;       // the console contract: one line per event
  std::string tour;       // non-empty: show every screen (tour.h), save each as DIR/<screen>.png, exit
  std::string tour_only;  // with tour: only the screens whose name starts with this
  std::string lang;       // raw --lang: "en" | "pt-BR" (empty: saved choice, else the system's)

  // Screenshots and benchmarks are reproducible: they ignore and never write
  // the saved settings.
  bool batch() const { return !screenshot.empty() || bench_frames > 0 || play || !tour.empty(); }
};

// Registers the options on `app` (the root CLI app).
void add_app_options(CLI::App& app, AppOptions& options);

Result<PanelSetting> parse_panel_setting(const std::string& text);  // "KEY=VALUE"
Result<WindowSize> parse_window_size(const std::string& text);      // "1280x720"

// Saved settings overridden by the explicit flags; errors name the flag.
Result<Settings> apply_options(Settings settings, const AppOptions& options);

}  // namespace convlab::app
