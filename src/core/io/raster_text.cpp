#include "core/io/raster_text.h"

#include <stb_easy_font.h>

#include <algorithm>
#include <vector>

namespace convlab {

void fill_rect(RgbImage& image, int x0, int y0, int x1, int y1, TextColor color) {
  x0 = std::max(x0, 0);
  y0 = std::max(y0, 0);
  x1 = std::min(x1, image.width);
  y1 = std::min(y1, image.height);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      uint8_t* p =
          &image.pixels[(static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) *
                        3];
      p[0] = color.r;
      p[1] = color.g;
      p[2] = color.b;
    }
}

void draw_text(RgbImage& image, int x, int y, const std::string& text, TextColor color, int scale) {
  // 4 vertices of 16 bytes per quad; ~270 quads per 100 characters is plenty.
  std::vector<char> buffer(64 * 4 * (text.size() + 1) * 4);
  std::string copy = text;
  const int quads =
      stb_easy_font_print(0, 0, copy.data(), nullptr, buffer.data(), static_cast<int>(buffer.size()));
  for (int q = 0; q < quads; ++q) {
    const float* v = reinterpret_cast<const float*>(buffer.data() + static_cast<size_t>(q) * 64);
    fill_rect(image, x + static_cast<int>(v[0]) * scale, y + static_cast<int>(v[1]) * scale,
              x + static_cast<int>(v[8]) * scale, y + static_cast<int>(v[9]) * scale, color);
  }
}

int text_width(const std::string& text, int scale) {
  std::string copy = text;
  return stb_easy_font_width(copy.data()) * scale;
}

int text_height(int scale) { return 12 * scale; }

}  // namespace convlab
