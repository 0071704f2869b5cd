#include "app/grid_view.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/i18n.h"
#include "core/explore/colormap.h"
#include "core/explore/step_text.h"

namespace convlab::app {

std::optional<GridCell> GridPlacement::cell_at(ImVec2 point) const {
  if (cell <= 0 || point.x < origin.x || point.y < origin.y) return std::nullopt;
  const int x = static_cast<int>((point.x - origin.x) / cell);
  const int y = static_cast<int>((point.y - origin.y) / cell);
  if (x >= cols || y >= rows) return std::nullopt;
  return GridCell{y, x};
}

GridArrangement fit_grids(int count, int rows, int cols, ImVec2 box, float gap, float label_height,
                          float max_cell) {
  GridArrangement best;
  if (count <= 0 || rows <= 0 || cols <= 0) return best;
  for (int columns = 1; columns <= count; ++columns) {
    const int grid_rows = (count + columns - 1) / columns;
    const float by_width =
        (box.x - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns * cols);
    const float by_height =
        (box.y - (gap + label_height) * static_cast<float>(grid_rows)) / static_cast<float>(grid_rows * rows);
    const float cell = std::min({by_width, by_height, max_cell});
    if (cell > best.cell) best = {columns, cell};
  }
  best.cell = std::max(0.0f, std::floor(best.cell));  // whole pixels: crisp grid lines
  return best;
}

GridPalette grid_palette(Theme theme) {
  if (theme == Theme::Light)
    return {IM_COL32(120, 124, 134, 255), IM_COL32(226, 228, 232, 255), IM_COL32(196, 199, 206, 255),
            IM_COL32(128, 132, 140, 255), IM_COL32(246, 246, 248, 255), IM_COL32(232, 113, 10, 255),
            IM_COL32(0, 150, 90, 255),    IM_COL32(20, 20, 26, 255),    IM_COL32(90, 92, 100, 255)};
  return {IM_COL32(90, 94, 104, 255),   IM_COL32(48, 51, 58, 255),    IM_COL32(66, 70, 80, 255),
          IM_COL32(140, 144, 152, 255), IM_COL32(36, 38, 44, 255),    IM_COL32(255, 140, 30, 255),
          IM_COL32(40, 210, 130, 255),  IM_COL32(240, 240, 242, 255), IM_COL32(170, 172, 180, 255)};
}

namespace {

// Writes `label` centered in the cell at the largest size that fits, or not
// at all when even the minimum size would overflow.
bool draw_centered(ImDrawList* draw, ImVec2 min, ImVec2 max, const std::string& label, const CellText& text,
                   ImU32 color) {
  if (text.font == nullptr || (max.y - min.y) * 0.5f < text.min_size) return false;
  const float cell_w = max.x - min.x, cell_h = max.y - min.y;
  // Half the cell's height at most (a 40 px cell gets 20 px digits, readable
  // from the back of a room), less where the value is wider than the cell.
  float size = std::min(text.max_size, cell_h * 0.52f);
  const ImVec2 measured = text.font->CalcTextSizeA(size, FLT_MAX, 0.0f, label.c_str());
  const float room = cell_w * 0.9f;
  if (measured.x > room) size *= room / measured.x;
  if (size < text.min_size) return false;
  const ImVec2 fitted = text.font->CalcTextSizeA(size, FLT_MAX, 0.0f, label.c_str());
  const ImVec2 at(std::round(min.x + (cell_w - fitted.x) * 0.5f),
                  std::round(min.y + (cell_h - fitted.y) * 0.5f));
  draw->AddText(text.font, size, at, color, label.c_str());
  return true;
}

}  // namespace

void draw_value_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, float value, float max_abs,
                     const CellText& text, const GridPalette& palette) {
  (void)palette;
  const explore::Rgb8 fill = explore::diverging_color(value, max_abs);
  draw->AddRectFilled(min, max, IM_COL32(fill.r, fill.g, fill.b, 255));
  if ((max.y - min.y) * 0.5f < text.min_size) return;  // no number fits: skip the formatting
  const ImU32 ink =
      explore::prefers_dark_text(fill) ? IM_COL32(15, 15, 20, 255) : IM_COL32(255, 255, 255, 255);
  // Fewer digits first when the cell is narrow: "0.1111" reads better than
  // a tiny "0.11111111". A decimal comma where the UI language writes one.
  for (int digits : {4, 3, 2})
    if (draw_centered(draw, min, max, i18n::display_text(explore::format_value(value, digits)), text, ink))
      return;
}

