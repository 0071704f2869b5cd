#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/explore/colormap.h"

using namespace convlab::explore;

TEST_CASE("diverging colormap: blue below zero, near white at zero, red above, symmetric") {
  const Rgb8 zero = diverging_color(0.0f, 5.0f);
  CHECK(zero == Rgb8{247, 247, 247});
  CHECK(diverging_color(-5.0f, 5.0f) == Rgb8{5, 48, 97});
  CHECK(diverging_color(5.0f, 5.0f) == Rgb8{103, 0, 31});
  CHECK(diverging_color(50.0f, 5.0f) == Rgb8{103, 0, 31});  // clamped
  const Rgb8 negative = diverging_color(-2.0f, 5.0f), positive = diverging_color(2.0f, 5.0f);
  CHECK(negative.b > negative.r);
  CHECK(positive.r > positive.b);
  // Equal magnitudes, equal strength: lightness falls alike on both sides.
  auto lightness = [](Rgb8 c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; };
  CHECK(std::fabs(lightness(negative) - lightness(positive)) < 25.0);
  // Monotone: a larger |v| is never lighter.
  for (int i = 0; i < 50; ++i) {
    const float a = static_cast<float>(i) / 50.0f, b = static_cast<float>(i + 1) / 50.0f;
    CHECK(lightness(diverging_color(b, 1.0f)) <= lightness(diverging_color(a, 1.0f)) + 1e-9);
    CHECK(lightness(diverging_color(-b, 1.0f)) <= lightness(diverging_color(-a, 1.0f)) + 1e-9);
  }
  CHECK(diverging_color(3.0f, 0.0f) == zero);  // all-zero grid
  CHECK(diverging_color(std::numeric_limits<float>::quiet_NaN(), 1.0f) == zero);
}

TEST_CASE("grid_max_abs and text contrast") {
  const std::vector<float> grid = {1.0f, -7.5f, 3.0f, std::numeric_limits<float>::quiet_NaN()};
  CHECK(grid_max_abs(grid) == 7.5f);
  CHECK(grid_max_abs(std::vector<float>{}) == 0.0f);
  CHECK(prefers_dark_text(diverging_color(0.0f, 1.0f)));
  CHECK_FALSE(prefers_dark_text(diverging_color(-1.0f, 1.0f)));
  CHECK_FALSE(prefers_dark_text(diverging_color(1.0f, 1.0f)));
}
