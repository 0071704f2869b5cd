// Every GPU op against the CPU reference on many shapes: odd sizes,
// asymmetric padding, dilation, stride, output_padding, 1x1 and 7x7 kernels,
// one and many channels, batch > 1. Fixed seeds: a failure reproduces, and
// prints all its parameters.
#include <doctest/doctest.h>

#include <random>
#include <sstream>
#include <vector>

#include "core/color/lab.h"
#include "core/ops/reference.h"
#include "gpu_fixture.h"
#include "test_support.h"

using namespace convlab;
using convlab::testing::check_close;
using convlab::testing::gpu_ops;

namespace {

constexpr float kOpTolerance = 1e-4f;

Tensor random_tensor(const Shape& shape, std::mt19937& rng, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t(shape);
  for (auto& v : t.values()) v = dist(rng);
  return t;
}

gpu::GpuTensor up(const Tensor& t) {
  auto g = gpu::GpuTensor::upload(t);
  REQUIRE_MESSAGE(g.ok(), (g.ok() ? "" : g.message()));
  return std::move(g).value();
}

Tensor down(const gpu::GpuTensor& g) {
  auto t = g.download();
  REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.message()));
  return std::move(t).value();
}

struct ConvCase {
  int n, c, h, w, o, kh, kw;
  Conv2dParams params;
  bool bias;
};

// The case's parameters, printed when it fails (a stream: GCC 12 warns
// falsely on long chains of std::string operator+).
std::string describe(const ConvCase& k) {
  const auto& p = k.params;
  std::ostringstream out;
  out << "N" << k.n << " C" << k.c << " " << k.h << "x" << k.w << " O" << k.o << " k" << k.kh << "x" << k.kw
      << " s" << p.stride_h << "," << p.stride_w << " pad(t" << p.padding.top << " b" << p.padding.bottom
      << " l" << p.padding.left << " r" << p.padding.right << ") d" << p.dilation_h << "," << p.dilation_w
      << (k.bias ? " bias" : " no-bias");
  return out.str();
}

std::vector<ConvCase> conv_cases() {
  std::vector<ConvCase> cases = {
      {1, 1, 5, 5, 1, 3, 3, {1, 1, {0, 0, 0, 0}, 1, 1}, false},
      {1, 11, 32, 32, 32, 4, 4, {2, 2, {1, 1, 1, 1}, 1, 1}, true},  // ECNN conv1
      {1, 256, 4, 4, 256, 4, 4, {1, 1, {3, 3, 3, 3}, 2, 2}, true},  // ECNN dilat1
      {2, 3, 13, 11, 5, 7, 7, {1, 1, {3, 2, 1, 4}, 1, 1}, true},    // 7x7, asymmetric padding
      {3, 7, 11, 13, 9, 1, 1, {1, 1, {0, 0, 0, 0}, 1, 1}, true},    // 1x1
      {1, 5, 17, 9, 70, 3, 2, {3, 2, {2, 0, 1, 1}, 2, 3}, true},    // stride 3, dilation 3, O > 64
      {2, 2, 7, 7, 3, 3, 3, {2, 3, {1, 1, 0, 2}, 3, 2}, false},
      {1, 33, 9, 10, 17, 2, 4, {1, 2, {0, 1, 2, 1}, 1, 1}, true},
      {1, 1, 1, 1, 1, 1, 1, {1, 1, {0, 0, 0, 0}, 1, 1}, true},  // 1x1 input
      {1, 2, 1, 1, 4, 3, 3, {1, 1, {1, 1, 1, 1}, 1, 1}, true},  // all but one tap on padding
  };
  std::mt19937 rng(1234);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  while (cases.size() < 40) {
    ConvCase k{
        pick(1, 2),
        pick(1, 12),
        pick(1, 19),
        pick(1, 19),
        pick(1, 40),
        pick(1, 7),
        pick(1, 7),
        {pick(1, 3), pick(1, 3), {pick(0, 3), pick(0, 3), pick(0, 3), pick(0, 3)}, pick(1, 3), pick(1, 3)},
        pick(0, 1) == 1};
    if (conv2d_output_size({k.h, k.w}, {k.kh, k.kw}, k.params).ok()) cases.push_back(k);
  }
  return cases;
}

}  // namespace

