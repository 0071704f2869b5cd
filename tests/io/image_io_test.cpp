// Image I/O: round trips per format, channel conversion, every kind of bad
// file (committed in tests/data) giving an Error that names the file, the
// size limit, tensor conversion and resizing.
#include "core/io/image_io.h"

#include <stb_image_write.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/temp_dir.h"
#include "test_support.h"

namespace convlab {
namespace {

using convlab::testing::data_path;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A deterministic image with smooth gradients and some sharp detail.
RgbImage test_image(int width, int height) {
  RgbImage image;
  image.width = width;
  image.height = height;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      image.pixels.push_back(static_cast<uint8_t>(x * 255 / std::max(width - 1, 1)));
      image.pixels.push_back(static_cast<uint8_t>(y * 255 / std::max(height - 1, 1)));
      image.pixels.push_back(static_cast<uint8_t>(((x / 4 + y / 4) % 2) ? 200 : 40));
    }
  }
  return image;
}

double mean_abs_difference(const RgbImage& a, const RgbImage& b) {
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
  return sum / static_cast<double>(a.pixels.size());
}

void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

// Encodes `channels`-channel pixels as PNG in memory with stb_image_write.
std::vector<uint8_t> png_bytes(int width, int height, int channels, const std::vector<uint8_t>& pixels) {
  std::vector<uint8_t> out;
  REQUIRE(
      stbi_write_png_to_func(append_bytes, &out, width, height, channels, pixels.data(), width * channels));
  return out;
}

void expect_load_error(const std::string& file, const std::vector<std::string>& parts) {
  const std::string path = data_path(file);
  auto loaded = load_image(path);
  REQUIRE_FALSE(loaded.ok());
  INFO("message: " << loaded.message());
  CHECK(contains(loaded.message(), path));
  for (const std::string& part : parts) CHECK_MESSAGE(contains(loaded.message(), part), part);
}

TEST_CASE("PNG, BMP and TGA round trip exactly, JPEG closely") {
  testing::TempDir dir;
  const RgbImage image = test_image(37, 23);  // odd sizes catch stride mistakes
  for (const char* name : {"a.png", "b.bmp", "c.tga", "UPPER.PNG"}) {
    const std::string path = dir.file(name);
    REQUIRE(save_image(path, image).ok());
    auto back = load_image(path);
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.message()));
    CHECK(back->width == 37);
    CHECK(back->height == 23);
    CHECK_MESSAGE(back->pixels == image.pixels, name);
  }
  for (const char* name : {"d.jpg", "e.jpeg"}) {
    const std::string path = dir.file(name);
    REQUIRE(save_image(path, image).ok());
    auto back = load_image(path);
    REQUIRE(back.ok());
    CHECK(back->width == 37);
    CHECK(mean_abs_difference(*back, image) < 3.0);
  }
  CHECK(dir.count_entries() == 6);  // no temporary files left
}

TEST_CASE("save_image rejects unknown extensions, bad images and missing directories") {
  testing::TempDir dir;
  const RgbImage image = test_image(4, 4);
  for (const char* name : {"x.gif", "x.webp", "noextension", "dir.png/x"}) {
    Status status = save_image(dir.file(name), image);
    REQUIRE_FALSE(status.ok());
    CHECK(contains(status.message(), ".png, .jpg, .jpeg, .bmp or .tga"));
    CHECK(contains(status.message(), dir.file(name)));
  }
  RgbImage broken = image;
  broken.pixels.pop_back();
  CHECK(contains(save_image(dir.file("b.png"), broken).message(), "expected width*height*3"));
  CHECK(contains(save_image(dir.file("e.png"), RgbImage{}).message(), "zero dimension"));
  const std::string missing = dir.file("missing/dir/out.png");
  Status status = save_image(missing, image);
  REQUIRE_FALSE(status.ok());
  CHECK(contains(status.message(), missing));
  CHECK(contains(status.message(), "No such file or directory"));
  CHECK(dir.count_entries() == 0);
}

TEST_CASE("gray and RGBA images load as RGB (alpha dropped)") {
  const std::vector<uint8_t> gray = {0, 128, 255, 7};
  auto g = decode_image(png_bytes(2, 2, 1, gray).data(), png_bytes(2, 2, 1, gray).size(), "gray.png");
  REQUIRE(g.ok());
  CHECK(g->pixels == std::vector<uint8_t>{0, 0, 0, 128, 128, 128, 255, 255, 255, 7, 7, 7});
  const std::vector<uint8_t> rgba = {10, 20, 30, 0, 40, 50, 60, 255};
  const std::vector<uint8_t> encoded = png_bytes(2, 1, 4, rgba);
  auto c = decode_image(encoded.data(), encoded.size(), "rgba.png");
  REQUIRE(c.ok());
  CHECK(c->pixels == std::vector<uint8_t>{10, 20, 30, 40, 50, 60});
}

TEST_CASE("bad image files give errors naming the file and the supported formats") {
  const std::string formats = "JPEG, PNG, BMP, GIF (first frame), TGA, PSD, HDR, PIC, PNM";
  expect_load_error("empty.png", {"empty", formats});
  expect_load_error("not_an_image.png", {"not a readable image", "stb_image:", formats});
  expect_load_error("garbage.jpg", {"stb_image:", formats});
  expect_load_error("truncated.png", {"cannot decode the 16x16 image", "truncated or corrupt"});
  expect_load_error("does_not_exist.png", {"No such file or directory"});
  auto directory = load_image(CONVLAB_TEST_DATA_DIR);
  REQUIRE_FALSE(directory.ok());
  CHECK(contains(directory.message(), "Is a directory"));
}

