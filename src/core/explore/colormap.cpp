#include "core/explore/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace convlab::explore {

namespace {

// RdBu from -1 (dark blue) through the near-white middle to +1 (dark red).
constexpr std::array<Rgb8, 11> kStops = {{{5, 48, 97},
                                          {33, 102, 172},
                                          {67, 147, 195},
                                          {146, 197, 222},
                                          {209, 229, 240},
                                          {247, 247, 247},
                                          {253, 219, 199},
                                          {244, 165, 130},
                                          {214, 96, 77},
                                          {178, 24, 43},
                                          {103, 0, 31}}};

// YlGnBu from dark (0) to light (1).
constexpr std::array<Rgb8, 9> kSequentialStops = {{{8, 29, 88},
                                                   {37, 52, 148},
                                                   {34, 94, 168},
                                                   {29, 145, 192},
                                                   {65, 182, 196},
                                                   {127, 205, 187},
                                                   {199, 233, 180},
                                                   {237, 248, 177},
                                                   {255, 255, 217}}};

uint8_t mix(uint8_t a, uint8_t b, double t) { return static_cast<uint8_t>(std::lround(a + (b - a) * t)); }

double linear(uint8_t channel) {
  const double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

float grid_max_abs(std::span<const float> values) {
  float largest = 0.0f;
  for (float v : values)
    if (!std::isnan(v)) largest = std::max(largest, std::fabs(v));
  return largest;
}

Rgb8 diverging_color(float value, float max_abs) {
  constexpr size_t kMiddle = kStops.size() / 2;
  if (!(max_abs > 0.0f) || std::isnan(value)) return kStops[kMiddle];
  const double t = std::clamp(static_cast<double>(value) / static_cast<double>(max_abs), -1.0, 1.0);
  // t in [-1, 1] -> position in [0, stops-1]; the middle stop is exactly 0.
  const double position = (t + 1.0) * 0.5 * static_cast<double>(kStops.size() - 1);
  const size_t low = std::min(static_cast<size_t>(position), kStops.size() - 2);
  const double frac = position - static_cast<double>(low);
  const Rgb8 a = kStops[low], b = kStops[low + 1];
  return {mix(a.r, b.r, frac), mix(a.g, b.g, frac), mix(a.b, b.b, frac)};
}

Rgb8 sequential_color(float t) {
  if (std::isnan(t)) return kSequentialStops.front();
  const double position =
      std::clamp(static_cast<double>(t), 0.0, 1.0) * static_cast<double>(kSequentialStops.size() - 1);
  const size_t low = std::min(static_cast<size_t>(position), kSequentialStops.size() - 2);
  const double frac = position - static_cast<double>(low);
  const Rgb8 a = kSequentialStops[low], b = kSequentialStops[low + 1];
  return {mix(a.r, b.r, frac), mix(a.g, b.g, frac), mix(a.b, b.b, frac)};
}

std::array<Rgb8, 256> diverging_table() {
  std::array<Rgb8, 256> table{};
  for (size_t i = 0; i < table.size(); ++i)
    table[i] = diverging_color(static_cast<float>(i) / 255.0f * 2.0f - 1.0f, 1.0f);
  return table;
}

std::array<Rgb8, 256> sequential_table() {
  std::array<Rgb8, 256> table{};
  for (size_t i = 0; i < table.size(); ++i) table[i] = sequential_color(static_cast<float>(i) / 255.0f);
  return table;
}

std::vector<uint8_t> diverging_rgba(std::span<const float> values, float max_abs) {
  std::vector<uint8_t> rgba;
  rgba.reserve(values.size() * 4);
  for (float v : values) {
    const Rgb8 c = diverging_color(v, max_abs);
    rgba.insert(rgba.end(), {c.r, c.g, c.b, 255});
  }
  return rgba;
}

std::vector<uint8_t> gray_rgba(std::span<const float> values, float lo, float hi) {
  std::vector<uint8_t> rgba;
  rgba.reserve(values.size() * 4);
  const double range = hi > lo ? static_cast<double>(hi) - lo : 1.0;
  for (float v : values) {
    const auto g = static_cast<uint8_t>(std::lround(std::clamp((v - lo) / range, 0.0, 1.0) * 255.0));
    rgba.insert(rgba.end(), {g, g, g, 255});
  }
  return rgba;
}

bool prefers_dark_text(Rgb8 background) {
  const double luminance =
      0.2126 * linear(background.r) + 0.7152 * linear(background.g) + 0.0722 * linear(background.b);
  return luminance > 0.179;  // where black and white text have equal contrast (WCAG ratios)
}

}  // namespace convlab::explore
