// Where each channel of an activation goes in a grid of thumbnails (the
// network panel's layer inspector): tiles of one size in rows, a gap
// between. Plain geometry, shared by atlas_paint.h, which fills the atlas,
// and the panel that maps the mouse back to (channel, y, x).
#pragma once

#include <optional>

namespace convlab::explore {

struct AtlasLayout {
  int channels = 0;
  int columns = 1, rows = 1;
  int tile_h = 1, tile_w = 1;      // pixels per tile
  int gap = 1;                     // pixels between tiles
  int source_h = 1, source_w = 1;  // the activation's H and W

  int width() const { return columns * tile_w + (columns - 1) * gap; }
  int height() const { return rows * tile_h + (rows - 1) * gap; }
  int tile_x(int channel) const { return (channel % columns) * (tile_w + gap); }
  int tile_y(int channel) const { return (channel / columns) * (tile_h + gap); }
};

// Tiles keep the activation's aspect, at most max_tile pixels on the long
// side (never enlarged: the panel scales the image up with crisp pixels);
// columns chosen so the grid is about as wide as `aspect` (width / height)
// asks. channels, h, w >= 1.
AtlasLayout atlas_layout(int channels, int h, int w, int max_tile, double aspect);

struct AtlasCell {
  int channel = 0;
  int y = 0, x = 0;  // in the activation
};
// The activation cell under atlas pixel (px, py); nullopt on a gap or outside.
std::optional<AtlasCell> atlas_cell_at(const AtlasLayout& layout, double px, double py);

}  // namespace convlab::explore
