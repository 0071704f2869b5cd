// OpenGL returns pixels bottom row first; images are stored top row first.
#pragma once

#include <cstdint>
#include <vector>

#include "core/io/image_io.h"

namespace convlab::app {

// `rows` is width*height*3 bytes of tightly packed RGB, bottom row first.
RgbImage image_from_gl_rows(int width, int height, const std::vector<uint8_t>& rows);

}  // namespace convlab::app
