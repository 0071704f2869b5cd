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
