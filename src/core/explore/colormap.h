// A diverging colormap for signed values: negative blue, zero near white,
// positive red, symmetric around 0 so a value and its negative get equally
// strong colors. Stops are ColorBrewer's RdBu (11 classes, reversed), which
// is designed for this: perceptually ordered lightness on each side, and
// readable by the common color-vision deficiencies.
#pragma once

#include <cstdint>
#include <span>

namespace convlab::explore {

struct Rgb8 {
  uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb8&) const = default;
};

// The largest |v| of a grid (NaN ignored); 0 for an empty or all-zero grid.
float grid_max_abs(std::span<const float> values);

// value / max_abs in [-1, 1] mapped through the stops (clamped outside).
// max_abs <= 0 (an all-zero grid) or a NaN value gives the middle color.
Rgb8 diverging_color(float value, float max_abs);

// Whether text over this background reads better dark than light (relative
// luminance above the midpoint), so value labels stay legible on every cell.
bool prefers_dark_text(Rgb8 background);

}  // namespace convlab::explore
