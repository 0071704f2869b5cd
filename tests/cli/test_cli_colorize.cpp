// `convlab colorize`: the pipeline with random weights on a PNG written
// here, and every way of asking wrongly.
#include <doctest/doctest.h>

#include "cli/run_convlab.h"
#include "core/io/image_io.h"

using namespace convlab::cli_test;

namespace {

// A gray gradient of width x height, saved as PNG.
void write_png(const std::string& path, int width, int height) {
  convlab::RgbImage image;
  image.width = width;
  image.height = height;
  image.pixels.resize(static_cast<size_t>(width * height * 3));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c)
        image.pixels[static_cast<size_t>((y * width + x) * 3 + c)] =
            static_cast<uint8_t>((x * 5 + y * 3) % 256);
  REQUIRE(convlab::save_image(path, image).ok());
}

}  // namespace

TEST_CASE("colorize with --random-weights writes an image of the input's size") {
  TempDir dir;
  write_png(dir.file("gray.png"), 40, 24);
  auto r = run_convlab({"colorize", dir.file("gray.png"), "-o", dir.file("color.png"), "-c", "animals",
                        "--random-weights", "3", "--size", "32"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "meaningless"));
  CHECK(contains(r.out, dir.file("color.png")));
  CHECK(contains(r.out, "ms"));
  auto out = convlab::load_image(dir.file("color.png"));
  REQUIRE(out.ok());
  CHECK(out->width == 40);
  CHECK(out->height == 24);
}

TEST_CASE("colorize on the GPU matches the CPU, and a broken shader falls back to the CPU") {
  TempDir dir;
  write_png(dir.file("gray.png"), 40, 24);
  const std::vector<std::string> common = {
      "colorize", dir.file("gray.png"), "-c", "food", "--random-weights", "3", "--size", "32"};
  auto args_with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  auto cpu = run_convlab(args_with({"-o", dir.file("cpu.png")}));
  auto gpu = run_convlab(args_with({"-o", dir.file("gpu.png"), "--backend", "gpu"}));
  REQUIRE_MESSAGE(cpu.exit_code == 0, cpu.err);
  REQUIRE_MESSAGE(gpu.exit_code == 0, gpu.err);
  CHECK_FALSE(contains(gpu.err, "running on the CPU"));
  auto a = convlab::load_image(dir.file("cpu.png"));
  auto b = convlab::load_image(dir.file("gpu.png"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->pixels.size() == b->pixels.size());
  int worst = 0;
  for (size_t i = 0; i < a->pixels.size(); ++i)
    worst = std::max(worst, std::abs(a->pixels[i] - b->pixels[i]));
  CHECK(worst <= 1);

  // A shader folder whose relu.comp does not compile (and that lacks the others).
  auto broken = run_convlab(args_with({"-o", dir.file("fallback.png"), "--backend", "gpu", "--shader-dir",
                                       std::string(CONVLAB_TEST_DATA_DIR) + "/broken_shaders"}));
  REQUIRE_MESSAGE(broken.exit_code == 0, broken.err);
  CHECK(contains(broken.err, "running on the CPU"));
  CHECK(contains(broken.err, ".comp"));
  CHECK(std::filesystem::exists(dir.file("fallback.png")));
}

TEST_CASE("colorize --outdir writes <stem>_color for each input") {
  TempDir dir;
  write_png(dir.file("a.png"), 20, 20);
  write_png(dir.file("b.bmp"), 16, 30);
  auto r = run_convlab({"colorize", dir.file("a.png"), dir.file("b.bmp"), "--outdir", dir.file("out"), "-c",
                        "2", "--arch", "basic", "--random-weights", "1", "--size", "16"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(dir.path() / "out" / "a_color.png"));
  CHECK(fs::exists(dir.path() / "out" / "b_color.bmp"));
}

TEST_CASE("colorize without any weights found says where it looked and what to do") {
  TempDir dir;
  fs::create_directories(dir.path() / "assets");
  write_png(dir.file("gray.png"), 16, 16);
  auto r = run_convlab({"colorize", dir.file("gray.png"), "-o", dir.file("c.png"), "-c", "food"},
                       {"CONVLAB_ASSETS=" + dir.file("assets")});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "no weights for the advanced model found"));
  CHECK(contains(r.err, dir.file("assets")));
  CHECK(contains(r.err, "--weights"));
  CHECK(contains(r.err, "--random-weights"));
  CHECK_FALSE(fs::exists(dir.file("c.png")));
}

