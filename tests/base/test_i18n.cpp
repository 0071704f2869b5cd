// Translation plumbing: tr() and trc() through a lookup, numbers for people
// with a decimal comma in Portuguese, and the .mo reader the browser uses,
// checked entry by entry against glibc's gettext on the shipped catalog.
#include <doctest/doctest.h>
#include <libintl.h>
#include <locale.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/base/i18n.h"
#include "core/base/mo_catalog.h"

namespace {

const char* fake_catalog(const char* key) {
  const std::string k = key;
  if (k == "Stride") return "Passo";
  if (k == std::string("menu") + '\x04' + "View") return "Exibir";
  return nullptr;
}

// Restores English whatever a test does.
struct EnglishAfter {
  ~EnglishAfter() {
    convlab::i18n::set_lookup(nullptr);
    convlab::i18n::set_language_tag("en");
  }
};

std::string catalog_path() { return std::string(CONVLAB_BUILD_LOCALE_DIR) + "/pt_BR/LC_MESSAGES/convlab.mo"; }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

TEST_CASE("tr and trc answer from the lookup, and fall back to English") {
  EnglishAfter restore;
  CHECK(std::string(convlab::tr("Stride")) == "Stride");
  convlab::i18n::set_lookup(fake_catalog);
  CHECK(std::string(convlab::tr("Stride")) == "Passo");
  CHECK(std::string(convlab::tr("Padding")) == "Padding");
  CHECK(std::string(convlab::trc("menu", "View")) == "Exibir");
  CHECK(std::string(convlab::trc("tooltip", "View")) == "View");
  CHECK(std::string(convlab::tr("")) == "");
}

TEST_CASE("format fills a translated format") {
  CHECK(convlab::format("Step %d of %d", 2, 5) == "Step 2 of 5");
  // Numbered arguments, so a translation can reorder them (a variable
  // format, as a translated one is: the compiler checks literals only).
  const char* reordered = "%2$s, %1$s";
  CHECK(convlab::format(reordered, "a", "b") == "b, a");
  CHECK(convlab::format("%s", std::string(3000, 'x').c_str()).size() == 3000);
}

TEST_CASE("numbers for people: a decimal comma in Portuguese only") {
  EnglishAfter restore;
  CHECK(convlab::i18n::display_number(2.5, 2) == "2.50");
  convlab::i18n::set_language_tag("pt-BR");
  CHECK(convlab::i18n::decimal_comma());
  CHECK(convlab::i18n::display_number(2.5, 2) == "2,50");
  CHECK(convlab::i18n::display_number(-0.125, 3) == "-0,125");
  // Only a point between digits is a decimal point.
  CHECK(convlab::i18n::display_text("6*0.04 + 1.5 = 7.5.") == "6*0,04 + 1,5 = 7,5.");
  CHECK(convlab::i18n::display_text("file.png, x.y, 3.") == "file.png, x.y, 3.");
}

TEST_CASE("MoCatalog rejects what is not a catalog, with the file's name") {
  auto empty = convlab::MoCatalog::parse("", "empty.mo");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.message().find("empty.mo") != std::string::npos);
  CHECK_FALSE(convlab::MoCatalog::parse(std::string(64, 'x'), "x.mo").ok());
  // A real catalog cut short: its tables point past the end.
  const std::string bytes = read_bytes(catalog_path());
  REQUIRE(bytes.size() > 100);
  for (size_t keep : {size_t{28}, size_t{40}, bytes.size() / 2, bytes.size() - 1})
    CHECK_FALSE(convlab::MoCatalog::parse(bytes.substr(0, keep), "cut.mo").ok());
  // A string offset pointing outside the file.
  std::string corrupt = bytes;
  corrupt[12 + 0] = '\xff';
  corrupt[12 + 1] = '\xff';
  CHECK_FALSE(convlab::MoCatalog::parse(corrupt, "corrupt.mo").ok());
  CHECK_FALSE(convlab::MoCatalog::load("/nonexistent/convlab.mo").ok());
}

TEST_CASE("MoCatalog answers exactly as glibc's gettext, for every string of the Portuguese catalog") {
  auto catalog = convlab::MoCatalog::load(catalog_path());
  REQUIRE(catalog.ok());
  REQUIRE(catalog->size() > 30);
  // glibc, as the desktop app sets it up (platform/desktop/platform.cpp).
  REQUIRE(setlocale(LC_MESSAGES, "C.UTF-8") != nullptr);
  setenv("LANGUAGE", "pt_BR", 1);
  // The catalog's file is convlab.mo: glibc finds it by domain name.
  bindtextdomain("convlab", CONVLAB_BUILD_LOCALE_DIR);
  bind_textdomain_codeset("convlab", "UTF-8");
  // Every msgid of the catalog, read back from the .mo's own original table.
  const std::string bytes = read_bytes(catalog_path());
  auto word = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3])) << 24;
  };
  const uint32_t count = word(8), originals = word(12);
  int compared = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const std::string key = bytes.c_str() + word(originals + i * 8 + 4);
    if (key.empty()) continue;
    const char* ours = catalog->find(key.c_str());
    const char* glibc = dgettext("convlab", key.c_str());
    REQUIRE(ours != nullptr);
    INFO(key);
    CHECK(std::string(ours) == std::string(glibc));
    ++compared;
  }
  CHECK(compared == static_cast<int>(catalog->size()));
  unsetenv("LANGUAGE");
}
