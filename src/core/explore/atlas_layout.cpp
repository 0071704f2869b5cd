#include "core/explore/atlas_layout.h"

#include <algorithm>
#include <cmath>

namespace convlab::explore {

AtlasLayout atlas_layout(int channels, int h, int w, int max_tile, double aspect) {
  AtlasLayout layout;
  layout.channels = std::max(channels, 1);
  layout.source_h = std::max(h, 1);
  layout.source_w = std::max(w, 1);
  const int longest = std::max(layout.source_h, layout.source_w);
  const double shrink = longest > max_tile ? static_cast<double>(max_tile) / longest : 1.0;
  layout.tile_h = std::max(1, static_cast<int>(std::lround(layout.source_h * shrink)));
  layout.tile_w = std::max(1, static_cast<int>(std::lround(layout.source_w * shrink)));
  layout.gap = std::max(1, std::min(layout.tile_h, layout.tile_w) / 8);
  // columns / rows * (tile_w / tile_h) ~ aspect, rows = ceil(channels / columns).
  const double ratio = std::max(aspect, 0.05) * layout.tile_h / layout.tile_w;
  int columns = static_cast<int>(std::lround(std::sqrt(layout.channels * ratio)));
  layout.columns = std::clamp(columns, 1, layout.channels);
  layout.rows = (layout.channels + layout.columns - 1) / layout.columns;
  return layout;
}

std::optional<AtlasCell> atlas_cell_at(const AtlasLayout& layout, double px, double py) {
  if (px < 0 || py < 0) return std::nullopt;
  const int ix = static_cast<int>(px), iy = static_cast<int>(py);
  const int column = ix / (layout.tile_w + layout.gap), row = iy / (layout.tile_h + layout.gap);
  const int in_x = ix - column * (layout.tile_w + layout.gap), in_y = iy - row * (layout.tile_h + layout.gap);
  if (column >= layout.columns || in_x >= layout.tile_w || in_y >= layout.tile_h) return std::nullopt;
  const int channel = row * layout.columns + column;
  if (channel >= layout.channels) return std::nullopt;
  // The same nearest-sample rule as the shader: tile pixel -> source cell.
  return AtlasCell{channel, std::min(in_y * layout.source_h / layout.tile_h, layout.source_h - 1),
                   std::min(in_x * layout.source_w / layout.tile_w, layout.source_w - 1)};
}

}  // namespace convlab::explore