TEST_CASE("gpu conv2d matches the CPU reference") {
  auto& ops = gpu_ops();
  std::mt19937 rng(7);
  for (const ConvCase& k : conv_cases()) {
    CAPTURE(describe(k));
    Tensor input = random_tensor({k.n, k.c, k.h, k.w}, rng);
    Tensor weight = random_tensor({k.o, k.c, k.kh, k.kw}, rng);
    Tensor bias = random_tensor({k.o}, rng);
    auto expected = reference::conv2d(input, weight, k.bias ? &bias : nullptr, k.params);
    REQUIRE_MESSAGE(expected.ok(), (expected.ok() ? "" : expected.message()));
    auto g_in = up(input), g_w = up(weight), g_b = up(bias);
    auto got = ops.conv2d(g_in, g_w, k.bias ? &g_b : nullptr, k.params);
    REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.message()));
    check_close(down(*got), *expected, kOpTolerance, describe(k));
  }
}

TEST_CASE("gpu conv2d epilogue (scale, shift, relu) and channel-offset output") {
  auto& ops = gpu_ops();
  std::mt19937 rng(8);
  const Conv2dParams params{2, 2, {1, 1, 1, 1}, 1, 1};
  Tensor input = random_tensor({2, 6, 9, 8}, rng), weight = random_tensor({5, 6, 4, 4}, rng);
  Tensor bias = random_tensor({5}, rng), scale = random_tensor({5}, rng, 0.5f, 2.0f),
         shift = random_tensor({5}, rng);
  auto conv = reference::conv2d(input, weight, &bias, params);
  REQUIRE(conv.ok());
  Tensor expected = *conv;
  for (int64_t n = 0; n < expected.n(); ++n)
    for (int64_t o = 0; o < expected.c(); ++o)
      for (int64_t y = 0; y < expected.h(); ++y)
        for (int64_t x = 0; x < expected.w(); ++x) {
          float& v = expected.at(n, o, y, x);
          v = std::max(v * scale[o] + shift[o], 0.0f);
        }
  // Output into channels [2, 7) of a 9-channel tensor whose other channels hold a guard value.
  Tensor joined({2, 9, expected.h(), expected.w()}, 42.0f);
  auto g_joined = up(joined);
  auto g_in = up(input), g_w = up(weight), g_b = up(bias), g_s = up(scale), g_t = up(shift);
  auto status = ops.conv2d(g_in, g_w, &g_b, params, {&g_s, &g_t, true}, {&g_joined, 2});
  REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.message()));
  Tensor got = down(g_joined);
  Tensor slice({2, 5, expected.h(), expected.w()});
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 9; ++c)
      for (int64_t y = 0; y < expected.h(); ++y)
        for (int64_t x = 0; x < expected.w(); ++x) {
          if (c >= 2 && c < 7)
            slice.at(n, c - 2, y, x) = got.at(n, c, y, x);
          else
            REQUIRE(got.at(n, c, y, x) == 42.0f);  // guard channels untouched
        }
  check_close(slice, expected, kOpTolerance, "epilogue into slot");
}

TEST_CASE("gpu conv2d rejects bad shapes with a message") {
  auto& ops = gpu_ops();
  auto input = up(Tensor({1, 3, 4, 4})), weight = up(Tensor({2, 4, 3, 3})), big = up(Tensor({2, 3, 7, 7}));
  auto wrong_channels = ops.conv2d(input, weight, nullptr, {});
  REQUIRE_FALSE(wrong_channels.ok());
  CHECK(wrong_channels.message().find("channels") != std::string::npos);
  auto too_big = ops.conv2d(input, big, nullptr, {});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.message().find("conv2d") != std::string::npos);
}

