// `convlab shape`: output sizes through the real binary, and errors that
// name the setting.
#include <doctest/doctest.h>

#include "cli/run_convlab.h"

using namespace convlab::cli_test;

namespace {

std::string shape_of(const std::vector<std::string>& args) {
  auto r = run_convlab(args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return first_line(r.out);
}

}  // namespace

TEST_CASE("shape conv: explicit padding, stride, dilation") {
  CHECK(shape_of({"shape", "conv", "--input", "5x5", "--kernel", "3", "--stride", "2", "--padding", "1"}) ==
        "3x3");
  CHECK(shape_of({"shape", "conv", "--input", "7x7", "--kernel", "3", "--dilation", "2"}) == "3x3");
  CHECK(shape_of({"shape", "conv", "--input", "6x8", "--kernel", "4", "--stride", "2", "--padding", "1"}) ==
        "3x4");
  // Asymmetric T,B,L,R: H 5+0+1-3+1 = 4, W 5+2+1-3+1 = 6.
  CHECK(shape_of({"shape", "conv", "--input", "5x5", "--kernel", "3", "--padding", "0,1,2,1"}) == "4x6");
  // Per-axis stride and padding.
  CHECK(shape_of({"shape", "conv", "--input", "5x5", "--kernel", "3", "--stride", "2,1", "--padding",
                  "1,0"}) == "3x3");
}

TEST_CASE("shape conv: padding presets valid, same, full") {
  CHECK(shape_of({"shape", "conv", "--input", "5x5", "--kernel", "3", "--padding", "valid"}) == "3x3");
  CHECK(shape_of({"shape", "conv", "--input", "5x5", "--kernel", "3", "--padding", "same"}) == "5x5");
  CHECK(shape_of({"shape", "conv", "--input", "5x5", "--kernel", "3", "--padding", "full"}) == "7x7");
  CHECK(shape_of({"shape", "conv", "--input", "7x7", "--kernel", "3", "--padding", "same", "--dilation",
                  "2"}) == "7x7");
  auto r = run_convlab({"shape", "conv", "--input", "5x5", "--kernel", "3", "--padding", "same"});
  CHECK(contains(r.out, "padding same"));
}

TEST_CASE("shape prints the formula with the numbers after the size") {
  auto r =
      run_convlab({"shape", "conv", "--input", "5x5", "--kernel", "3", "--stride", "2", "--padding", "1"});
  REQUIRE(r.exit_code == 0);
  const std::string rest = r.out.substr(r.out.find('\n') + 1);
  CHECK(contains(rest, "5"));
  CHECK(contains(rest, "= 3"));
}

TEST_CASE("shape tconv: the seed's 2x2 example and output padding") {
  CHECK(shape_of({"shape", "tconv", "--input", "2x2", "--kernel", "2"}) == "3x3");
  CHECK(shape_of({"shape", "tconv", "--input", "8x8", "--kernel", "4", "--stride", "2", "--padding", "1"}) ==
        "16x16");
  CHECK(shape_of({"shape", "tconv", "--input", "8x8", "--kernel", "4", "--stride", "2", "--padding", "1",
                  "--output-padding", "1"}) == "17x17");
  CHECK(shape_of({"shape", "tconv", "--input", "3x4", "--kernel", "3", "--stride", "2,1"}) == "7x6");
}

TEST_CASE("shape: impossible or malformed settings exit 2 with a helpful message") {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> words;
  };
  const Case cases[] = {
      {{"shape", "conv", "--input", "5x5", "--kernel", "3", "--stride", "0"}, {"stride"}},
      {{"shape", "conv", "--input", "3x3", "--kernel", "5"}, {"kernel"}},
      {{"shape", "conv", "--input", "5x5", "--kernel", "3", "--padding", "wide"}, {"valid", "same", "full"}},
      {{"shape", "conv", "--input", "5x5", "--kernel", "3", "--padding", "1,2,3"}, {"--padding", "T,B,L,R"}},
      {{"shape", "conv", "--input", "5xq", "--kernel", "3"}, {"--input", "HxW"}},
      {{"shape", "conv", "--input", "5x5", "--kernel", "3", "--stride", "two"}, {"--stride"}},
      {{"shape", "conv", "--input", "5x5", "--kernel", "3", "--output-padding", "1"}, {"--output-padding"}},
      {{"shape", "tconv", "--input", "2x2", "--kernel", "2", "--padding", "same"}, {"conv only"}},
      {{"shape", "tconv", "--input", "4x4", "--kernel", "3", "--stride", "2", "--output-padding", "2"},
       {"output"}},
      {{"shape", "deconv", "--input", "5x5", "--kernel", "3"}, {"conv", "tconv", "pool"}},
      {{"shape", "conv", "--kernel", "3"}, {"--input"}},
  };
  for (const Case& c : cases) {
    auto r = run_convlab(c.args);
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    INFO(joined << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    for (const auto& word : c.words) CHECK(contains(r.err, word));
  }
}

TEST_CASE("shape pool: the stride defaults to the window; ceil_mode rounds up") {
  CHECK(shape_of({"shape", "pool", "--input", "7x7", "--kernel", "2"}) == "3x3");
  CHECK(shape_of({"shape", "pool", "--input", "7x7", "--kernel", "2", "--ceil-mode"}) == "4x4");
  CHECK(shape_of({"shape", "pool", "--input", "7x7", "--kernel", "3", "--stride", "1", "--padding", "1"}) ==
        "7x7");
  auto formula = run_convlab({"shape", "pool", "--input", "7x7", "--kernel", "2", "--ceil-mode"});
  CHECK(contains(formula.out, "ceil((7 + 0 + 0 - 1*(2 - 1) - 1) / 2) + 1 = 4"));
  auto padding = run_convlab({"shape", "pool", "--input", "5x5", "--kernel", "3", "--padding", "2"});
  CHECK(padding.exit_code == 2);
  CHECK(contains(padding.err, "pooling allows at most half the kernel, 1"));
  auto ceil_conv = run_convlab({"shape", "conv", "--input", "5x5", "--kernel", "3", "--ceil-mode"});
  CHECK(ceil_conv.exit_code == 2);
  CHECK(contains(ceil_conv.err, "--ceil-mode applies to pooling only"));
}
