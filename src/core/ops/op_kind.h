// The op list: every op ConvLab has, by name. Adding an op means adding it
// here, and the static_assert makes the name table follow; each backend then
// implements it and the backend tests run it.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace convlab {

enum class OpKind {
  Conv2d,
  ConvTranspose2d,
  BatchNorm2d,
  Relu,
  Concat,
  EmbedBroadcast,
  RgbToLab,
  LabToRgb,
  UpsampleBilinear,
  Count
};

inline constexpr std::array<std::string_view, static_cast<size_t>(OpKind::Count)> kOpNames = {
    "conv2d",     "conv_transpose2d", "batch_norm",       "relu", "concat", "embed",
    "rgb_to_lab", "lab_to_rgb",       "upsample_bilinear"};
static_assert(kOpNames.size() == static_cast<size_t>(OpKind::Count), "every op needs a name");

inline constexpr std::string_view op_name(OpKind kind) { return kOpNames[static_cast<size_t>(kind)]; }
inline std::optional<OpKind> op_from_name(std::string_view name) {
  for (size_t i = 0; i < kOpNames.size(); ++i)
    if (kOpNames[i] == name) return static_cast<OpKind>(i);
  return std::nullopt;
}

}  // namespace convlab
