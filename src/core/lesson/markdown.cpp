#include "core/lesson/markdown.h"

#include <md4c.h>

#include <map>

namespace convlab::lesson {

namespace {

struct Builder {
  std::vector<TextBlock> blocks;
  std::vector<unsigned> styles{kPlain};
  struct List {
    bool ordered = false;
    int next = 1;
  };
  std::vector<List> lists;
  bool in_block = false;
  int quote_depth = 0;

  TextBlock& current() {
    if (!in_block) start(TextBlockKind::Paragraph);
    return blocks.back();
  }
  void start(TextBlockKind kind) {
    TextBlock block;
    block.kind = quote_depth > 0 && kind == TextBlockKind::Paragraph ? TextBlockKind::Quote : kind;
    block.level = static_cast<int>(lists.size());
    blocks.push_back(block);
    in_block = true;
  }
  void add(const std::string& text) {
    if (text.empty()) return;
    TextBlock& block = current();
    const unsigned style = styles.back();
    if (!block.runs.empty() && block.runs.back().style == style)
      block.runs.back().text += text;
    else
      block.runs.push_back({text, style});
  }
};

int enter_block(MD_BLOCKTYPE type, void* detail, void* user) {
  auto& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_BLOCK_H:
      b.start(TextBlockKind::Heading);
      b.blocks.back().level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
      break;
    case MD_BLOCK_P:
      // A paragraph inside a list item continues the item.
      if (!(b.in_block && b.blocks.back().kind == TextBlockKind::ListItem && b.blocks.back().runs.empty()))
        b.start(TextBlockKind::Paragraph);
      break;
    case MD_BLOCK_UL:
      b.lists.push_back({false, 1});
      break;
    case MD_BLOCK_OL:
      b.lists.push_back({true, static_cast<int>(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)});
      break;
    case MD_BLOCK_LI: {
      b.start(TextBlockKind::ListItem);
      TextBlock& item = b.blocks.back();
      if (!b.lists.empty()) {
        item.ordered = b.lists.back().ordered;
        item.number = b.lists.back().next++;
      }
      break;
    }
    case MD_BLOCK_CODE:
      b.start(TextBlockKind::Code);
      b.styles.push_back(kCode);
      break;
    case MD_BLOCK_QUOTE:
      ++b.quote_depth;
      break;
    case MD_BLOCK_HR:
      b.start(TextBlockKind::Rule);
      break;
    default:
      break;
  }
  return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* user) {
  auto& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      if (!b.lists.empty()) b.lists.pop_back();
      b.in_block = false;
      break;
    case MD_BLOCK_CODE:
      b.styles.pop_back();
      // The last newline of a code block is not a line of its own.
      if (!b.blocks.empty() && !b.blocks.back().runs.empty()) {
        std::string& t = b.blocks.back().runs.back().text;
        if (!t.empty() && t.back() == '\n') t.pop_back();
      }
      b.in_block = false;
      break;
    case MD_BLOCK_QUOTE:
      --b.quote_depth;
      b.in_block = false;
      break;
    case MD_BLOCK_H:
    case MD_BLOCK_P:
    case MD_BLOCK_LI:
    case MD_BLOCK_HR:
      b.in_block = false;
      break;
    default:
      break;
  }
  return 0;
}

int enter_span(MD_SPANTYPE type, void*, void* user) {
  auto& b = *static_cast<Builder*>(user);
  unsigned style = b.styles.back();
  if (type == MD_SPAN_STRONG) style |= kBold;
  if (type == MD_SPAN_EM) style |= kItalic;
  if (type == MD_SPAN_CODE) style |= kCode;
  if (type == MD_SPAN_LATEXMATH || type == MD_SPAN_LATEXMATH_DISPLAY) style |= kMath;
  b.styles.push_back(style);
  return 0;
}

int leave_span(MD_SPANTYPE, void*, void* user) {
  auto& b = *static_cast<Builder*>(user);
  if (b.styles.size() > 1) b.styles.pop_back();
  return 0;
}

int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* user) {
  auto& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_TEXT_BR:
      b.add("\n");
      break;
    case MD_TEXT_SOFTBR:
      b.add(" ");
      break;
    case MD_TEXT_NULLCHAR:
      break;
    case MD_TEXT_LATEXMATH:
      b.add(math_to_text(std::string(text, size)));
      break;
    default:
      b.add(std::string(text, size));
  }
  return 0;
}

