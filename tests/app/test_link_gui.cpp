// The console contract and links, on the desktop (the browser test checks
// the same lines in Chromium): --link opens a view's state, --log prints
// "convlab: ready <panel> <state>" once the panel is idle, every error as
// "convlab: error ...", and the colorizer's "colorized" line; a bad value in
// a link is reported and the rest still opens.
#include <doctest/doctest.h>

#include <regex>

#include "app/gui_run.h"

using namespace convlab::cli_test;

namespace {

// The value of `key` on the first "convlab: ready" line ("" if none).
std::string ready_value(const std::string& out, const std::string& key) {
  const std::regex line("convlab: ready [^\\n]*");
  std::smatch m;
  if (!std::regex_search(out, m, line)) return {};
  const std::string ready = m.str();
  const std::regex pair(" " + key + "=([^ ]*)");
  std::smatch v;
  return std::regex_search(ready, v, pair) ? v[1].str() : std::string();
}

}  // namespace

TEST_CASE("GUI: --link opens the state it names and --log says ready with it") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  auto r = run_under_xvfb({"--screenshot", dir.file("link.png"), "--window", "1280x720", "--log", "--link",
                           "#panel=conv&input=9x9&kernel=3x3&stride=2&dilation=2&step=5"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "convlab: ready conv "));
  CHECK(ready_value(r.out, "input") == "9x9");
  // The panel's own (canonical) form of what the link said.
  CHECK(ready_value(r.out, "stride") == "2,2");
  CHECK(ready_value(r.out, "dilation") == "2,2");
  CHECK(ready_value(r.out, "step") == "5");
  CHECK_FALSE(contains(r.out, "convlab: error"));
}

TEST_CASE("GUI: a bad value in a link is reported as an error line and the rest still opens") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  auto r = run_under_xvfb({"--screenshot", dir.file("bad.png"), "--window", "1280x720", "--log", "--link",
                           "#panel=conv&stride=banana&dilation=2"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "convlab: error "));
  CHECK(contains(r.out, "stride"));
  CHECK(contains(r.out, "convlab: ready conv "));
  CHECK(ready_value(r.out, "dilation") == "2,2");
}

TEST_CASE("GUI: a lesson link opens its step in presenter mode and reports it") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  auto r = run_under_xvfb({"--screenshot", dir.file("lesson.png"), "--window", "1280x720", "--log", "--link",
                           "#lesson=pt-BR/04-dilation&step=3&presenter=1"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(ready_value(r.out, "lesson") == "pt-BR/04-dilation");
  CHECK(ready_value(r.out, "step") == "3");
  CHECK(ready_value(r.out, "presenter") == "1");
}

TEST_CASE("GUI: the network panel logs the colorization with the prediction's mean |a| and |b|") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  auto r = run_under_xvfb({"--screenshot", dir.file("net.png"), "--window", "1280x720", "--log", "--link",
                           "#panel=network&backend=cpu&image=animals_chelsea_cat.jpg"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::regex colorized("convlab: colorized [0-9]+ ms ab_mean_abs=([0-9.]+),([0-9.]+)");
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, colorized));
  CHECK(std::stod(m[1].str()) > 0.5);  // trained weights give color, not gray
  CHECK(std::stod(m[2].str()) > 0.5);
  CHECK(contains(r.out, "convlab: ready network "));
}