void draw_padding_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, const CellText& text,
                       const GridPalette& palette, const char* label) {
  draw->AddRectFilled(min, max, palette.padding_fill);
  // Diagonal hatching: the frame reads as "not part of the image" even in
  // grayscale print-outs and on a washed-out projector. Each line is clipped
  // to the cell by hand: a clip rectangle per cell would cost a draw call
  // per cell, which a software renderer feels.
  const float w = max.x - min.x;
  if (w < 12.0f) return;  // tiny cells: the flat fill alone reads better (and costs less)
  const float step = std::max(5.0f, w / 4.0f);
  for (float t = step * 0.5f; t < 2.0f * w; t += step) {
    const float u0 = std::max(0.0f, t - w), u1 = std::min(t, w);
    draw->AddLine(ImVec2(min.x + u0, max.y - (t - u0)), ImVec2(min.x + u1, max.y - (t - u1)),
                  palette.padding_hatch, 1.0f);
  }
  draw_centered(draw, min, max, label, text, palette.padding_text);
}

void draw_marked_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, float value, ImU32 fill,
                      const CellText& text) {
  draw->AddRectFilled(min, max, fill);
  const ImVec4 color = ImGui::ColorConvertU32ToFloat4(fill);
  const explore::Rgb8 rgb{static_cast<uint8_t>(color.x * 255.0f), static_cast<uint8_t>(color.y * 255.0f),
                          static_cast<uint8_t>(color.z * 255.0f)};
  const ImU32 ink =
      explore::prefers_dark_text(rgb) ? IM_COL32(15, 15, 20, 255) : IM_COL32(255, 255, 255, 255);
  for (int digits : {4, 3, 2})
    if (draw_centered(draw, min, max, i18n::display_text(explore::format_value(value, digits)), text, ink))
      return;
}

void draw_empty_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, const GridPalette& palette) {
  draw->AddRectFilled(min, max, palette.empty_fill);
}

void draw_grid_lines(ImDrawList* draw, const GridPlacement& grid, const GridPalette& palette) {
  if (grid.cell >= 6.0f) {  // smaller cells would turn into a gray wash
    for (int x = 1; x < grid.cols; ++x) {
      const float px = grid.origin.x + static_cast<float>(x) * grid.cell;
      draw->AddLine(ImVec2(px, grid.origin.y), ImVec2(px, grid.end().y), palette.grid_line, 1.0f);
    }
    for (int y = 1; y < grid.rows; ++y) {
      const float py = grid.origin.y + static_cast<float>(y) * grid.cell;
      draw->AddLine(ImVec2(grid.origin.x, py), ImVec2(grid.end().x, py), palette.grid_line, 1.0f);
    }
  }
  draw->AddRect(grid.origin, grid.end(), palette.grid_line, 0.0f, 0, 1.5f);
}

void begin_crisp_lines(ImDrawList* draw) { draw->Flags &= ~ImDrawListFlags_AntiAliasedLines; }

void end_crisp_lines(ImDrawList* draw) {
  if (ImGui::GetStyle().AntiAliasedLines) draw->Flags |= ImDrawListFlags_AntiAliasedLines;
}

void outline_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 color, float thickness) {
  const float inset = thickness * 0.5f;
  draw->AddRect(ImVec2(min.x + inset, min.y + inset), ImVec2(max.x - inset, max.y - inset), color, 0.0f, 0,
                thickness);
}

std::string fitting_caption(float width, std::initializer_list<std::string> wordings) {
  for (const float shrink : {1.0f, 0.8f})
    for (const std::string& text : wordings)
      if (shrink * ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  return *(wordings.end() - 1);
}

void draw_caption(ImDrawList* draw, ImVec2 bottom_left, float width, const char* text, ImU32 color) {
  const float height = ImGui::GetTextLineHeight();
  // A little smaller where the words are a little too wide (down to 80%),
  // sitting on the same baseline.
  const float full = ImGui::GetFontSize();
  const float text_width = ImGui::CalcTextSize(text).x;
  const float size = text_width > width ? std::max(0.8f * full, full * width / text_width) : full;
  const ImVec2 min(bottom_left.x, bottom_left.y - height);
  draw->PushClipRect(min, ImVec2(bottom_left.x + std::max(width, 1.0f), bottom_left.y), true);
  draw->AddText(nullptr, size, ImVec2(min.x, min.y + (full - size)), color, text);
  draw->PopClipRect();
}

}  // namespace convlab::app