TEST_CASE("images over the pixel limit are refused before decoding") {
  expect_load_error("huge.bmp",
                    {"100000x100000", "10000000000 pixels", "the limit is 67108864 pixels (64 megapixels)"});
  // stb_image itself refuses PNGs over 2^30 bytes without saying why; the
  // size is read from the PNG header so the message still gives it.
  expect_load_error("huge.png", {"100000x100000", "the limit is 67108864 pixels"});
  expect_load_error("large.png", {"10000x10000", "100000000 pixels", "the limit is 67108864 pixels"});
}

TEST_CASE("a header claiming more pixels than the file can hold is refused before decoding") {
  // An uncompressed 24-bit TGA header claiming 3000x2000, with no pixel data.
  std::vector<uint8_t> tga = {0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xB8, 0x0B, 0xD0, 0x07, 24, 0};
  auto forged = decode_image(tga.data(), tga.size(), "forged.tga");
  REQUIRE_FALSE(forged.ok());
  CHECK(contains(forged.message(), "forged.tga: the header claims 3000x2000 pixels"));
  CHECK(contains(forged.message(), "truncated or corrupt"));
  // A real file as compressible as they come still loads: a black 2000x2000 PNG.
  testing::TempDir dir;
  RgbImage black;
  black.width = 2000;
  black.height = 2000;
  black.pixels.assign(static_cast<size_t>(2000 * 2000 * 3), 0);
  REQUIRE(save_image(dir.file("black.png"), black).ok());
  auto loaded = load_image(dir.file("black.png"));
  REQUIRE_MESSAGE(loaded.ok(), loaded.message());
  CHECK(loaded->width == 2000);
}

TEST_CASE("image <-> tensor conversion") {
  const RgbImage image = test_image(5, 3);
  const Tensor t = image_to_tensor(image);
  REQUIRE(t.shape() == Shape{1, 3, 3, 5});
  CHECK(t.at(0, 0, 0, 4) == 1.0f);                           // red ramps along x
  CHECK(t.at(0, 1, 2, 0) == 1.0f);                           // green ramps along y
  CHECK(t.at(0, 2, 0, 0) == doctest::Approx(40.0 / 255.0));  // blue checkerboard
  auto back = tensor_to_image(t);
  REQUIRE(back.ok());
  CHECK(back->pixels == image.pixels);

  Tensor odd(Shape{1, 3, 1, 2});
  odd[0] = -0.5f;  // clamped to 0
  odd[1] = 2.0f;   // clamped to 255
  odd[2] = NAN;    // NaN becomes 0
  odd[3] = 0.5f;   // 127.5 rounds to 128
  odd[4] = 1.0f / 255.0f;
  odd[5] = 0.00195f;  // 0.497 rounds to 0
  auto converted = tensor_to_image(odd);
  REQUIRE(converted.ok());
  // Planar (R0 R1, G0 G1, B0 B1) becomes interleaved (R0 G0 B0, R1 G1 B1).
  CHECK(converted->pixels == std::vector<uint8_t>{0, 0, 1, 255, 128, 0});

  for (const Shape& bad : {Shape{3, 4, 4}, Shape{2, 3, 4, 4}, Shape{1, 1, 4, 4}, Shape{1, 3, 0, 4}}) {
    auto r = tensor_to_image(Tensor(bad));
    REQUIRE_FALSE(r.ok());
    CHECK((contains(r.message(), "expected (1,3,H,W)") || contains(r.message(), "zero dimension")));
  }
}

TEST_CASE("resize_image shrinks and enlarges, keeping flat colours flat") {
  RgbImage flat;
  flat.width = 10;
  flat.height = 6;
  for (int i = 0; i < 60; ++i) flat.pixels.insert(flat.pixels.end(), {200, 100, 30});
  for (auto [w, h] : {std::pair{3, 2}, std::pair{25, 17}, std::pair{10, 6}, std::pair{1, 1}}) {
    auto r = resize_image(flat, w, h);
    REQUIRE(r.ok());
    CHECK(r->width == w);
    CHECK(r->height == h);
    REQUIRE(r->pixels.size() == static_cast<size_t>(w * h * 3));
    for (size_t i = 0; i < r->pixels.size(); i += 3) {
      CHECK(std::abs(int(r->pixels[i]) - 200) <= 1);
      CHECK(std::abs(int(r->pixels[i + 1]) - 100) <= 1);
      CHECK(std::abs(int(r->pixels[i + 2]) - 30) <= 1);
    }
  }
  const RgbImage detailed = test_image(64, 48);
  auto half = resize_image(detailed, 32, 24);
  REQUIRE(half.ok());
  auto restored = resize_image(*half, 64, 48);
  REQUIRE(restored.ok());
  CHECK(mean_abs_difference(*restored, detailed) < 40.0);  // close, though the checkerboard blurs
  CHECK(contains(resize_image(flat, 0, 5).message(), "zero dimension"));
  CHECK(contains(resize_image(flat, 100000, 100000).message(), "limit"));
  CHECK(contains(resize_image(RgbImage{}, 5, 5).message(), "zero dimension"));
}

}  // namespace
}  // namespace convlab
