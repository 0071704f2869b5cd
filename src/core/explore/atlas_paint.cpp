#include "core/explore/atlas_paint.h"

#include <algorithm>
#include <cmath>

#include "core/explore/colormap.h"

namespace convlab::explore {

namespace {

// Where t in [0, 1] falls in a 256-entry table (rounded to the nearest entry).
size_t table_index(float t) {
  if (std::isnan(t)) t = 0.5f;
  return static_cast<size_t>(std::clamp(t, 0.0f, 1.0f) * 255.0f + 0.5f);
}

}  // namespace

std::vector<uint8_t> paint_atlas(const Tensor& activation, int first, const AtlasLayout& layout,
                                 std::span<const AtlasRange> ranges, bool diverging) {
  const int width = layout.width(), height = layout.height();
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) * 4, 0);
  if (activation.rank() != 4 || activation.n() < 1) return pixels;
  const auto table = diverging ? diverging_table() : sequential_table();
  const int64_t h = activation.h(), w = activation.w(), c = activation.c();
  // The source row / column of each tile row / column, as atlas_cell_at maps them.
  std::vector<int64_t> source_y(static_cast<size_t>(layout.tile_h)),
      source_x(static_cast<size_t>(layout.tile_w));
  for (int y = 0; y < layout.tile_h; ++y)
    source_y[static_cast<size_t>(y)] = std::min<int64_t>(int64_t{y} * layout.source_h / layout.tile_h, h - 1);
  for (int x = 0; x < layout.tile_w; ++x)
    source_x[static_cast<size_t>(x)] = std::min<int64_t>(int64_t{x} * layout.source_w / layout.tile_w, w - 1);
  for (int shown = 0; shown < layout.channels; ++shown) {
    const int64_t channel = int64_t{first} + shown;
    if (channel < 0 || channel >= c || static_cast<size_t>(shown) >= ranges.size()) continue;
    const AtlasRange range = ranges[static_cast<size_t>(shown)];
    const float* plane = activation.data() + channel * h * w;
    const int x0 = layout.tile_x(shown), y0 = layout.tile_y(shown);
    for (int y = 0; y < layout.tile_h; ++y) {
      uint8_t* row = pixels.data() + (static_cast<size_t>(y0 + y) * static_cast<size_t>(width) + x0) * 4;
      const float* source = plane + source_y[static_cast<size_t>(y)] * w;
      for (int x = 0; x < layout.tile_w; ++x) {
        const float v = source[source_x[static_cast<size_t>(x)]];
        float t = 0.0f;
        if (diverging)
          t = range.hi > 0.0f ? (v / range.hi + 1.0f) * 0.5f : 0.5f;
        else
          t = range.hi > range.lo ? (v - range.lo) / (range.hi - range.lo) : 0.0f;
        if (std::isnan(v)) t = 0.5f;
        const Rgb8 color = table[table_index(t)];
        uint8_t* p = row + static_cast<size_t>(x) * 4;
        p[0] = color.r;
        p[1] = color.g;
        p[2] = color.b;
        p[3] = 255;
      }
    }
  }
  return pixels;
}

}  // namespace convlab::explore
