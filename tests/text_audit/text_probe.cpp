// The text probe: linked only into convlab_text_audit, a test build of the
// app whose link wraps ImGui's ImDrawList::AddText (-Wl,--wrap, see
// tests/CMakeLists.txt). Every piece of text ImGui or a panel draws passes
// through AddText; in the frame `convlab --tour` marks (app/text_audit.h)
// the probe writes one line per problem to $CONVLAB_TEXT_AUDIT:
//   <screen> \t cut \t <window> \t <text>       drawn partly outside its clip rectangle
//   <screen> \t untranslated \t <window> \t <text>   (pseudo language only) words outside ⟦ ⟧
// and, for every text, a "text" line with its pixel height, and for every
// window that draws text a "window" line with its rectangle, so a test can
// also check the sizes of what is drawn.
#include <imgui.h>
#include <imgui_internal.h>

#include <cfloat>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "app/text_audit.h"
#include "pseudo_text.h"

namespace {

using convlab::text_audit::has_word;
using convlab::text_audit::outside_markers;

// Text starts and ends this many pixels outside its clip rectangle before it
// counts as cut (glyph bounding boxes carry a pixel of side bearing).
constexpr float kSlack = 1.5f;

FILE* report() {
  static FILE* file = [] {
    const char* path = std::getenv("CONVLAB_TEXT_AUDIT");
    return path != nullptr && *path != '\0' ? std::fopen(path, "w") : nullptr;
  }();
  return file;
}

bool pseudo_language() {
  static const bool on = [] {
    const char* value = std::getenv("CONVLAB_TEXT_AUDIT_PSEUDO");
    return value != nullptr && *value == '1';
  }();
  return on;
}

std::string one_line(const char* begin, const char* end) {
  std::string text(begin, end != nullptr ? end : begin + std::char_traits<char>::length(begin));
  for (char& c : text)
    if (c == '\n' || c == '\t') c = ' ';
  return text;
}

void write(const char* kind, const std::string& detail, const std::string& text) {
  FILE* file = report();
  if (file == nullptr) return;
  const std::string& screen = convlab::app::audited_frame().screen;
  const ImGuiWindow* window = GImGui != nullptr ? GImGui->CurrentWindow : nullptr;
  std::fprintf(file, "%s\t%s\t%s\t%s\t%s\n", screen.c_str(), kind, window != nullptr ? window->Name : "-",
               detail.c_str(), text.c_str());
  std::fflush(file);
}

// Each window that draws text, once per screen, with its rectangle: a test
// reads the share of the screen the picture gets from it.
void note_window(const ImGuiWindow* window) {
  static std::set<std::string> seen;
  if (window == nullptr) return;
  const std::string key = convlab::app::audited_frame().screen + "\t" + window->Name;
  if (!seen.insert(key).second) return;
  char detail[96];
  std::snprintf(detail, sizeof detail, "%.0f,%.0f-%.0f,%.0f", window->Pos.x, window->Pos.y,
                window->Pos.x + window->Size.x, window->Pos.y + window->Size.y);
  write("window", detail, "");
}

void inspect(ImDrawList* list, const ImFont* font, float font_size, const ImVec2& pos, const char* begin,
             const char* end, float wrap_width, const ImVec4* fine_clip) {
  if (!convlab::app::audited_frame().active || begin == nullptr) return;
  if (end == nullptr) end = begin + std::char_traits<char>::length(begin);
  if (begin == end) return;
  if (font == nullptr) font = list->_Data->Font;
  if (font_size <= 0.0f) font_size = list->_Data->FontSize;
  const ImVec2 size = font->CalcTextSizeA(font_size, FLT_MAX, wrap_width, begin, end, nullptr);
  ImVec4 clip = list->_CmdHeader.ClipRect;
  if (fine_clip != nullptr) {
    clip.x = ImMax(clip.x, fine_clip->x);
    clip.y = ImMax(clip.y, fine_clip->y);
    clip.z = ImMin(clip.z, fine_clip->z);
    clip.w = ImMin(clip.w, fine_clip->w);
  }
  // The screen's edge is an edge too (a window may reach past it).
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  clip.x = ImMax(clip.x, 0.0f);
  clip.y = ImMax(clip.y, 0.0f);
  clip.z = ImMin(clip.z, display.x);
  clip.w = ImMin(clip.w, display.y);
  const float x0 = pos.x, y0 = pos.y, x1 = pos.x + size.x, y1 = pos.y + size.y;
  const std::string text = one_line(begin, end);
  char detail[96];
  std::snprintf(detail, sizeof detail, "%.0fpx %.0f,%.0f-%.0f,%.0f clip %.0f,%.0f-%.0f,%.0f", font_size, x0,
                y0, x1, y1, clip.x, clip.y, clip.z, clip.w);
  const bool hidden = x1 <= clip.x || x0 >= clip.z || y1 <= clip.y || y0 >= clip.w;
  if (!hidden) write("text", detail, text);
  const ImGuiWindow* window = GImGui->CurrentWindow;
  note_window(window);
  const bool scrolls_x = window != nullptr && window->ScrollbarX;
  const bool scrolls_y = window != nullptr && window->ScrollbarY;
  const bool cut_x = x0 < clip.x - kSlack || x1 > clip.z + kSlack;
  const bool cut_y = y0 < clip.y - kSlack || y1 > clip.w + kSlack;
  // Text partly scrolled out of a scrolling region can be scrolled to; text
  // cut by an edge that does not scroll cannot be read.
  if (!hidden && ((cut_x && !scrolls_x) || (cut_y && !scrolls_y))) write("cut", detail, text);
  if (pseudo_language() && convlab::app::audited_frame().content_depth == 0 &&
      has_word(outside_markers(text)))
    write("untranslated", detail, text);
}

}  // namespace

// The wrapped functions, by their mangled names (x86-64 Itanium ABI): the
// member function's `this` comes first.
extern "C" {
void __real__ZN10ImDrawList7AddTextEPK6ImFontfRK6ImVec2jPKcS7_fPK6ImVec4(ImDrawList*, const ImFont*, float,
                                                                         const ImVec2&, ImU32, const char*,
                                                                         const char*, float, const ImVec4*);

void __wrap__ZN10ImDrawList7AddTextEPK6ImFontfRK6ImVec2jPKcS7_fPK6ImVec4(ImDrawList* list, const ImFont* font,
                                                                         float size, const ImVec2& pos,
                                                                         ImU32 color, const char* begin,
                                                                         const char* end, float wrap_width,
                                                                         const ImVec4* clip) {
  if ((color & IM_COL32_A_MASK) != 0) inspect(list, font, size, pos, begin, end, wrap_width, clip);
  __real__ZN10ImDrawList7AddTextEPK6ImFontfRK6ImVec2jPKcS7_fPK6ImVec4(list, font, size, pos, color, begin,
                                                                      end, wrap_width, clip);
}

// The short overload draws in the current font: the long one with no font.
void __wrap__ZN10ImDrawList7AddTextERK6ImVec2jPKcS4_(ImDrawList* list, const ImVec2& pos, ImU32 color,
                                                     const char* begin, const char* end) {
  __wrap__ZN10ImDrawList7AddTextEPK6ImFontfRK6ImVec2jPKcS7_fPK6ImVec4(list, nullptr, 0.0f, pos, color, begin,
                                                                      end, 0.0f, nullptr);
}
}
