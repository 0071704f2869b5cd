// A step's Markdown becomes blocks of styled runs; simple math becomes text.
#include <doctest/doctest.h>

#include "core/lesson/markdown.h"

using namespace convlab::lesson;

TEST_CASE("markdown: headings, paragraphs with styles, lists, code") {
  const auto blocks = parse_markdown(
      "### Why\n\nA **bold** and *italic* `code` with $3 \\times 3$.\n\n- one\n- two\n\n1. first\n2. "
      "second\n\n"
      "```\nx = 1\n```\n\n> quoted\n");
  REQUIRE(blocks.size() == 8);
  CHECK(blocks[0].kind == TextBlockKind::Heading);
  CHECK(blocks[0].level == 3);
  CHECK(blocks[0].runs[0].text == "Why");
  const auto& p = blocks[1];
  CHECK(p.kind == TextBlockKind::Paragraph);
  REQUIRE(p.runs.size() >= 7);
  CHECK(p.runs[1].text == "bold");
  CHECK(p.runs[1].style == kBold);
  CHECK(p.runs[3].style == kItalic);
  CHECK(p.runs[5].text == "code");
  CHECK(p.runs[5].style == kCode);
  CHECK(p.runs[7].text == "3 × 3");
  CHECK(p.runs[7].style == kMath);
  CHECK(blocks[2].kind == TextBlockKind::ListItem);
  CHECK_FALSE(blocks[2].ordered);
  CHECK(blocks[3].runs[0].text == "two");
  CHECK(blocks[4].ordered);
  CHECK(blocks[5].number == 2);
  CHECK(blocks[6].kind == TextBlockKind::Code);
  CHECK(blocks[6].runs[0].text == "x = 1");
  CHECK(blocks[7].kind == TextBlockKind::Quote);
}

TEST_CASE("math: commands, subscripts and superscripts become readable text") {
  CHECK(math_to_text("n_h - k_h + 1") == "nₕ − kₕ + 1");
  CHECK(math_to_text("x^2") == "x²");
  CHECK(math_to_text("\\sqrt{\\sigma^2 + \\epsilon}") == "√σ² + ε");
  CHECK(math_to_text("d(k-1)+1") == "d(k−1)+1");
  CHECK(math_to_text("n_w") == "n_w");  // no subscript w in Unicode: left as written
  CHECK(math_to_text("a_{ij}") == "a_(ij)");
}
