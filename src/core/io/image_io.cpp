// Image files through stb. Decoding always asks stb for 3 channels: gray
// images are replicated to RGB, and for RGBA / gray+alpha the alpha channel
// is simply dropped (not blended over a background), because the colorizer
// only sees colour. The size is checked with stbi_info before decoding, so a
// file that claims to be enormous is refused before any memory is spent.
#include "core/io/image_io.h"

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <iterator>

#include "core/base/i18n.h"
#include "core/io/safetensors.h"  // read_file_bytes, write_file_atomically

namespace convlab {

namespace {

constexpr const char* kReadableFormats =
    tr_noop("JPEG, PNG, BMP, GIF (first frame), TGA, PSD, HDR, PIC, PNM");
constexpr const char* kWritableExtensions = tr_noop(".png, .jpg, .jpeg, .bmp or .tga");
constexpr int kJpegQuality = 95;
constexpr int64_t kMaxPixelsPerFileByte = 16384;  // twice the densest format (see decode_image)

std::string stb_reason() {
  const char* reason = stbi_failure_reason();
  return reason ? reason : "unknown reason";
}

Status check_size(int64_t width, int64_t height, const std::string& what) {
  if (width <= 0 || height <= 0) {
    return Error{format(tr("%s: image size %lldx%lld has a zero dimension"), what.c_str(),
                        static_cast<long long>(width), static_cast<long long>(height))};
  }
  // Each side first: a PNG header can claim 4294967295 x 4294967295, whose
  // product overflows (found by fuzz/fuzz_image).
  if (width > kMaxImagePixels || height > kMaxImagePixels || width * height > kMaxImagePixels) {
    return Error{format(
        tr("%s: image is %lldx%lld = %lld pixels; the limit is %lld pixels (%lld megapixels)"), what.c_str(),
        static_cast<long long>(width), static_cast<long long>(height),
        static_cast<long long>(std::min<int64_t>(width, kMaxImagePixels + 1) *
                               std::min<int64_t>(height, kMaxImagePixels + 1)),
        static_cast<long long>(kMaxImagePixels), static_cast<long long>(kMaxImagePixels / (1024 * 1024)))};
  }
  return {};
}

Status check_image(const RgbImage& image, const std::string& what) {
  CONVLAB_TRY(check_size(image.width, image.height, what));
  const size_t expected = static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3;
  if (image.pixels.size() != expected) {
    return make_error(what, ": image ", image.width, "x", image.height, " has ", image.pixels.size(),
                      " bytes of pixels; expected width*height*3 = ", expected);
  }
  return {};
}

std::string lower_extension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// stb_image_write hands the encoded file over in pieces through this callback.
void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

Result<std::vector<uint8_t>> encode(const std::string& path, const RgbImage& image) {
  const std::string ext = lower_extension(path);
  std::vector<uint8_t> out;
  const int w = image.width;
  const int h = image.height;
  const uint8_t* px = image.pixels.data();
  int ok = 0;
  if (ext == ".png") {
    ok = stbi_write_png_to_func(append_bytes, &out, w, h, 3, px, w * 3);
  } else if (ext == ".jpg" || ext == ".jpeg") {
    ok = stbi_write_jpg_to_func(append_bytes, &out, w, h, 3, px, kJpegQuality);
  } else if (ext == ".bmp") {
    ok = stbi_write_bmp_to_func(append_bytes, &out, w, h, 3, px);
  } else if (ext == ".tga") {
    ok = stbi_write_tga_to_func(append_bytes, &out, w, h, 3, px);
  } else {
    return Error{format(tr("%s: cannot save an image with extension '%s'; use %s"), path.c_str(),
                        ext.empty() ? tr("(none)") : ext.c_str(), tr(kWritableExtensions))};
  }
  if (!ok)
    return Error{format(tr("%s: stb_image_write could not encode the %dx%d image"), path.c_str(), w, h)};
  return out;
}

// Width and height from a PNG's IHDR chunk, when `bytes` starts like a PNG.
// stb_image refuses PNGs whose decoded size passes 2^30 bytes with a bare
// "unknown image type"; reading the size here lets the error give it.
bool png_size(const uint8_t* bytes, size_t size, int64_t* width, int64_t* height) {
  static const uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                       0,    0,   0,   13,  'I',  'H',  'D',  'R'};
  if (size < 24 || !std::equal(std::begin(kSignature), std::end(kSignature), bytes)) return false;
  auto be32 = [&](size_t at) {
    return (int64_t{bytes[at]} << 24) | (int64_t{bytes[at + 1]} << 16) | (int64_t{bytes[at + 2]} << 8) |
           bytes[at + 3];
  };
  *width = be32(16);
  *height = be32(20);
  return true;
}

uint8_t to_byte(float v) {
  if (!(v > 0.0f)) return 0;  // also maps NaN to 0
  if (v >= 1.0f) return 255;
  return static_cast<uint8_t>(std::lround(v * 255.0f));
}

}  // namespace

