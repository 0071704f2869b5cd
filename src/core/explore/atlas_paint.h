// Feature-map thumbnails as pixels: channels [first, first + layout.channels)
// of batch item 0 of an activation, each as a tile of the atlas laid out by
// atlas_layout.h, through the core's 256-entry colormaps (colormap.h). The
// network panel's layer inspector uploads the result as one texture; it runs
// once per (layer, run, zoom), never per frame.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/tensor.h"
#include "core/explore/atlas_layout.h"

namespace convlab::explore {

// The values mapped to the ends of the colormap, one per shown channel.
//   diverging: t = (v / max_abs + 1) / 2 with max_abs = hi (lo is ignored)
//   sequential: t = (v - lo) / (hi - lo)
struct AtlasRange {
  float lo = 0, hi = 0;
};

// RGBA8, layout.width() x layout.height(), rows top to bottom. A tile pixel
// shows the activation cell atlas_cell_at() names (nearest: enlarged cells
// stay crisp squares); gaps are transparent; NaN shows the map's middle.
// Channels past the tensor's, or missing ranges, leave their tiles clear.
std::vector<uint8_t> paint_atlas(const Tensor& activation, int first, const AtlasLayout& layout,
                                 std::span<const AtlasRange> ranges, bool diverging);

}  // namespace convlab::explore
