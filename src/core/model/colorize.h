// The colorizer pipeline around the model: any image size in, same size out.
// The model runs at a working size (multiple of the graph's size multiple,
// long side = working_size); the predicted a,b are upsampled bilinearly to
// the full resolution and joined with the original full-resolution L.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/io/image_io.h"
#include "core/model/model.h"
#include "core/model/runner.h"

namespace convlab {

// Category ids 0-7 by number or by English / Portuguese name ("food",
// "alimentos", ... "none"); errors list the valid names.
Result<int> parse_category(const std::string& text);
const char* category_name_en(int id);
const char* category_name_pt(int id);

struct ColorizeOptions {
  int category = 0;
  int working_size = 256;  // long side, rounded to the graph's size multiple
  CpuPath path = CpuPath::Fast;
};

// Working resolution for an image: long side = working_size, the other side
// in proportion, both rounded to multiples of `multiple` (at least one multiple).
Result<Size2d> working_resolution(int width, int height, int working_size, int multiple);

Result<RgbImage> colorize_cpu(const Model& model, const RgbImage& image, const ColorizeOptions& options);

}  // namespace convlab
