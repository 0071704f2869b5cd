// The top level: no subcommand, --version, --help, unknown subcommands.
#include <doctest/doctest.h>

#include "cli/run_convlab.h"

using namespace convlab::cli_test;

TEST_CASE("convlab with no subcommand prints help and says the GUI is not built yet") {
  auto r = run_convlab({});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "GUI is not built yet"));
  CHECK(contains(r.out, "colorize"));
  CHECK(contains(r.out, "shape"));
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
