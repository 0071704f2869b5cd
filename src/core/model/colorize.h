// The colorizer pipeline around the model: any image size in, same size out.
// The model runs at a working size (multiple of the graph's size multiple,
// long side = working_size); the predicted a,b are upsampled bilinearly to
// the full resolution and joined with the original full-resolution L.
#pragma once

#include <array>
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
// The category a photo's file name starts with ("animals_cat.jpg" ->
// animals, as the bundled samples and the dataset name them), else 0.
int category_from_file_name(const std::string& path);
const char* category_name_pt(int id);

struct ColorizeOptions {
  int category = 0;
  int working_size = 256;  // long side, rounded to the graph's size multiple
  CpuPath path = CpuPath::Fast;
};

// Working resolution for an image: long side = working_size, the other side
// in proportion, both rounded to multiples of `multiple` (at least one multiple).
Result<Size2d> working_resolution(int width, int height, int working_size, int multiple);

// The pipeline in two halves around the model, for callers that run the
// model themselves (the network panel runs it on the GPU or CPU, layer by
// layer, and shows what goes in and comes out).
struct ColorizeInput {
  RgbImage original;  // full resolution
  Tensor lab;         // (1, 3, H, W): the original in Lab, full resolution
  Size2d working;     // the model's input size
  Tensor gray;        // (1, 1, h, w): L at the working size, what the model sees
  Tensor true_ab;     // (1, 2, h, w): the original's a,b at the working size
};
// `multiple`: the graph's size multiple. Errors name what is wrong with the image.
Result<ColorizeInput> prepare_colorize_input(const RgbImage& image, int working_size, int multiple);
// ab: the model's (1, 2, h, w) prediction; upsampled bilinearly to full size
// and joined with the original's full-resolution L.
Result<RgbImage> finish_colorize(const ColorizeInput& input, const Tensor& ab);

Result<RgbImage> colorize_cpu(const Model& model, const RgbImage& image, const ColorizeOptions& options);

// Mean |a| and mean |b| of a prediction (N, 2, H, W) over all its pixels:
// how colorful it is (the console's `colorized` line, the browser test).
std::array<double, 2> mean_abs_ab(const Tensor& ab);

}  // namespace convlab
