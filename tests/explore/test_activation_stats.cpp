// What the layer inspector says about an activation: statistics per channel
// and overall, histograms, the thumbnail grid's geometry and colormaps.
#include <doctest/doctest.h>

#include <cmath>

#include "core/explore/activation_stats.h"
#include "core/explore/atlas_layout.h"
#include "core/explore/colormap.h"

using namespace convlab;
using namespace convlab::explore;

TEST_CASE("activation summary: per channel and overall, NaN kept apart") {
  Tensor t({1, 2, 2, 2});
  const float values[] = {1, 2, 3, 4, -1, -1, NAN, 5};
  std::copy(std::begin(values), std::end(values), t.data());
  const ActivationSummary s = summarize_activation(t);
  REQUIRE(s.channels.size() == 2);
  CHECK(s.channels[0].min == 1);
  CHECK(s.channels[0].max == 4);
  CHECK(s.channels[0].mean == doctest::Approx(2.5));
  CHECK(s.channels[0].std == doctest::Approx(std::sqrt(1.25)));
  CHECK(s.channels[1].non_finite == 1);
  CHECK(s.channels[1].count == 3);
  CHECK(s.channels[1].mean == doctest::Approx(1.0));
  CHECK(s.all.min == -1);
  CHECK(s.all.max == 5);
  CHECK(s.signed_values);
  CHECK(s.channels[1].max_abs() == 5);
  CHECK(channel_values(t, 1)[3] == 5);
}

TEST_CASE("histogram over a span: end bins take the extremes") {
  const std::vector<float> v = {0, 0.5f, 1, 9.99f, 10};
  const Histogram h = make_histogram(v, 10, 0, 10);
  CHECK(h.counts[0] == 2);
  CHECK(h.counts[1] == 1);
  CHECK(h.counts[9] == 2);
  CHECK(h.total() == 5);
}

TEST_CASE("atlas layout: tiles keep the aspect, shrink to the limit, and map back to cells") {
  const AtlasLayout big = atlas_layout(32, 128, 80, 64, 1.0);
  CHECK(big.tile_h == 64);
  CHECK(big.tile_w == 40);
  CHECK(big.columns * big.rows >= 32);
  CHECK((big.columns - 1) * big.rows < 32);  // no spare row
  const AtlasLayout small = atlas_layout(256, 5, 8, 64, 1.6);
  CHECK(small.tile_h == 5);  // never enlarged
  CHECK(small.tile_w == 8);
  CHECK(small.gap == 1);
  // Every tile pixel maps back to its channel and cell.
  for (int c : {0, 17, 255}) {
    auto cell = atlas_cell_at(small, small.tile_x(c) + 7.5, small.tile_y(c) + 4.5);
    REQUIRE(cell.has_value());
    CHECK(cell->channel == c);
    CHECK(cell->y == 4);
    CHECK(cell->x == 7);
  }
  CHECK_FALSE(atlas_cell_at(small, small.tile_x(1) - 0.5, 0.5).has_value());  // the gap
  CHECK_FALSE(atlas_cell_at(small, -1, 0).has_value());
  // Shrunk tiles: pixel (ty, tx) shows cell (ty * H / tile_h, tx * W / tile_w), as the shader does.
  auto shrunk = atlas_cell_at(big, big.tile_x(3) + 39.5, big.tile_y(3) + 63.5);
  REQUIRE(shrunk.has_value());
  CHECK(shrunk->y == 126);
  CHECK(shrunk->x == 78);
}

TEST_CASE("colormap tables for the shaders match the functions; images are RGBA") {
  const auto seq = sequential_table();
  CHECK(seq[0] == sequential_color(0.0f));
  CHECK(seq[255] == sequential_color(1.0f));
  CHECK(seq[0] == Rgb8{8, 29, 88});        // dark navy
  CHECK(seq[255] == Rgb8{255, 255, 217});  // light yellow
  // Lightness rises along the sequential map.
  for (size_t i = 1; i < seq.size(); ++i)
    CHECK(seq[i].r + seq[i].g + seq[i].b >= seq[i - 1].r + seq[i - 1].g + seq[i - 1].b - 3);
  const auto div = diverging_table();
  CHECK(div[0] == diverging_color(-1.0f, 1.0f));
  CHECK(div[255] == diverging_color(1.0f, 1.0f));
  const std::vector<float> values = {-2, 0, 2};
  const auto rgba = diverging_rgba(values, 2);
  REQUIRE(rgba.size() == 12);
  CHECK(Rgb8{rgba[0], rgba[1], rgba[2]} == diverging_color(-1, 1));
  CHECK(rgba[3] == 255);
  const auto gray = gray_rgba(std::vector<float>{0, 50, 100}, 0, 100);
  CHECK(gray[0] == 0);
  CHECK(gray[4] == 128);
  CHECK(gray[8] == 255);
}
