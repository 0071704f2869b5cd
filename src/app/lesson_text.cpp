#include "app/lesson_text.h"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "app/text_audit.h"

namespace convlab::app {

namespace {

ImFont* font_for(unsigned style, const PanelContext& context) {
  if (style & lesson::kCode) return context.mono_font ? context.mono_font : ImGui::GetFont();
  // Math in italics, as printed formulas are.
  if ((style & lesson::kMath) && context.italic_font) return context.italic_font;
  if ((style & lesson::kBold) && context.bold_font) return context.bold_font;
  if ((style & lesson::kItalic) && context.italic_font) return context.italic_font;
  return context.ui_font ? context.ui_font : ImGui::GetFont();
}

// Lays out runs from the cursor, wrapping at `right`; returns the height used.
void flow(const std::vector<lesson::Run>& runs, const PanelContext& context, float indent,
          ImFont* override_font, ImU32 color) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float left = origin.x + indent;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float line_h = (override_font ? override_font->FontSize : ImGui::GetFontSize()) * 1.3f;
  float x = left, y = origin.y;
  const ImU32 code_bg = ImGui::GetColorU32(ImGuiCol_FrameBg);
  for (const lesson::Run& run : runs) {
    ImFont* font = override_font ? override_font : font_for(run.style, context);
    const float size = font->FontSize;
    const bool boxed = run.style & lesson::kCode;
    // Words with the space before them; "\n" forces a line break.
    size_t i = 0;
    const std::string& t = run.text;
    while (i < t.size()) {
      if (t[i] == '\n') {
        x = left;
        y += line_h;
        ++i;
        continue;
      }
      size_t j = i;
      while (j < t.size() && t[j] == ' ') ++j;
      size_t k = j;
      while (k < t.size() && t[k] != ' ' && t[k] != '\n') ++k;
      const std::string spaces = t.substr(i, j - i), word = t.substr(j, k - j);
      const float space_w = font->CalcTextSizeA(size, FLT_MAX, 0, spaces.c_str()).x;
      const float word_w = font->CalcTextSizeA(size, FLT_MAX, 0, word.c_str()).x;
      if (x > left && x + space_w + word_w > right) {
        x = left;
        y += line_h;
      } else {
        x += space_w;
      }
      if (!word.empty()) {
        const ImVec2 at(x, y + 0.5f * (line_h - size));
        if (boxed)
          draw->AddRectFilled(ImVec2(at.x - 2, at.y - 1), ImVec2(at.x + word_w + 2, at.y + size + 1), code_bg,
                              3.0f);
        draw->AddText(font, size, at, color, word.c_str());
        x += word_w;
      }
      i = k;
    }
  }
  ImGui::Dummy(ImVec2(std::max(1.0f, right - origin.x), y + line_h - origin.y));
}

}  // namespace

void draw_lesson_text(const std::vector<lesson::TextBlock>& blocks, const PanelContext& context) {
  const ContentText lesson_words;  // the lesson's text, in its author's language
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float font = ImGui::GetFontSize();
  for (const lesson::TextBlock& block : blocks) {
    switch (block.kind) {
      case lesson::TextBlockKind::Heading:
        ImGui::Spacing();
        flow(block.runs, context, 0, context.bold_font ? context.bold_font : context.heading_font, text);
        break;
      case lesson::TextBlockKind::Paragraph:
        flow(block.runs, context, 0, nullptr, text);
        ImGui::Spacing();
        break;
      case lesson::TextBlockKind::Quote: {
        const ImVec2 top = ImGui::GetCursorScreenPos();
        flow(block.runs, context, 1.0f * font, nullptr, muted);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(top.x + 0.3f * font, top.y),
                                            ImVec2(top.x + 0.3f * font, ImGui::GetCursorScreenPos().y), muted,
                                            3.0f);
        break;
      }
      case lesson::TextBlockKind::ListItem: {
        const float indent = 1.4f * font * static_cast<float>(std::max(block.level, 1));
        const std::string marker = block.ordered ? std::to_string(block.number) + "." : "•";
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float line_h = font * 1.3f;
        ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + indent - 1.1f * font, at.y + 0.15f * line_h), text,
                                            marker.c_str());
        flow(block.runs, context, indent, nullptr, text);
        break;
      }
      case lesson::TextBlockKind::Code: {
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
        ImGui::PushFont(context.mono_font);
        std::string code;
        for (const lesson::Run& run : block.runs) code += run.text;
        ImGui::TextUnformatted(code.c_str());
        ImGui::PopFont();
        ImGui::PopStyleColor();
        ImGui::Spacing();
        break;
      }
      case lesson::TextBlockKind::Rule:
        ImGui::Separator();
        break;
    }
  }
}

}  // namespace convlab::app
