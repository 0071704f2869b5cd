// Runs the real app under a fresh virtual X server (xvfb-run): what the GUI
// tests share.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include "cli/run_convlab.h"
#include "core/io/image_io.h"

namespace convlab::cli_test {

inline bool have_xvfb_run() { return std::system("command -v xvfb-run >/dev/null 2>&1") == 0; }

// Like run_convlab, but under a fresh virtual X server.
// `env` entries are "NAME=value", as for run_convlab.
inline RunResult run_under_xvfb(const std::vector<std::string>& args, std::vector<std::string> env = {}) {
  // Under ASan (scripts/test --asan) the GUI's leak check is off: Mesa's GLX
  // driver leaks 112 bytes from a library it unloads at exit, which LSan
  // cannot attribute or suppress by name. Address errors and UB in the app
  // are still caught; the headless GPU tests keep the full leak check.
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string asan_options = std::string(asan != nullptr && *asan != '\0' ? asan : "") +
                                   (asan != nullptr && *asan != '\0' ? ":" : "") + "detect_leaks=0";
  env.push_back("ASAN_OPTIONS=" + asan_options);
  return run_convlab(args, env, "xvfb-run -a -s '-screen 0 1600x900x24'");
}

inline double variance(const convlab::RgbImage& image) {
  double sum = 0.0, sum_sq = 0.0;
  for (uint8_t v : image.pixels) {
    sum += v;
    sum_sq += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(image.pixels.size());
  const double mean = sum / n;
  return sum_sq / n - mean * mean;
}

}  // namespace convlab::cli_test
