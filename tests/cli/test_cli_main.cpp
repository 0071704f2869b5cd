// The top level: no subcommand, --version, --help, unknown subcommands.
#include <doctest/doctest.h>

#include "cli/run_convlab.h"

using namespace convlab::cli_test;

TEST_CASE("convlab with no subcommand opens the app: bad app options and a missing display are explained") {
  // A bad panel is refused before any window opens, so it needs no display.
  auto bad_panel = run_convlab({"--panel", "nope"}, {"DISPLAY="});
  INFO(bad_panel.err);
  CHECK(bad_panel.exit_code == 2);
  CHECK(contains(bad_panel.err, "valid panels"));
  // No display at all: the app says how to run it (Xvfb) or what to use instead.
  auto no_display = run_convlab({}, {"DISPLAY=", "WAYLAND_DISPLAY="});
  CHECK(no_display.exit_code == 1);
  CHECK(contains(no_display.err, "xvfb-run"));
  // The help lists both the subcommands and the app's options.
  auto help = run_convlab({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(contains(help.out, "colorize"));
  CHECK(contains(help.out, "shape"));
  CHECK(contains(help.out, "--screenshot"));
}

TEST_CASE("convlab --version names the program and version") {
  auto r = run_convlab({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "convlab 0."));
}

TEST_CASE("every subcommand has help with examples") {
  for (const char* sub : {"colorize", "shape", "trace", "op", "bench"}) {
    auto r = run_convlab({sub, "--help"});
    INFO(sub << "\n" << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "Examples:"));
    CHECK(contains(r.out, std::string("convlab ") + sub));
  }
}

TEST_CASE("an unknown subcommand or flag is a usage error (exit 2)") {
  auto r = run_convlab({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK_FALSE(r.err.empty());
  auto flag = run_convlab({"shape", "conv", "--input", "5", "--kernel", "3", "--no-such-flag"});
  CHECK(flag.exit_code == 2);
  CHECK(contains(flag.err, "--no-such-flag"));
}