// Grouped convs as the fused GPU runner dispatches them: bias, scale, shift
// and ReLU per output channel, written into a slot between guard channels.
TEST_CASE("gpu grouped convs: epilogue into a channel slot") {
  auto& ops = gpu_ops();
  std::mt19937 rng(9);
  struct GroupedCase {
    const char* what;
    bool transposed;
    int c, o, groups, k;
  };
  for (const GroupedCase& g :
       {GroupedCase{"depthwise 3x3", false, 6, 6, 6, 3},
        GroupedCase{"depthwise, multiplier 2", false, 3, 6, 3, 3}, GroupedCase{"2 groups", false, 4, 6, 2, 3},
        GroupedCase{"transposed, 2 groups", true, 4, 6, 2, 4},
        GroupedCase{"transposed depthwise", true, 5, 5, 5, 3}}) {
    CAPTURE(g.what);
    const Conv2dParams params{2, 1, {1, 0, 1, 2}, 1, 2, g.groups};
    const ConvTranspose2dParams tparams{2, 2, 1, 1, 1, 0, 1, 1, g.groups};
    Tensor input = random_tensor({2, g.c, 9, 8}, rng);
    Tensor weight = g.transposed ? random_tensor({g.c, g.o / g.groups, g.k, g.k}, rng)
                                 : random_tensor({g.o, g.c / g.groups, g.k, g.k}, rng);
    Tensor bias = random_tensor({g.o}, rng), scale = random_tensor({g.o}, rng, 0.5f, 2.0f),
           shift = random_tensor({g.o}, rng);
    auto conv = g.transposed ? reference::conv_transpose2d(input, weight, &bias, tparams)
                             : reference::conv2d(input, weight, &bias, params);
    REQUIRE_MESSAGE(conv.ok(), (conv.ok() ? "" : conv.message()));
    Tensor expected = *conv;
    for (int64_t n = 0; n < expected.n(); ++n)
      for (int64_t o = 0; o < expected.c(); ++o)
        for (int64_t y = 0; y < expected.h(); ++y)
          for (int64_t x = 0; x < expected.w(); ++x) {
            float& v = expected.at(n, o, y, x);
            v = std::max(v * scale[o] + shift[o], 0.0f);
          }
    // Channels [3, 3 + O) of a tensor with 2 guard channels after them.
    Tensor joined({2, g.o + 5, expected.h(), expected.w()}, 42.0f);
    auto g_joined = up(joined);
    auto g_in = up(input), g_w = up(weight), g_b = up(bias), g_s = up(scale), g_t = up(shift);
    const gpu::GpuEpilogue epilogue{&g_s, &g_t, true};
    auto status = g.transposed ? ops.conv_transpose2d(g_in, g_w, &g_b, tparams, epilogue, {&g_joined, 3})
                               : ops.conv2d(g_in, g_w, &g_b, params, epilogue, {&g_joined, 3});
    REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.message()));
    Tensor got = down(g_joined);
    Tensor slice(expected.shape());
    int64_t damaged = 0;
    for (int64_t n = 0; n < got.n(); ++n)
      for (int64_t c = 0; c < got.c(); ++c)
        for (int64_t y = 0; y < got.h(); ++y)
          for (int64_t x = 0; x < got.w(); ++x) {
            if (c >= 3 && c < 3 + g.o)
              slice.at(n, c - 3, y, x) = got.at(n, c, y, x);
            else
              damaged += got.at(n, c, y, x) != 42.0f ? 1 : 0;
          }
    CHECK(damaged == 0);  // guard channels untouched
    check_close(slice, expected, kOpTolerance, g.what);
  }
}

TEST_CASE("gpu grouped convs reject groups that do not divide the channels") {
  auto& ops = gpu_ops();
  auto input = up(Tensor({1, 4, 6, 6}));
  Conv2dParams params;
  params.groups = 2;
  auto odd_filters = ops.conv2d(input, up(Tensor({3, 2, 3, 3})), nullptr, params);
  REQUIRE_FALSE(odd_filters.ok());
  CHECK(odd_filters.message().find("divide") != std::string::npos);
  auto wrong_slice = ops.conv2d(input, up(Tensor({4, 1, 3, 3})), nullptr, params);
  REQUIRE_FALSE(wrong_slice.ok());
  CHECK(wrong_slice.message().find("2 groups") != std::string::npos);
  params.groups = 0;
  CHECK_FALSE(ops.conv2d(input, up(Tensor({4, 4, 3, 3})), nullptr, params).ok());
  ConvTranspose2dParams tparams;
  tparams.groups = 3;
  auto transposed = ops.conv_transpose2d(input, up(Tensor({4, 1, 3, 3})), nullptr, tparams);
  REQUIRE_FALSE(transposed.ok());
  CHECK(transposed.message().find("divide") != std::string::npos);
}

