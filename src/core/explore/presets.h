// Preset values for the convolution explorer's input grid and kernels. Every
// preset is documented by the values it produces (tests check them), so a
// teacher can say exactly what is on screen.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/io/image_io.h"

namespace convlab::explore {

// Input presets, for a C x H x W grid (values channel-major, then row-major):
//  numbers:      0, 1, 2, ... in reading order over all channels (c*H*W + y*W + x).
//  ramp:         left-to-right ramp x/(W-1) in [0, 1] (0 when W == 1), the same
//                on every row and channel: Sobel x turns it into a constant.
//  checkerboard: (y + x + c) % 2, so 0 at the top-left of channel 0.
//  random:       integers 0..9 from the seed (same seed, same values).
enum class InputPreset { Numbers, Ramp, Checkerboard, Random };

// Kernel presets, for one kh x kw kernel (row-major):
//  identity:  1 at ((kh-1)/2, (kw-1)/2), else 0; any size. That tap is the one
//             'same' padding centers (extra padding goes bottom/right), so
//             identity + same + stride 1 copies the input.
//  box:       every weight 1/(kh*kw); any size.
//  gaussian:  binomial rows (Pascal's triangle) outer product, normalized to
//             sum 1; any size (3x3: [1 2 1; 2 4 2; 1 2 1] / 16).
//  sharpen:   [0 -1 0; -1 5 -1; 0 -1 0]; 3x3 only.
//  sobel_x:   [-1 0 1; -2 0 2; -1 0 1]; 3x3 only.
//  sobel_y:   [-1 -2 -1; 0 0 0; 1 2 1]; 3x3 only.
//  laplacian: [0 1 0; 1 -4 1; 0 1 0]; 3x3 only.
//  random:    integers -2..2 from the seed.
enum class KernelPreset { Identity, Box, Gaussian, Sharpen, SobelX, SobelY, Laplacian, Random };

// A fixed list of names: "a, b, c" for messages, and the index of `name` in
// it, ignoring case (every list here is lower case ASCII).
std::string join_names(std::span<const char* const> names);
std::optional<size_t> find_name(std::span<const char* const> names, const std::string& name);

const char* input_preset_name(InputPreset preset);
const char* kernel_preset_name(KernelPreset preset);
// Case-insensitive; errors list the valid names.
Result<InputPreset> parse_input_preset(const std::string& name);
Result<KernelPreset> parse_kernel_preset(const std::string& name);
std::string input_preset_names();   // "numbers, ramp, checkerboard, random"
std::string kernel_preset_names();  // "identity, box, ..."

std::vector<float> make_input_preset(InputPreset preset, int channels, int height, int width, uint64_t seed);

// Ok when the preset is defined at this size, else an Error that names the
// preset, the size asked for and the sizes that are valid.
Status kernel_preset_fits(KernelPreset preset, int kernel_h, int kernel_w);
Result<std::vector<float>> make_kernel_preset(KernelPreset preset, int kernel_h, int kernel_w, uint64_t seed);

// A rectangle of an image in pixels (x, y: top-left corner).
struct CropRect {
  int x = 0, y = 0, width = 0, height = 0;
};

// Luma is Rec. 709 on the stored (gamma-encoded) values, rounded to an integer
// 0..255 so the grid stays readable; Unit divides that integer by 255.
enum class LumaRange { Byte, Unit };

// height*width luma values of the crop, row-major. The crop must lie inside
// the image and be at most max_side x max_side (the explorer passes 32).
Result<std::vector<float>> photo_patch(const RgbImage& image, CropRect crop, LumaRange range, int max_side);

// splitmix64: the same stream on every platform, so a seed reproduces a preset.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t next();
  int integer(int low, int high);  // inclusive

 private:
  uint64_t state_;
};

}  // namespace convlab::explore
