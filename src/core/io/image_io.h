// Image files through stb_image / stb_image_write. Every failure (missing,
// empty, truncated, corrupt, unsupported, too large) is an Error naming the
// file and saying what would be valid.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/tensor.h"

namespace convlab {

// 8-bit RGB, interleaved, row-major.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width*height*3
};

inline constexpr int64_t kMaxImagePixels = 64LL * 1024 * 1024;  // 64 megapixels

// Always 3 channels: gray is replicated to RGB; an alpha channel is dropped
// (not blended over a background). Readable: JPEG, PNG, BMP, GIF (first
// frame), TGA, PSD, HDR, PIC, PNM, up to kMaxImagePixels.
Result<RgbImage> load_image(const std::string& path);
Result<RgbImage> decode_image(const uint8_t* bytes, size_t size, const std::string& source);
// Format from the extension: .png, .jpg/.jpeg (quality 95), .bmp, .tga.
// Written to a temporary file and renamed into place.
Status save_image(const std::string& path, const RgbImage& image);

// (1,3,H,W) in [0,1] <-> RgbImage (rounded, clamped).
Tensor image_to_tensor(const RgbImage& image);
Result<RgbImage> tensor_to_image(const Tensor& rgb);

// The largest centered part of `image` with the aspect width:height (both
// > 0), so a later resize does not stretch the picture.
RgbImage center_crop_to_aspect(const RgbImage& image, int width, int height);

// Resamples to width x height (stb_image_resize, sRGB-aware, good filters for
// both shrinking and enlarging).
Result<RgbImage> resize_image(const RgbImage& image, int width, int height);

}  // namespace convlab
