#include "app/framebuffer_image.h"

#include <algorithm>

namespace convlab::app {

RgbImage image_from_gl_rows(int width, int height, const std::vector<uint8_t>& rows) {
  RgbImage image;
  image.width = width;
  image.height = height;
  const size_t stride = static_cast<size_t>(width) * 3;
  image.pixels.resize(stride * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    const auto source =
        rows.begin() + static_cast<std::ptrdiff_t>(stride * static_cast<size_t>(height - 1 - y));
    std::copy(source, source + static_cast<std::ptrdiff_t>(stride),
              image.pixels.begin() + static_cast<std::ptrdiff_t>(stride * static_cast<size_t>(y)));
  }
  return image;
}

}  // namespace convlab::app
