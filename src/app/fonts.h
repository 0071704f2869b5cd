// DejaVu Sans for text, DejaVu Sans Mono for numbers, rasterised at the exact
// pixel size of the current scale: when the scale changes the atlas is rebuilt
// (crisp glyphs) instead of stretching it with FontGlobalScale (blur).
#pragma once

#include <string>

#include "core/base/result.h"

struct ImFont;

namespace convlab::app {

inline constexpr float kBaseFontPixels = 18.0f;  // at scale 1: readable on a projector

struct Fonts {
  ImFont* ui = nullptr;
  ImFont* heading = nullptr;
  ImFont* mono = nullptr;
  ImFont* mono_large = nullptr;
  ImFont* bold = nullptr;    // lesson text
  ImFont* italic = nullptr;  // lesson text  // the arithmetic of a step, numbers in big cells
};

// Clears ImGui's font atlas and loads the fonts at kBaseFontPixels * scale.
// The caller re-uploads the atlas texture. Fails (with the paths tried and the
// Debian package to install) when DejaVu is missing; then ImGui's built-in
// font is used so the app still opens.
Result<Fonts> build_fonts(float scale);

}  // namespace convlab::app