// Unicode sub/superscripts for the characters that have one.
const std::map<char, const char*>& subscripts() {
  static const std::map<char, const char*> table = {
      {'0', "₀"}, {'1', "₁"}, {'2', "₂"}, {'3', "₃"}, {'4', "₄"}, {'5', "₅"}, {'6', "₆"},
      {'7', "₇"}, {'8', "₈"}, {'9', "₉"}, {'a', "ₐ"}, {'e', "ₑ"}, {'o', "ₒ"}, {'x', "ₓ"},
      {'h', "ₕ"}, {'k', "ₖ"}, {'l', "ₗ"}, {'m', "ₘ"}, {'n', "ₙ"}, {'p', "ₚ"}, {'s', "ₛ"},
      {'t', "ₜ"}, {'i', "ᵢ"}, {'+', "₊"}, {'-', "₋"}};
  return table;
}
const std::map<char, const char*>& superscripts() {
  static const std::map<char, const char*> table = {
      {'0', "⁰"}, {'1', "¹"}, {'2', "²"}, {'3', "³"}, {'4', "⁴"}, {'5', "⁵"}, {'6', "⁶"},
      {'7', "⁷"}, {'8', "⁸"}, {'9', "⁹"}, {'+', "⁺"}, {'-', "⁻"}, {'n', "ⁿ"}, {'i', "ⁱ"}};
  return table;
}

}  // namespace

std::vector<TextBlock> parse_markdown(const std::string& text) {
  Builder builder;
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_LATEXMATHSPANS | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = on_text;
  md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &builder);
  return builder.blocks;
}

std::string math_to_text(const std::string& tex) {
  static const std::map<std::string, std::string> commands = {
      {"times", "×"},   {"cdot", "·"},       {"le", "≤"},    {"leq", "≤"},   {"ge", "≥"},
      {"geq", "≥"},     {"sqrt", "√"},       {"sum", "∑"},   {"gamma", "γ"}, {"beta", "β"},
      {"epsilon", "ε"}, {"varepsilon", "ε"}, {"mu", "μ"},    {"sigma", "σ"}, {"lfloor", "⌊"},
      {"rfloor", "⌋"},  {"lceil", "⌈"},      {"rceil", "⌉"}, {"to", "→"},    {"rightarrow", "→"},
      {"approx", "≈"},  {"neq", "≠"},        {"pm", "±"},    {"alpha", "α"}, {"frac", ""},
      {"left", ""},     {"right", ""},       {"quad", "  "}, {",", " "}};
  std::string out;
  for (size_t i = 0; i < tex.size();) {
    const char c = tex[i];
    if (c == '\\') {
      size_t j = i + 1;
      while (j < tex.size() && std::isalpha(static_cast<unsigned char>(tex[j]))) ++j;
      if (j == i + 1 && j < tex.size()) ++j;  // "\," and friends
      const std::string name = tex.substr(i + 1, j - i - 1);
      auto it = commands.find(name);
      out += it != commands.end() ? it->second : name;
      i = j;
      continue;
    }
    if ((c == '_' || c == '^') && i + 1 < tex.size()) {
      const auto& table = c == '_' ? subscripts() : superscripts();
      // One character, or a {group} of them.
      std::string group;
      size_t j = i + 1;
      if (tex[j] == '{') {
        const size_t close = tex.find('}', j);
        group = tex.substr(j + 1, (close == std::string::npos ? tex.size() : close) - j - 1);
        j = close == std::string::npos ? tex.size() : close + 1;
      } else {
        group = tex.substr(j, 1);
        ++j;
      }
      bool all = !group.empty();
      for (char g : group) all = all && table.count(g);
      if (all) {
        for (char g : group) out += table.at(g);
      } else {
        out += c;
        if (group.size() > 1) {
          out += '(';
          out += group;
          out += ')';
        } else {
          out += group;
        }
      }
      i = j;
      continue;
    }
    if (c == '{' || c == '}') {
      ++i;
      continue;
    }
    if (c == '-') {
      out += "−";
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace convlab::lesson