TEST_CASE("colorize errors name the setting or file") {
  TempDir dir;
  write_png(dir.file("gray.png"), 16, 16);
  const std::string in = dir.file("gray.png"), out = dir.file("c.png");

  auto category = run_convlab({"colorize", in, "-o", out, "-c", "dragons", "--random-weights", "1"});
  CHECK(category.exit_code == 2);
  CHECK(contains(category.err, "dragons"));
  CHECK(contains(category.err, "animals"));

  write_bytes(dir.file("broken.png"), "\x89PNG\r\n\x1a\n not really a png");
  auto corrupt = run_convlab(
      {"colorize", dir.file("broken.png"), "-o", out, "-c", "1", "--random-weights", "1", "--size", "16"});
  CHECK(corrupt.exit_code == 1);
  CHECK(contains(corrupt.err, "broken.png"));

  auto missing =
      run_convlab({"colorize", dir.file("nope.png"), "-o", out, "-c", "1", "--random-weights", "1"});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "nope.png"));

  auto two = run_convlab({"colorize", in, in, "-o", out, "-c", "1", "--random-weights", "1"});
  CHECK(two.exit_code == 2);
  CHECK(contains(two.err, "--outdir"));

  auto nowhere = run_convlab({"colorize", in, "-c", "1", "--random-weights", "1"});
  CHECK(nowhere.exit_code == 2);
  CHECK(contains(nowhere.err, "-o"));

  auto tpu = run_convlab({"colorize", in, "-o", out, "-c", "1", "--random-weights", "1", "--backend", "tpu"});
  CHECK(tpu.exit_code == 2);
  CHECK(contains(tpu.err, "valid: cpu, gpu"));

  auto arch = run_convlab({"colorize", in, "-o", out, "-c", "1", "--random-weights", "1", "--arch", "huge"});
  CHECK(arch.exit_code == 2);
  CHECK(contains(arch.err, "advanced"));

  auto ext = run_convlab({"colorize", in, "-o", dir.file("c.gif"), "-c", "1", "--random-weights", "1"});
  CHECK(ext.exit_code == 2);
  CHECK(contains(ext.err, ".png"));

  write_bytes(dir.file("w.safetensors"), "garbage");
  auto weights = run_convlab({"colorize", in, "-o", out, "-c", "1", "--weights", dir.file("w.safetensors")});
  CHECK(weights.exit_code == 1);
  CHECK(contains(weights.err, "w.safetensors"));
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("the shipped weights load by default and give real colour") {
  TempDir dir;
  auto r = run_convlab({"colorize", CONVLAB_SOURCE_DIR "/assets/samples/people_astronaut.jpg", "-o",
                        dir.file("astronaut.png"), "-c", "people", "--size", "128"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "ecnn_advanced.safetensors"));
  auto out = convlab::load_image(dir.file("astronaut.png"));
  REQUIRE(out.ok());
  // Mean chroma: a gray image has |r-g| + |g-b| near 0; trained weights give
  // visible colour (random or untrained ones give noise or gray).
  double chroma = 0;
  for (size_t i = 0; i < out->pixels.size(); i += 3)
    chroma += std::abs(out->pixels[i] - out->pixels[i + 1]) + std::abs(out->pixels[i + 1] - out->pixels[i + 2]);
  chroma /= static_cast<double>(out->pixels.size() / 3);
  CHECK(chroma > 4.0);
}
