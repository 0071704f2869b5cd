// The whole ECNN (advanced and basic, random weights) on the GPU against the
// CPU reference runner: fused inference, and every layer in keep_all mode.
#include <doctest/doctest.h>

#include <random>

#include "core/model/runner.h"
#include "gpu/gpu_colorize.h"
#include "gpu/gpu_runner.h"
#include "gpu_fixture.h"
#include "test_support.h"

using namespace convlab;

namespace {

constexpr float kModelTolerance = 1e-3f;

Tensor random_gray(int64_t n, int64_t h, int64_t w, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> lightness(0.0f, 100.0f);
  Tensor t({n, 1, h, w});
  for (auto& v : t.values()) v = lightness(rng);
  return t;
}

}  // namespace

TEST_CASE("ECNN on the GPU matches the CPU reference, fused and layer by layer") {
  auto& ops = convlab::testing::gpu_ops();
  for (const char* arch : {"advanced", "basic"}) {
    auto graph = Graph::builtin(arch);
    REQUIRE(graph.ok());
    const Model model = random_model(*graph, 42);
    auto gpu_model = gpu::GpuModel::upload(model, ops);
    REQUIRE_MESSAGE(gpu_model.ok(), (gpu_model.ok() ? "" : gpu_model.message()));
    struct Size {
      int64_t n, h, w;
    };
    for (Size size : {Size{1, 32, 32}, Size{2, 48, 64}, Size{1, 16, 16}}) {
      CAPTURE(arch);
      CAPTURE(size.n);
      CAPTURE(size.h);
      CAPTURE(size.w);
      const Tensor gray = random_gray(size.n, size.h, size.w, 7);
      const std::vector<int64_t> categories =
          size.n == 1 ? std::vector<int64_t>{3} : std::vector<int64_t>{0, 7};
      auto cpu = run_model_cpu(model, gray, categories, CpuPath::Reference, true);
      REQUIRE_MESSAGE(cpu.ok(), (cpu.ok() ? "" : cpu.message()));

      auto fused = (*gpu_model)->run(gray, categories, {false, true});
      REQUIRE_MESSAGE(fused.ok(), (fused.ok() ? "" : fused.message()));
      auto out = fused->values.at(graph->output()).download();
      REQUIRE(out.ok());
      convlab::testing::check_close(*out, cpu->output(*graph), kModelTolerance,
                                    std::string(arch) + " output");
      CHECK(!fused->layer_times.empty());
      CHECK(fused->total_ms >= 0.0);
      // Fused inference keeps only what it must: the output.
      CHECK(fused->values.size() == 1);

      auto layers = (*gpu_model)->run(gray, categories, {true, false});
      REQUIRE_MESSAGE(layers.ok(), (layers.ok() ? "" : layers.message()));
      for (const auto& name : cpu->order) {
        CAPTURE(name);
        REQUIRE(layers->values.count(name) == 1);
        auto value = layers->values.at(name).download();
        REQUIRE(value.ok());
        convlab::testing::check_close(*value, cpu->values.at(name), kModelTolerance, "layer " + name);
      }
    }
  }
}

TEST_CASE("the GPU runner refuses bad inputs with the CPU runner's messages") {
  auto& ops = convlab::testing::gpu_ops();
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  auto gpu_model = gpu::GpuModel::upload(random_model(*graph, 1), ops);
  REQUIRE(gpu_model.ok());
  const std::vector<int64_t> one = {1};
  auto bad_size = (*gpu_model)->run(Tensor({1, 1, 10, 16}), one);  // basic needs multiples of 4
  REQUIRE_FALSE(bad_size.ok());
  CHECK(bad_size.message().find("multiples of 4") != std::string::npos);
  const std::vector<int64_t> out_of_range = {9};
  auto bad_category = (*gpu_model)->run(Tensor({1, 1, 16, 16}), out_of_range);
  REQUIRE_FALSE(bad_category.ok());
  CHECK(bad_category.message().find("category") != std::string::npos);
}

TEST_CASE("colorizing on the GPU gives the CPU's image") {
  auto& ops = convlab::testing::gpu_ops();
  auto graph = Graph::builtin("advanced");
  REQUIRE(graph.ok());
  const Model model = random_model(*graph, 5);
  auto gpu_model = gpu::GpuModel::upload(model, ops);
  REQUIRE(gpu_model.ok());
  // A 45x30 gradient photo: not a multiple of 16, so resize and upsampling both run.
  RgbImage image;
  image.width = 45, image.height = 30;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      for (int c = 0; c < 3; ++c)
        image.pixels.push_back(static_cast<uint8_t>((x * 5 + y * 3 + c * 70) % 256));
  ColorizeOptions options;
  options.category = 2;
  options.working_size = 32;
  auto cpu = colorize_cpu(model, image, options);
  REQUIRE_MESSAGE(cpu.ok(), (cpu.ok() ? "" : cpu.message()));
  gpu::GpuColorizeTimes times;
  auto gpu = gpu::colorize_gpu(**gpu_model, ops, image, options, &times);
  REQUIRE_MESSAGE(gpu.ok(), (gpu.ok() ? "" : gpu.message()));
  REQUIRE(gpu->width == image.width);
  REQUIRE(gpu->height == image.height);
  int worst = 0;
  for (size_t i = 0; i < cpu->pixels.size(); ++i)
    worst = std::max(worst, std::abs(int(cpu->pixels[i]) - int(gpu->pixels[i])));
  CHECK_MESSAGE(worst <= 1, "largest 8-bit difference " << worst);  // float rounding flips at most one level
}
