// Plain labels drawn into an RgbImage (stb_easy_font's blocky glyphs, each
// font pixel drawn scale x scale): axis numbers on the loss curve, column
// titles on the eval contact sheet. ASCII only; no font file needed.
#pragma once

#include <cstdint>
#include <string>

#include "core/io/image_io.h"

namespace convlab {

struct TextColor {
  uint8_t r = 0, g = 0, b = 0;
};

void fill_rect(RgbImage& image, int x0, int y0, int x1, int y1,
               TextColor color);  // clipped; [x0, x1) x [y0, y1)
void draw_text(RgbImage& image, int x, int y, const std::string& text, TextColor color, int scale = 2);
int text_width(const std::string& text, int scale = 2);
int text_height(int scale = 2);

}  // namespace convlab