Result<RgbImage> load_image(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes.ok()) return bytes.error();
  return decode_image(bytes->data(), bytes->size(), path);
}

namespace {

// Debian 12's stb_image builds a JPEG Huffman table into a 257-entry array
// without checking that the table's 16 code counts add up to at most 256
// (the JPEG limit); a corrupt file writes past it (found by fuzz/fuzz_image).
// The file's DHT segments are checked here first. True when every table
// holds at most 256 codes (or the file is not a JPEG).
bool jpeg_huffman_tables_fit(const uint8_t* bytes, size_t size) {
  // Start of image: 0xFF (any number of fill bytes, as stb allows), 0xD8.
  size_t at = 0;
  while (at < size && bytes[at] == 0xFF) ++at;
  if (at == 0 || at >= size || bytes[at] != 0xD8) return true;  // not a JPEG
  ++at;
  // As stb reads: past the end, every byte is 0.
  const auto at_or_zero = [&](size_t i) -> size_t { return i < size ? bytes[i] : 0; };
  while (at < size) {
    if (bytes[at] != 0xFF) {  // stb skips to the next 0xFF, and so does this walk
      ++at;
      continue;
    }
    while (at < size && bytes[at] == 0xFF) ++at;  // fill bytes
    if (at >= size) return true;
    const uint8_t marker = bytes[at++];
    if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9) return true;  // end of image
    const size_t length = at_or_zero(at) << 8 | at_or_zero(at + 1);
    const size_t end = at + std::max<size_t>(length, 2);  // may run past the file, as stb would read
    if (marker == 0xC4) {  // DHT: tables of a class/id byte, 16 code counts, then the codes
      size_t table = at + 2;
      while (table < end) {
        size_t codes = 0;
        for (size_t i = 0; i < 16; ++i) codes += at_or_zero(table + 1 + i);
        if (codes > 256) return false;
        table += 17 + codes;
      }
    }
    at = end;
  }
  return true;
}

}  // namespace

