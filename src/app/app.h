// Runs the GUI: `convlab` with no subcommand. Returns the process exit code
// (0 ok, 1 runtime failure such as no display, 2 bad option or setting).
#pragma once

#include "app/app_options.h"

namespace convlab::app {

int run_app(const AppOptions& options);

}  // namespace convlab::app
