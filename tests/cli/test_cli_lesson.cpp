// `convlab lesson check` and `convlab lesson list` as a teacher runs them.
#include <doctest/doctest.h>

#include <fstream>

#include "cli/run_convlab.h"

using namespace convlab::cli_test;

TEST_CASE("lesson check: the shipped lessons pass; a broken one fails with file:line") {
  const std::string folder = std::string(CONVLAB_SOURCE_DIR) + "/lessons/";
  auto good = run_convlab(
      {"lesson", "check", folder + "en/01-convolution.md", folder + "pt-BR/06-transposed-convolution.md"});
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);
  CHECK(contains(good.out, "01-convolution.md: ok ("));
  CHECK(contains(good.out, "06-transposed-convolution.md: ok ("));

  TempDir dir;
  const std::string broken = dir.file("broken.md");
  std::ofstream(broken)
      << "---\ntitle: B\nlanguage: en\n---\n## S\n::: quiz number\nquestion: Q\nanswer: 10\n"
         "compute: kernel_weights kernel=3\nexplain: E\n:::\n";
  auto bad = run_convlab({"lesson", "check", broken, folder + "en/03-stride.md"});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, broken + ":6: quiz: the answer is 10 but 'kernel_weights kernel=3' computes 9"));
  CHECK(contains(bad.err, "1 of 2 lessons have problems"));
  CHECK(contains(bad.out, "03-stride.md: ok"));

  auto missing = run_convlab({"lesson", "check", dir.file("nope.md")});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "nope.md:0: cannot open the lesson file"));
  auto none = run_convlab({"lesson"});
  CHECK(none.exit_code == 2);
}

TEST_CASE("lesson list: both languages in order; one language; a bad folder") {
  auto all = run_convlab({"lesson", "list"});
  INFO(all.out << all.err);
  REQUIRE(all.exit_code == 0);
  CHECK(contains(all.out, "Padding"));
  CHECK(contains(all.out, "Normalização em lotes"));
  CHECK(all.out.find("01-convolution") < all.out.find("02-padding"));
  auto pt = run_convlab({"lesson", "list", "--language", "pt-BR"});
  CHECK(pt.exit_code == 0);
  CHECK_FALSE(contains(pt.out, "lessons/en/"));
  auto bad = run_convlab({"lesson", "list", "--folder", "/nonexistent"});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, "no lessons in /nonexistent"));
}
