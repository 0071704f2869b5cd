// Feature-map thumbnails painted by the core (the layer inspector's atlas):
// each shown channel's tile holds its own values through the colormap, at
// the cells atlas_cell_at() names; gaps stay clear.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "core/explore/atlas_paint.h"
#include "core/explore/colormap.h"

using namespace convlab;

TEST_CASE("feature-map thumbnails: every channel's tile holds its values through the colormap") {
  // 5 channels of 3x4, channel c holds c*10 + y*4 + x; channels 1..4 shown.
  Tensor t({1, 5, 3, 4});
  for (int c = 0; c < 5; ++c)
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 4; ++x) t.at(0, c, y, x) = static_cast<float>(c * 10 + y * 4 + x);
  const explore::AtlasLayout layout = explore::atlas_layout(4, 3, 4, 64, 1.0);
  std::vector<explore::AtlasRange> ranges;
  for (int c = 1; c < 5; ++c) ranges.push_back({static_cast<float>(c * 10), static_cast<float>(c * 10 + 11)});
  const std::vector<uint8_t> pixels = explore::paint_atlas(t, 1, layout, ranges, false);
  REQUIRE(pixels.size() == static_cast<size_t>(layout.width() * layout.height() * 4));
  const auto table = explore::sequential_table();
  for (int shown = 0; shown < 4; ++shown)
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 4; ++x) {
        const int px = layout.tile_x(shown) + x, py = layout.tile_y(shown) + y;
        const uint8_t* p = &pixels[static_cast<size_t>((py * layout.width() + px) * 4)];
        const auto cell = explore::atlas_cell_at(layout, px + 0.5, py + 0.5);
        REQUIRE(cell.has_value());
        CHECK(cell->channel == shown);
        CHECK(cell->y == y);
        CHECK(cell->x == x);
        const float t01 = static_cast<float>(y * 4 + x) / 11.0f;
        const explore::Rgb8 want = table[static_cast<size_t>(std::lround(t01 * 255.0f))];
        CAPTURE(shown);
        CAPTURE(y);
        CAPTURE(x);
        CHECK(p[0] == want.r);
        CHECK(p[1] == want.g);
        CHECK(p[2] == want.b);
        CHECK(p[3] == 255);
      }
  // The gap right of the first tile is transparent.
  const uint8_t* gap = &pixels[static_cast<size_t>(layout.tile_w * 4)];
  CHECK(gap[3] == 0);
}

TEST_CASE("diverging thumbnails are symmetric around zero, and shrunk tiles sample the nearest cell") {
  // One 8x8 channel with -1 left and +1 right, shown as a 4x4 tile.
  Tensor t({1, 1, 8, 8});
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) t.at(0, 0, y, x) = x < 4 ? -1.0f : 1.0f;
  t.at(0, 0, 0, 0) = std::nanf("");
  const explore::AtlasLayout layout = explore::atlas_layout(1, 8, 8, 4, 1.0);
  REQUIRE(layout.tile_w == 4);
  const explore::AtlasRange range{-1.0f, 1.0f};
  const auto pixels = explore::paint_atlas(t, 0, layout, std::span(&range, 1), true);
  const auto table = explore::diverging_table();
  auto at = [&](int x, int y) { return &pixels[static_cast<size_t>((y * layout.width() + x) * 4)]; };
  CHECK(at(0, 0)[0] == table[128].r);  // NaN: the middle
  CHECK(at(1, 1)[2] == table[0].b);    // cell (2, 2) = -1
  CHECK(at(3, 3)[0] == table[255].r);  // cell (6, 6) = +1
}
