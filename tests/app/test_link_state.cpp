// Links to a view (the URL fragment of the web page, --link on the desktop):
// parsed into the command line's keys and the panel's settings, bad values
// reported by name while the rest still opens, and written back so a copied
// link reopens the same view.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "app/link_state.h"
#include "cli/run_convlab.h"

using namespace convlab::app;

TEST_CASE("a link's keys: panel, lesson, step, presenter, log, play; the rest are panel settings in order") {
  const LinkState link = parse_link("#panel=conv&input=9x9&kernel=3x3&stride=2&dilation=2&step=5&log=1");
  CHECK(link.panel == "conv");
  CHECK(link.step == 0);  // no lesson: the convolution's own step, applied last
  CHECK(link.log);
  CHECK_FALSE(link.presenter);
  CHECK_FALSE(link.play);
  REQUIRE(link.settings.size() == 5);
  CHECK(link.settings[0].key == "input");
  CHECK(link.settings[0].value == "9x9");
  CHECK(link.settings[3].key == "dilation");
  CHECK(link.settings[3].value == "2");
  CHECK(link.settings[4].key == "step");
  CHECK(link.settings[4].value == "5");
  CHECK(link.problems.empty());

  const LinkState lesson = parse_link("lesson=pt-BR/04-dilation&step=3&presenter=1&play=1");
  CHECK(lesson.lesson == "pt-BR/04-dilation");
  CHECK(lesson.step == 3);
  CHECK(lesson.presenter);
  CHECK(lesson.play);
  CHECK(lesson.settings.empty());
}

TEST_CASE("bad link values are named, and the rest of the link still counts") {
  const LinkState link = parse_link("#lesson=en/01-convolution&step=zero&presenter=maybe&stride=2");
  CHECK(link.lesson == "en/01-convolution");
  CHECK(link.step == 0);
  CHECK_FALSE(link.presenter);
  REQUIRE(link.problems.size() == 2);
  CHECK(link.problems[0].find("presenter: 'maybe'") != std::string::npos);
  CHECK(link.problems[1].find("step: 'zero'") != std::string::npos);
  REQUIRE(link.settings.size() == 1);
  CHECK(link.settings[0].key == "stride");
  CHECK(parse_link("#").settings.empty());
  CHECK(parse_link("").panel.empty());
  CHECK(parse_link("&&panel=bn&&").panel == "bn");
}

TEST_CASE("links percent-encode what a URL cannot hold, and read back to the same pairs") {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"panel", "conv"}, {"input_values", "1 2 3,4"}, {"file", "/tmp/a&b=c#d.md"}, {"title", "dilatação"}};
  const std::string link = make_link(pairs);
  CHECK(link.rfind("#panel=conv&", 0) == 0);
  CHECK(link.find(' ') == std::string::npos);
  CHECK(link.find("%26") != std::string::npos);  // '&' inside a value
  const LinkState back = parse_link(link);
  CHECK(back.panel == "conv");
  REQUIRE(back.settings.size() == 3);
  CHECK(back.settings[0].value == "1 2 3,4");
  CHECK(back.settings[1].value == "/tmp/a&b=c#d.md");
  CHECK(back.settings[2].value == "dilatação");
  // A lone or broken % stays as it is.
  CHECK(parse_link("#x=50%&y=%zz").settings[0].value == "50%");
  CHECK(parse_link("#x=50%&y=%zz").settings[1].value == "%zz");
}

TEST_CASE("a panel's state text becomes link pairs") {
  const auto pairs = state_pairs("input=5x5\n\nkernel=3x3\nnot a pair\nstride=1\n");
  REQUIRE(pairs.size() == 3);
  CHECK(pairs[0] == std::make_pair(std::string("input"), std::string("5x5")));
  CHECK(pairs[2].first == "stride");
}

TEST_CASE("lessons in links go by language/name, files by path") {
  convlab::cli_test::TempDir dir;
  const std::filesystem::path folder = dir.path() / "lessons";
  std::filesystem::create_directories(folder / "pt-BR");
  std::ofstream(folder / "pt-BR" / "04-dilation.md") << "# x\n";
  const std::string resolved = resolve_lesson("pt-BR/04-dilation", folder.string());
  CHECK(resolved == (folder / "pt-BR" / "04-dilation.md").string());
  CHECK(lesson_link_name(resolved, folder.string()) == "pt-BR/04-dilation");
  // A file elsewhere keeps its path both ways.
  const std::string other = dir.file("mine.md");
  std::ofstream(other) << "# y\n";
  CHECK(resolve_lesson(other, folder.string()) == other);
  CHECK(lesson_link_name(other, folder.string()) == other);
}
