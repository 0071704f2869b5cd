// A diverging colormap for signed values: negative blue, zero near white,
// positive red, symmetric around 0 so a value and its negative get equally
// strong colors. Stops are ColorBrewer's RdBu (11 classes, reversed), which
// is designed for this: perceptually ordered lightness on each side, and
// readable by the common color-vision deficiencies.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

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

// A sequential colormap for values that are never negative (activations
// after ReLU): t in [0, 1] from dark navy (0) through teal to light yellow
// (1), ColorBrewer's YlGnBu (9 classes, reversed), lightness rising evenly.
// Clamped outside [0, 1]; NaN gives the dark end.
Rgb8 sequential_color(float t);

// 256-entry tables of the two maps, for shaders: diverging index i stands
// for value (i / 255) * 2 - 1 (times max_abs), sequential for t = i / 255.
std::array<Rgb8, 256> diverging_table();
std::array<Rgb8, 256> sequential_table();

// Whole images for GPU textures, RGBA8 row-major: each value through the
// diverging map (symmetric, max_abs), or as gray from lo (black) to hi (white).
std::vector<uint8_t> diverging_rgba(std::span<const float> values, float max_abs);
std::vector<uint8_t> gray_rgba(std::span<const float> values, float lo, float hi);

// Whether text over this background reads better dark than light (relative
// luminance above the midpoint), so value labels stay legible on every cell.
bool prefers_dark_text(Rgb8 background);

}  // namespace convlab::explore