TEST_CASE("gpu conv_transpose2d matches the CPU reference") {
  auto& ops = gpu_ops();
  struct Case {
    int n, c, h, w, o, kh, kw;
    ConvTranspose2dParams p;
    bool bias;
  };
  std::vector<Case> cases = {
      {1, 1, 2, 2, 1, 2, 2, {1, 1, 0, 0, 0, 0, 1, 1}, false},     // the seed's example
      {1, 266, 4, 4, 128, 4, 4, {2, 2, 1, 1, 0, 0, 1, 1}, true},  // ECNN tconv3
      {1, 64, 8, 8, 2, 4, 4, {2, 2, 1, 1, 0, 0, 1, 1}, true},     // ECNN tconv0
      {2, 3, 5, 7, 4, 3, 3, {2, 2, 1, 0, 1, 1, 1, 1}, true},      // output_padding
      {1, 4, 6, 5, 3, 3, 2, {3, 2, 2, 1, 2, 0, 2, 1}, true},      // stride 3, output_padding 2
      {1, 5, 4, 4, 6, 3, 3, {2, 2, 0, 0, 1, 1, 2, 2}, false},     // dilation 2 with stride 2
      {3, 2, 3, 3, 5, 5, 5, {1, 1, 2, 2, 0, 0, 3, 3}, true},      // dilation 3, stride 1
      {1, 7, 1, 1, 2, 7, 7, {1, 1, 0, 0, 0, 0, 1, 1}, true},      // 1x1 input, 7x7 kernel
      {1, 9, 5, 6, 70, 1, 1, {1, 1, 0, 0, 0, 0, 1, 1}, true},     // 1x1 kernel, O > 64
      {2, 6, 7, 3, 4, 4, 3, {3, 3, 1, 2, 1, 2, 2, 2}, true},
  };
  std::mt19937 rng(99);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  while (cases.size() < 50) {  // random settings, kept when PyTorch would accept them
    Case k{pick(1, 2),
           pick(1, 9),
           pick(1, 9),
           pick(1, 9),
           pick(1, 20),
           pick(1, 5),
           pick(1, 5),
           {pick(1, 3), pick(1, 3), pick(0, 3), pick(0, 3), pick(0, 2), pick(0, 2), pick(1, 3), pick(1, 3)},
           pick(0, 1) == 1};
    if (conv_transpose2d_output_size({k.h, k.w}, {k.kh, k.kw}, k.p).ok()) cases.push_back(k);
  }
  for (const Case& k : cases) {
    std::ostringstream described;
    described << "N" << k.n << " C" << k.c << " " << k.h << "x" << k.w << " O" << k.o << " k" << k.kh << "x"
              << k.kw << " s" << k.p.stride_h << "," << k.p.stride_w << " p" << k.p.padding_h << ","
              << k.p.padding_w << " op" << k.p.output_padding_h << "," << k.p.output_padding_w << " d"
              << k.p.dilation_h << "," << k.p.dilation_w;
    const std::string what = described.str();
    CAPTURE(what);
    Tensor input = random_tensor({k.n, k.c, k.h, k.w}, rng);
    Tensor weight = random_tensor({k.c, k.o, k.kh, k.kw}, rng);
    Tensor bias = random_tensor({k.o}, rng);
    auto expected = reference::conv_transpose2d(input, weight, k.bias ? &bias : nullptr, k.p);
    REQUIRE_MESSAGE(expected.ok(), (expected.ok() ? "" : expected.message()));
    auto g_in = up(input), g_w = up(weight), g_b = up(bias);
    auto got = ops.conv_transpose2d(g_in, g_w, k.bias ? &g_b : nullptr, k.p);
    REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.message()));
    check_close(down(*got), *expected, kOpTolerance, what);
  }
}

TEST_CASE("gpu batch norm, train and eval, matches the CPU reference") {
  auto& ops = gpu_ops();
  std::mt19937 rng(5);
  for (bool training : {false, true}) {
    for (Shape shape : {Shape{4, 3, 5, 7}, Shape{1, 8, 16, 16}, Shape{16, 2, 1, 1}, Shape{2, 5, 33, 9}}) {
      CAPTURE(training);
      CAPTURE(shape_to_string(shape));
      const int64_t c = shape[1];
      Tensor input = random_tensor(shape, rng, -3.0f, 5.0f);
      Tensor gamma = random_tensor({c}, rng, 0.5f, 1.5f), beta = random_tensor({c}, rng);
      Tensor mean_cpu = random_tensor({c}, rng), var_cpu = random_tensor({c}, rng, 0.5f, 2.0f);
      Tensor mean_gpu = mean_cpu, var_gpu = var_cpu;
      reference::BatchNormParams params{training, 0.1f, 1e-5f};
      auto expected = reference::batch_norm2d(input, gamma, beta, mean_cpu, var_cpu, params);
      REQUIRE(expected.ok());
      auto g_in = up(input);
      auto got = ops.batch_norm2d(g_in, gamma, beta, mean_gpu, var_gpu, params);
      REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.message()));
      check_close(down(*got), *expected, kOpTolerance, "batch norm output");
      check_close(mean_gpu, mean_cpu, kOpTolerance, "running_mean");
      check_close(var_gpu, var_cpu, kOpTolerance, "running_var");
    }
  }
}

