// Animated GIF export (giflib) for the frames the panel renders.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace convlab::explore {

// 8-bit RGBA, interleaved, row-major, top row first. Alpha is ignored: a GIF
// frame here is opaque (the panel renders onto its own background).
struct RgbaFrame {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width*height*4
};

inline constexpr int kMaxGifSide = 65535;  // the GIF format's 16-bit sizes

// One global palette for all frames. UI frames are flat colors, so when all
// frames together use at most 256 colors the palette is exactly those colors
// (lossless). Otherwise a fixed palette: a 6x7x6 RGB cube (7 green levels,
// as the eye resolves green best) plus 4 extra grays, each pixel mapped to
// its nearest entry; no dithering, which would speckle flat areas.
struct GifPalette {
  std::vector<uint8_t> rgb;  // entries*3
  bool exact = false;        // true when every input color is in the palette
};
GifPalette choose_gif_palette(const std::vector<RgbaFrame>& frames);

// All frames the same size; delay 0..65535 hundredths of a second per frame;
// loops forever. Written to "<path>.tmp" and renamed into place, so a
// failed export never leaves a truncated file at `path`. Errors name the file.
Status write_gif(const std::string& path, const std::vector<RgbaFrame>& frames, int delay_centiseconds);

}  // namespace convlab::explore
