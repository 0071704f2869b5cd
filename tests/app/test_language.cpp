// The UI language: reading tags, choosing it (--lang, lang= links, the
// settings file), and the app drawing in Portuguese.
#include <doctest/doctest.h>

#include "app/gui_run.h"
#include "app/language.h"
#include "app/link_state.h"
#include "app/settings.h"

using namespace convlab::app;
using namespace convlab::cli_test;

namespace {
double differing_share(const convlab::RgbImage& a, const convlab::RgbImage& b) {
  if (a.pixels.size() != b.pixels.size() || a.pixels.empty()) return 1.0;
  size_t differing = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) differing += a.pixels[i] != b.pixels[i];
  return static_cast<double>(differing) / static_cast<double>(a.pixels.size());
}
}  // namespace

TEST_CASE("language tags: what people type becomes en or pt-BR, anything else is named with the valid ones") {
  for (const char* pt : {"pt-BR", "pt_BR", "pt", "PT-br", "pt_BR.UTF-8"}) {
    auto tag = parse_language_tag(pt, "--lang: ");
    REQUIRE(tag.ok());
    CHECK(tag.value() == "pt-BR");
  }
  CHECK(parse_language_tag("en-US", "--lang: ").value() == "en");
  auto bad = parse_language_tag("klingon", "--lang: ");
  REQUIRE_FALSE(bad.ok());
  CHECK(contains(bad.message(), "--lang: 'klingon'"));
  CHECK(contains(bad.message(), "en, pt-BR"));
  CHECK(ui_language_for("pt_PT.UTF-8") == "pt-BR");
  CHECK(ui_language_for("de_DE.UTF-8") == "en");
  CHECK(ui_language_for("C") == "en");
}

TEST_CASE("the chosen language is remembered in the settings file, and a bad one is reported") {
  Settings s;
  s.language = "pt-BR";
  auto parsed = parse_settings(format_settings(s), "settings.ini");
  REQUIRE(parsed.ok());
  CHECK(parsed->language == "pt-BR");
  CHECK(parse_settings(format_settings(Settings{}), "s.ini")->language.empty());
  auto bad = parse_settings("language=xx\n", "s.ini");
  REQUIRE_FALSE(bad.ok());
  CHECK(contains(bad.message(), "s.ini:1: language: 'xx'"));
}

TEST_CASE("lang= in a link picks the language; a bad one is a problem and the rest still opens") {
  LinkState link = parse_link("#panel=conv&lang=pt-BR&stride=2");
  CHECK(link.language == "pt-BR");
  CHECK(link.problems.empty());
  REQUIRE(link.settings.size() == 1);
  LinkState bad = parse_link("#panel=conv&lang=xx&stride=2");
  CHECK(bad.language.empty());
  REQUIRE(bad.problems.size() == 1);
  CHECK(contains(bad.problems[0], "lang: 'xx'"));
  CHECK(bad.settings.size() == 1);
}

TEST_CASE("app: --lang with an unknown language fails before a window opens") {
  auto r = run_convlab({"--lang", "fr", "--panel", "about"}, {"DISPLAY="});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--lang: 'fr'"));
  CHECK(contains(r.err, "en, pt-BR"));
}

TEST_CASE("GUI: the app in Portuguese looks different from English, and a Portuguese lesson switches it") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  auto en = run_under_xvfb({"--screenshot", dir.file("en.png"), "--panel", "conv", "--window", "1280x720"});
  auto pt = run_under_xvfb(
      {"--screenshot", dir.file("pt.png"), "--panel", "conv", "--window", "1280x720", "--lang", "pt-BR"});
  INFO(en.out << en.err << pt.out << pt.err);
  REQUIRE(en.exit_code == 0);
  REQUIRE(pt.exit_code == 0);
  auto a = convlab::load_image(dir.file("en.png"));
  auto b = convlab::load_image(dir.file("pt.png"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(differing_share(*a, *b) > 0.005);
  // A Portuguese lesson with no language chosen: the UI follows it, and
  // the link copied from it would not carry lang= (nobody chose one).
  auto lesson =
      run_under_xvfb({"--screenshot", dir.file("lesson.png"), "--window", "1280x720", "--log", "--lesson",
                      std::string(CONVLAB_SOURCE_DIR) + "/lessons/pt-BR/02-padding.md"});
  INFO(lesson.out);
  REQUIRE(lesson.exit_code == 0);
  CHECK(contains(lesson.out, "convlab: ready lesson lesson=pt-BR/02-padding"));
  CHECK_FALSE(contains(lesson.out, "lang="));
  const std::string lesson_file = std::string(CONVLAB_SOURCE_DIR) + "/lessons/pt-BR/02-padding.md";
  auto chosen_pt = run_under_xvfb({"--screenshot", dir.file("pt-lesson.png"), "--window", "1280x720",
                                   "--lang", "pt-BR", "--lesson", lesson_file});
  auto chosen_en = run_under_xvfb({"--screenshot", dir.file("en-lesson.png"), "--window", "1280x720",
                                   "--lang", "en", "--lesson", lesson_file});
  REQUIRE(chosen_pt.exit_code == 0);
  REQUIRE(chosen_en.exit_code == 0);
  auto followed = convlab::load_image(dir.file("lesson.png"));
  auto in_pt = convlab::load_image(dir.file("pt-lesson.png"));
  auto in_en = convlab::load_image(dir.file("en-lesson.png"));
  REQUIRE((followed.ok() && in_pt.ok() && in_en.ok()));
  // Followed: as if Portuguese had been chosen; chosen English stays English.
  CHECK(differing_share(*followed, *in_pt) < 0.001);
  CHECK(differing_share(*followed, *in_en) > 0.005);
}
