// A step's Markdown as blocks of styled runs, for the lesson panel to lay
// out (md4c parses; nothing here draws). Supports what lessons use:
// headings, paragraphs, bullet and numbered lists, code blocks, block
// quotes, **bold**, *italic*, `code`, and $simple math$, which becomes
// readable text (\times -> ×, n_h -> nₕ, x^2 -> x²).
#pragma once

#include <string>
#include <vector>

namespace convlab::lesson {

enum RunStyle : unsigned { kPlain = 0, kBold = 1, kItalic = 2, kCode = 4, kMath = 8 };

struct Run {
  std::string text;
  unsigned style = kPlain;
};

enum class TextBlockKind { Paragraph, Heading, ListItem, Code, Quote, Rule };

struct TextBlock {
  TextBlockKind kind = TextBlockKind::Paragraph;
  int level = 0;         // heading level, or list depth (1 = top level)
  bool ordered = false;  // list item of a numbered list
  int number = 0;        // its number
  std::vector<Run> runs;
};

std::vector<TextBlock> parse_markdown(const std::string& text);

// "n_h - k_h + 1", "3 \times 3" -> "nₕ − kₕ + 1", "3 × 3".
std::string math_to_text(const std::string& tex);

}  // namespace convlab::lesson