Result<RgbImage> decode_image(const uint8_t* bytes, size_t size, const std::string& source) {
  if (size == 0) {
    return Error{format(tr("%s: the file is empty; expected an image in one of %s"), source.c_str(),
                        tr(kReadableFormats))};
  }
  if (size > static_cast<size_t>(INT_MAX)) {
    return Error{format(tr("%s: the file is %zu bytes; images up to %d bytes can be read"), source.c_str(),
                        size, INT_MAX)};
  }
  if (!jpeg_huffman_tables_fit(bytes, size))
    return Error{format(tr("%s: a JPEG Huffman table holds more than 256 codes: the file is corrupt"),
                        source.c_str())};
  const int length = static_cast<int>(size);
  int width = 0;
  int height = 0;
  int channels = 0;
  int64_t png_width = 0;
  int64_t png_height = 0;
  if (png_size(bytes, size, &png_width, &png_height)) CONVLAB_TRY(check_size(png_width, png_height, source));
  if (!stbi_info_from_memory(bytes, length, &width, &height, &channels)) {
    return Error{format(tr("%s: not a readable image (stb_image: %s); supported formats are %s"),
                        source.c_str(), stb_reason().c_str(), tr(kReadableFormats))};
  }
  CONVLAB_TRY(check_size(width, height, source));
  // No format stb reads packs more than about 8,300 pixels into a byte
  // (PNG: deflate's 1032:1 with eight 1-bit pixels a byte; GIF's LZW and
  // JPEG's one bit per 8x8 block stay far below). A header that claims more
  // is a truncated or forged file: refused before stb fills megabytes from
  // nothing (a 46-byte TGA claiming 11843x5632, found by fuzz/fuzz_image).
  if (static_cast<int64_t>(width) * height > kMaxPixelsPerFileByte * static_cast<int64_t>(size)) {
    return Error{
        format(tr("%s: the header claims %dx%d pixels, more than a %lld-byte file can hold: the file "
                  "is truncated or corrupt"),
               source.c_str(), width, height, static_cast<long long>(size))};
  }
  uint8_t* pixels = stbi_load_from_memory(bytes, length, &width, &height, &channels, 3);
  if (!pixels) {
    return Error{
        format(tr("%s: cannot decode the %dx%d image (stb_image: %s); the file is truncated or corrupt, "
                  "or uses a variant stb_image does not support (%s)"),
               source.c_str(), width, height, stb_reason().c_str(), tr(kReadableFormats))};
  }
  RgbImage image;
  image.width = width;
  image.height = height;
  image.pixels.assign(pixels, pixels + static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
  stbi_image_free(pixels);
  return image;
}

Status save_image(const std::string& path, const RgbImage& image) {
  CONVLAB_TRY(check_image(image, path));
  auto encoded = encode(path, image);
  if (!encoded.ok()) return encoded.error();
  return write_file_atomically(path, *encoded);
}

Tensor image_to_tensor(const RgbImage& image) {
  Tensor t(Shape{1, 3, image.height, image.width});
  const int64_t plane = static_cast<int64_t>(image.width) * image.height;
  if (image.pixels.size() != static_cast<size_t>(plane) * 3) return t;  // malformed image: zeros
  for (int64_t i = 0; i < plane; ++i) {
    for (int64_t c = 0; c < 3; ++c)
      t[c * plane + i] = static_cast<float>(image.pixels[static_cast<size_t>(i * 3 + c)]) / 255.0f;
  }
  return t;
}

Result<RgbImage> tensor_to_image(const Tensor& rgb) {
  if (rgb.rank() != 4 || rgb.dim(0) != 1 || rgb.dim(1) != 3) {
    return make_error("image tensor has shape ", shape_to_string(rgb.shape()), "; expected (1,3,H,W) RGB");
  }
  CONVLAB_TRY(check_size(rgb.dim(3), rgb.dim(2), "image tensor"));
  RgbImage image;
  image.width = static_cast<int>(rgb.dim(3));
  image.height = static_cast<int>(rgb.dim(2));
  const int64_t plane = rgb.dim(2) * rgb.dim(3);
  image.pixels.resize(static_cast<size_t>(plane) * 3);
  for (int64_t i = 0; i < plane; ++i) {
    for (int64_t c = 0; c < 3; ++c)
      image.pixels[static_cast<size_t>(i * 3 + c)] = to_byte(rgb[c * plane + i]);
  }
  return image;
}

Result<RgbImage> resize_image(const RgbImage& image, int width, int height) {
  CONVLAB_TRY(check_image(image, "resize input"));
  CONVLAB_TRY(check_size(width, height, "resize target"));
  if (width == image.width && height == image.height) return image;
  RgbImage out;
  out.width = width;
  out.height = height;
  out.pixels.resize(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
  // The sRGB variant filters in linear light, so edges do not darken.
  if (!stbir_resize_uint8_srgb(image.pixels.data(), image.width, image.height, 0, out.pixels.data(), width,
                               height, 0, 3, STBIR_ALPHA_CHANNEL_NONE, 0)) {
    return make_error("resize from ", image.width, "x", image.height, " to ", width, "x", height,
                      " failed (stb_image_resize could not allocate its buffers)");
  }
  return out;
}

RgbImage center_crop_to_aspect(const RgbImage& image, int width, int height) {
  if (width <= 0 || height <= 0 || image.width <= 0 || image.height <= 0) return image;
  int crop_w = image.width;
  int crop_h = static_cast<int>(static_cast<int64_t>(image.width) * height / width);
  if (crop_h > image.height) {
    crop_h = image.height;
    crop_w = static_cast<int>(static_cast<int64_t>(image.height) * width / height);
  }
  crop_w = std::clamp(crop_w, 1, image.width);
  crop_h = std::clamp(crop_h, 1, image.height);
  const int x0 = (image.width - crop_w) / 2, y0 = (image.height - crop_h) / 2;
  RgbImage crop;
  crop.width = crop_w;
  crop.height = crop_h;
  crop.pixels.resize(static_cast<size_t>(crop_w) * static_cast<size_t>(crop_h) * 3);
  const size_t row_bytes = static_cast<size_t>(crop_w) * 3;
  for (int y = 0; y < crop_h; ++y)
    std::copy_n(
        image.pixels.data() +
            (static_cast<size_t>(y0 + y) * static_cast<size_t>(image.width) + static_cast<size_t>(x0)) * 3,
        row_bytes, crop.pixels.data() + static_cast<size_t>(y) * row_bytes);
  return crop;
}

}  // namespace convlab
