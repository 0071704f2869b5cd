// Drawing value grids with ImGui's draw list: cells colored by value (the
// diverging colormap), numbers that stay readable or step aside when a cell
// is too small, the zero-padding frame, outlines for highlights, and the
// arithmetic of fitting several grids into a box. Shared by the convolution,
// transposed-convolution and batch-norm panels. Pure drawing: no math beyond
// layout.
#pragma once

#include <imgui.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "app/settings.h"

namespace convlab::app {

struct GridCell {
  int y = 0, x = 0;
};

// Where a rows x cols grid sits on screen (ImGui screen coordinates).
struct GridPlacement {
  ImVec2 origin;  // top-left corner of cell (0, 0)
  float cell = 0;
  int rows = 0, cols = 0;

  ImVec2 cell_min(int y, int x) const { return {origin.x + f(x) * cell, origin.y + f(y) * cell}; }
  ImVec2 cell_max(int y, int x) const { return {origin.x + f(x + 1) * cell, origin.y + f(y + 1) * cell}; }
  ImVec2 cell_center(int y, int x) const {
    return {origin.x + (f(x) + 0.5f) * cell, origin.y + (f(y) + 0.5f) * cell};
  }
  ImVec2 size() const { return {f(cols) * cell, f(rows) * cell}; }
  ImVec2 end() const { return {origin.x + f(cols) * cell, origin.y + f(rows) * cell}; }
  std::optional<GridCell> cell_at(ImVec2 point) const;

 private:
  static float f(int value) { return static_cast<float>(value); }
};

// How `count` equal grids (rows x cols cells each) fit a box: `columns` grids
// per row of grids, each cell `cell` pixels; a `label` strip above each grid.
struct GridArrangement {
  int columns = 1;
  float cell = 0;
};
GridArrangement fit_grids(int count, int rows, int cols, ImVec2 box, float gap, float label_height,
                          float max_cell);

// Colors that carry meaning, picked per theme for contrast on a projector.
struct GridPalette {
  ImU32 grid_line;      // between cells
  ImU32 padding_fill;   // the zero frame
  ImU32 padding_hatch;  // its diagonal hatching
  ImU32 padding_text;   // the "0" on it
  ImU32 empty_fill;     // an output cell not computed yet
  ImU32 focus;          // the current step: taps and output cell (orange)
  ImU32 related;        // hover: every output an input cell feeds (green)
  ImU32 label;          // grid captions
  ImU32 muted;          // secondary text
};
GridPalette grid_palette(Theme theme);

// Numbers in cells: the mono font at most at its own size, smaller to fit,
// hidden below a legible minimum (the colors still show the values).
struct CellText {
  ImFont* font = nullptr;
  float max_size = 0;  // pixels
  float min_size = 0;  // pixels; smaller text is not drawn
};

// A value cell: fill from the colormap (|value| / max_abs), the value written
// with as many digits as fit.
void draw_value_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, float value, float max_abs,
                     const CellText& text, const GridPalette& palette);
// A cell of the zero-padding frame: hatched neutral fill and a faint "0"
// (or `label`: a max pool's padding is "−∞").
void draw_padding_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, const CellText& text,
                       const GridPalette& palette, const char* label = "0");
// A value cell singled out (a max pool's winner): a solid `fill` and the
// value in the ink that reads on it.
void draw_marked_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, float value, ImU32 fill,
                      const CellText& text);
// An output cell that has not been computed yet in the step-through.
void draw_empty_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, const GridPalette& palette);
// Grid lines over a placed grid, then an outer border.
void draw_grid_lines(ImDrawList* draw, const GridPlacement& grid, const GridPalette& palette);
// Grids are all axis-aligned lines on whole pixels: anti-aliasing adds
// nothing there but triple the triangles, which a software renderer (Mesa's
// llvmpipe on a laptop without a GPU) pays for every frame. Draw grids
// between these two calls; diagonal lines belong outside.
void begin_crisp_lines(ImDrawList* draw);
void end_crisp_lines(ImDrawList* draw);

// An outline drawn inside the cell so neighbours' outlines do not overlap.
void outline_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 color, float thickness);
// A caption above a grid, clipped to `width`; a little smaller (down to
// 80%) where it is a little too wide.
void draw_caption(ImDrawList* draw, ImVec2 bottom_left, float width, const char* text, ImU32 color);
// The caption to draw in `width`: the first wording (longest first) that
// fits at the full size, else the first that fits at 80%, else the last.
std::string fitting_caption(float width, std::initializer_list<std::string> wordings);

}  // namespace convlab::app