TEST_CASE("gpu relu, concat, embed, upsample match the CPU reference") {
  auto& ops = gpu_ops();
  std::mt19937 rng(11);
  Tensor a = random_tensor({2, 3, 5, 4}, rng), b = random_tensor({2, 1, 5, 4}, rng),
         c = random_tensor({2, 6, 5, 4}, rng);
  auto ga = up(a), gb = up(b), gc = up(c);

  auto relu = ops.relu(ga);
  REQUIRE(relu.ok());
  check_close(down(*relu), reference::relu(a), 0.0f, "relu is exact");

  const Tensor* cpu_inputs[] = {&a, &b, &c};
  const gpu::GpuTensor* gpu_inputs[] = {&ga, &gb, &gc};
  auto cat_cpu = reference::concat_channels(cpu_inputs);
  auto cat_gpu = ops.concat_channels(gpu_inputs);
  REQUIRE(cat_cpu.ok());
  REQUIRE(cat_gpu.ok());
  check_close(down(*cat_gpu), *cat_cpu, 0.0f, "concat is exact");

  Tensor table = random_tensor({8, 10}, rng);
  const std::vector<int64_t> categories = {3, 7};
  auto embed_cpu = reference::embed_broadcast(table, categories, 6, 5);
  REQUIRE(embed_cpu.ok());
  auto g_table = up(table);
  auto g_cat = gpu::GpuTensor::upload_ints(categories);
  REQUIRE(g_cat.ok());
  auto embed_out = gpu::GpuTensor::allocate({2, 10, 6, 5});
  REQUIRE(embed_out.ok());
  REQUIRE(ops.embed_broadcast(g_table, *g_cat, {&*embed_out, 0}).ok());
  check_close(down(*embed_out), *embed_cpu, 0.0f, "embed is exact");

  for (auto [oh, ow] : {std::pair<int64_t, int64_t>{10, 8}, {13, 7}, {3, 2}, {5, 4}, {64, 1}}) {
    CAPTURE(oh);
    CAPTURE(ow);
    auto up_cpu = reference::upsample_bilinear(a, oh, ow);
    auto up_gpu = ops.upsample_bilinear(ga, oh, ow);
    REQUIRE(up_cpu.ok());
    REQUIRE(up_gpu.ok());
    check_close(down(*up_gpu), *up_cpu, kOpTolerance, "upsample");
  }
}

TEST_CASE("gpu rgb<->lab matches the CPU implementation") {
  auto& ops = gpu_ops();
  std::mt19937 rng(3);
  Tensor rgb = random_tensor({2, 3, 7, 9}, rng, 0.0f, 1.0f);
  rgb[0] = 0.0f, rgb[1] = 1.0f, rgb[2] = 0.002f;  // both branches of the sRGB curve
  auto lab_cpu = rgb_to_lab(rgb);
  REQUIRE(lab_cpu.ok());
  auto g_rgb = up(rgb);
  auto lab_gpu = ops.rgb_to_lab(g_rgb);
  REQUIRE(lab_gpu.ok());
  check_close(down(*lab_gpu), *lab_cpu, kOpTolerance, "rgb_to_lab");

  // Lab values including out-of-gamut ones that clip.
  Tensor lab = random_tensor({1, 3, 6, 6}, rng, -100.0f, 100.0f);
  for (int64_t i = 0; i < 36; ++i) lab[i] = std::abs(lab[i]);  // L in [0, 100]
  auto rgb_cpu = lab_to_rgb(lab);
  REQUIRE(rgb_cpu.ok());
  auto g_lab = up(lab);
  auto rgb_gpu = ops.lab_to_rgb(g_lab);
  REQUIRE(rgb_gpu.ok());
  check_close(down(*rgb_gpu), *rgb_cpu, kOpTolerance, "lab_to_rgb");
}

TEST_CASE("shader compile errors name the file and line") {
  CHECK(gpu::annotate_compile_log("0:12(5): error: syntax error, unexpected '}'", "conv2d.comp") ==
        "conv2d.comp:12:5: error: syntax error, unexpected '}'\n");
  auto text = gpu::with_defines("#version 430\nvoid main() {}\n", {{"TM", "4"}}, "x.comp");
  REQUIRE(text.ok());
  CHECK(*text == "#version 430\n#define TM 4\n#line 2\nvoid main() {}\n");
  // A broken shader from a folder reports its own file and line.
  auto& fixture = convlab::testing::gpu_fixture();
  REQUIRE(fixture.ops);
  const std::string dir = std::string(CONVLAB_TEST_DATA_DIR) + "/broken_shaders";
  gpu::ProgramCache from_folder(dir);
  auto program = from_folder.get("relu.comp");
  REQUIRE_FALSE(program.ok());
  CHECK(program.message().find("relu.comp:9") != std::string::npos);
  auto missing = from_folder.get("conv2d.comp");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("cannot read") != std::string::npos);
}
