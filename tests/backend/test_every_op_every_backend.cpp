// Every op of op_kind.h on every backend, through the same run_op() call, on
// cases built per op kind. The switch below has no default and is compiled
// with -Werror=switch: a new op cannot be added without cases here, and then
// it runs on the GPU as on the CPU. The reference backend is the truth.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <vector>

#include "core/backend/backend.h"
#include "gpu/gpu_backend.h"
#include "test_support.h"

using namespace convlab;

namespace {

Tensor random_tensor(const Shape& shape, std::mt19937& rng, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t(shape);
  for (auto& v : t.values()) v = dist(rng);
  return t;
}

struct OpCase {
  std::string label;
  OpArguments args;
  Tensor running_mean, running_var;  // batch norm state, copied per backend
};

std::vector<OpCase> cases_for(OpKind kind, std::mt19937& rng) {
  std::vector<OpCase> cases;
  auto add = [&](std::string label, OpArguments args) {
    cases.push_back({std::move(label), std::move(args), {}, {}});
  };
  switch (kind) {
    case OpKind::Conv2d:
      for (auto [c, h, w, o, k, s, d, top, bottom, left, right] :
           std::vector<std::array<int, 11>>{{1, 7, 7, 1, 3, 1, 1, 1, 1, 1, 1},
                                            {3, 13, 11, 4, 7, 2, 1, 3, 0, 2, 1},
                                            {11, 16, 16, 32, 4, 2, 1, 1, 1, 1, 1},
                                            {8, 5, 6, 8, 4, 1, 2, 3, 3, 3, 3},
                                            {5, 9, 9, 2, 1, 3, 1, 0, 0, 0, 0},
                                            {2, 11, 1, 3, 3, 1, 3, 3, 3, 3, 3}}) {
        OpArguments a;
        a.inputs = {random_tensor({2, c, h, w}, rng), random_tensor({o, c, k, k}, rng),
                    random_tensor({o}, rng)};
        a.conv = Conv2dParams{s, s, {top, bottom, left, right}, d, d};
        add("conv2d C" + std::to_string(c) + " " + std::to_string(h) + "x" + std::to_string(w) + " O" +
                std::to_string(o) + " k" + std::to_string(k) + " s" + std::to_string(s) + " d" +
                std::to_string(d),
            std::move(a));
      }
      // Grouped convs: weight (O, C/groups, k, k). Their own generator, so
      // the other cases keep their numbers.
      for (auto [c, h, w, o, groups, k, s, d, top, bottom, left, right] :
           std::vector<std::array<int, 12>>{{4, 9, 8, 4, 4, 3, 1, 1, 1, 1, 1, 1},  // depthwise
                                            {4, 7, 9, 6, 2, 3, 1, 1, 0, 0, 0, 0},  // 2 groups, C4 -> O6
                                            {3, 8, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1},  // depthwise, multiplier 2
                                            {5, 13, 11, 5, 5, 3, 2, 2, 2, 1, 1, 2},        // strided, dilated
                                            {32, 12, 12, 32, 32, 3, 1, 1, 1, 1, 1, 1}}) {  // many groups
        std::mt19937 group_rng(static_cast<unsigned>(c * 1000 + o * 10 + groups));
        OpArguments a;
        a.inputs = {random_tensor({2, c, h, w}, group_rng), random_tensor({o, c / groups, k, k}, group_rng),
                    random_tensor({o}, group_rng)};
        a.conv = Conv2dParams{s, s, {top, bottom, left, right}, d, d, groups};
        add("conv2d C" + std::to_string(c) + " " + std::to_string(h) + "x" + std::to_string(w) + " O" +
                std::to_string(o) + " groups" + std::to_string(groups) + " k" + std::to_string(k) + " s" +
                std::to_string(s) + " d" + std::to_string(d),
            std::move(a));
      }
      break;
    case OpKind::ConvTranspose2d:
      for (auto [c, h, w, o, k, s, p, op, d] : std::vector<std::array<int, 9>>{{1, 2, 2, 1, 2, 1, 0, 0, 1},
                                                                               {6, 5, 4, 3, 4, 2, 1, 0, 1},
                                                                               {3, 3, 5, 2, 3, 3, 1, 2, 1},
                                                                               {4, 4, 4, 5, 3, 2, 2, 1, 2},
                                                                               {2, 7, 3, 1, 1, 1, 0, 0, 1}}) {
        OpArguments a;
        a.inputs = {random_tensor({2, c, h, w}, rng), random_tensor({c, o, k, k}, rng),
                    random_tensor({o}, rng)};
        a.tconv = ConvTranspose2dParams{s, s, p, p, op, op, d, d};
        add("conv_transpose2d C" + std::to_string(c) + " " + std::to_string(h) + "x" + std::to_string(w) +
                " k" + std::to_string(k) + " s" + std::to_string(s) + " p" + std::to_string(p) + " op" +
                std::to_string(op) + " d" + std::to_string(d),
            std::move(a));
      }
      // Grouped: weight (C, O/groups, k, k).
      for (auto [c, h, w, o, groups, k, s, p, op, d] : std::vector<std::array<int, 10>>{
               {4, 5, 4, 6, 2, 3, 2, 1, 1, 1},     // 2 groups, C4 -> O6
               {3, 4, 5, 3, 3, 4, 2, 1, 0, 1},     // depthwise
               {4, 6, 5, 8, 4, 3, 1, 1, 0, 2}}) {  // depthwise, multiplier 2, dilated
        std::mt19937 group_rng(static_cast<unsigned>(c * 1000 + o * 10 + groups + 7));
        OpArguments a;
        a.inputs = {random_tensor({2, c, h, w}, group_rng), random_tensor({c, o / groups, k, k}, group_rng),
                    random_tensor({o}, group_rng)};
        a.tconv = ConvTranspose2dParams{s, s, p, p, op, op, d, d, groups};
        add("conv_transpose2d C" + std::to_string(c) + " " + std::to_string(h) + "x" + std::to_string(w) +
                " O" + std::to_string(o) + " groups" + std::to_string(groups) + " k" + std::to_string(k) +
                " s" + std::to_string(s) + " p" + std::to_string(p) + " op" + std::to_string(op) + " d" +
                std::to_string(d),
            std::move(a));
      }
      break;
    case OpKind::BatchNorm2d:
      for (bool training : {false, true}) {
        OpArguments a;
        a.inputs = {random_tensor({3, 4, 5, 6}, rng, -2, 4), random_tensor({4}, rng, 0.5f, 1.5f),
                    random_tensor({4}, rng)};
        a.batch_norm = reference::BatchNormParams{training, 0.1f, 1e-5f};
        OpCase c{training ? "batch_norm train" : "batch_norm eval", std::move(a), random_tensor({4}, rng),
                 random_tensor({4}, rng, 0.5f, 2.0f)};
        cases.push_back(std::move(c));
      }
      break;
    case OpKind::Relu: {
      OpArguments a;
      a.inputs = {random_tensor({2, 3, 7, 5}, rng)};
      add("relu", std::move(a));
      break;
    }
    case OpKind::Concat: {
      OpArguments a;
      a.inputs = {random_tensor({2, 3, 4, 5}, rng), random_tensor({2, 1, 4, 5}, rng),
                  random_tensor({2, 4, 4, 5}, rng)};
      add("concat", std::move(a));
      break;
    }
    case OpKind::EmbedBroadcast: {
      OpArguments a;
      a.inputs = {random_tensor({8, 10}, rng)};
      a.categories = {0, 7, 3};
      a.height = 5, a.width = 3;
      add("embed", std::move(a));
      break;
    }
    case OpKind::RgbToLab: {
      OpArguments a;
      a.inputs = {random_tensor({2, 3, 6, 5}, rng, 0.0f, 1.0f)};
      add("rgb_to_lab", std::move(a));
      break;
    }
    case OpKind::LabToRgb: {
      OpArguments a;
      Tensor lab = random_tensor({1, 3, 6, 5}, rng, -60.0f, 60.0f);
      for (int64_t i = 0; i < 30; ++i) lab[i] = std::abs(lab[i]) * 1.5f;  // L in [0, 90]
      a.inputs = {lab};
      add("lab_to_rgb", std::move(a));
      break;
    }
    case OpKind::UpsampleBilinear: {
      OpArguments a;
      a.inputs = {random_tensor({1, 2, 5, 4}, rng)};
      a.height = 11, a.width = 9;
      add("upsample_bilinear", std::move(a));
      break;
    }
    case OpKind::Pool2d:
      for (auto [max_or_average, k, s, p, d, ceil, include_pad] :
           std::vector<std::array<int, 7>>{{0, 2, 2, 0, 1, 0, 1},
                                           {0, 3, 2, 1, 1, 1, 1},
                                           {0, 3, 1, 1, 2, 0, 1},
                                           {1, 2, 2, 0, 1, 0, 1},
                                           {1, 3, 2, 1, 1, 1, 1},
                                           {1, 3, 2, 1, 1, 0, 0}}) {
        OpArguments a;
        a.inputs = {random_tensor({2, 3, 9, 8}, rng)};
        a.pool.kind = max_or_average == 0 ? PoolKind::Max : PoolKind::Average;
        a.pool.kernel = {k, k};
        a.pool.params.window = Conv2dParams{s, s, {p, p, p, p}, d, d};
        a.pool.params.ceil_mode = ceil != 0;
        a.pool.count_include_pad = include_pad != 0;
        add(std::string("pool2d ") + pool_kind_name(a.pool.kind) + " k" + std::to_string(k) + " s" +
                std::to_string(s) + " p" + std::to_string(p) + " d" + std::to_string(d) +
                (ceil ? " ceil" : "") + (include_pad ? "" : " exclude-pad"),
            std::move(a));
      }
      break;
    case OpKind::GlobalAveragePool: {
      OpArguments a;
      a.inputs = {random_tensor({2, 5, 7, 6}, rng)};
      add("global_average_pool", std::move(a));
      break;
    }
    case OpKind::Activation:
      for (const reference::UnaryParams& params :
           {reference::UnaryParams{reference::UnaryOp::LeakyRelu, 0.2f},
            reference::UnaryParams{reference::UnaryOp::Sigmoid},
            reference::UnaryParams{reference::UnaryOp::Tanh},
            reference::UnaryParams{reference::UnaryOp::Clip, 0.0f, 0.0f, 6.0f},
            reference::UnaryParams{reference::UnaryOp::Identity}}) {
        OpArguments a;
        a.inputs = {random_tensor({2, 3, 5, 4}, rng, -8.0f, 8.0f)};
        a.unary = params;
        add(std::string("activation ") + reference::unary_op_name(params.op), std::move(a));
      }
      break;
    case OpKind::Elementwise:
      for (auto [op, shape_b] :
           std::vector<std::pair<reference::BinaryOp, Shape>>{{reference::BinaryOp::Add, {2, 3, 4, 5}},
                                                              {reference::BinaryOp::Sub, {3, 1, 1}},
                                                              {reference::BinaryOp::Mul, {1, 3, 4, 1}},
                                                              {reference::BinaryOp::Div, {5}},
                                                              {reference::BinaryOp::PRelu, {3, 1, 1}}}) {
        OpArguments a;
        a.inputs = {random_tensor({2, 3, 4, 5}, rng), random_tensor(shape_b, rng, 0.5f, 2.0f)};
        a.binary = op;
        add(std::string("elementwise ") + reference::binary_op_name(op) + " by " + shape_to_string(shape_b),
            std::move(a));
      }
      break;
    case OpKind::Reshape: {
      OpArguments a;
      a.inputs = {random_tensor({2, 3, 4, 5}, rng)};
      a.shape = {2, 60};
      add("reshape 2x3x4x5 -> 2x60", std::move(a));
      break;
    }
    case OpKind::Gemm:
      for (auto [m, k, n, ta, tb] : std::vector<std::array<int, 5>>{{2, 48, 10, 0, 1}, {3, 7, 5, 1, 0}}) {
        OpArguments a;
        a.inputs = {random_tensor(ta ? Shape{k, m} : Shape{m, k}, rng),
                    random_tensor(tb ? Shape{n, k} : Shape{k, n}, rng), random_tensor({n}, rng)};
        a.gemm = reference::GemmParams{ta ? 0.5f : 1.0f, tb ? 1.0f : 2.0f, ta != 0, tb != 0};
        add("gemm " + std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n) +
                (ta ? " transA" : "") + (tb ? " transB" : ""),
            std::move(a));
      }
      break;
    case OpKind::MatMul: {
      OpArguments a;
      a.inputs = {random_tensor({2, 3, 4}, rng), random_tensor({4, 5}, rng)};
      add("matmul 2x3x4 by 4x5", std::move(a));
      break;
    }
    case OpKind::Softmax:
      for (bool log : {false, true}) {
        OpArguments a;
        a.inputs = {random_tensor({3, 7}, rng, -5.0f, 5.0f)};
        a.softmax = reference::SoftmaxParams{1, log, false};
        add(log ? "log_softmax" : "softmax", std::move(a));
      }
      break;
    case OpKind::Pad: {
      OpArguments a;
      a.inputs = {random_tensor({1, 2, 4, 5}, rng)};
      a.pads = {0, 0, 1, 2, 0, 1, 3, 0};
      a.pad_value = 0.5f;
      add("pad", std::move(a));
      break;
    }
    case OpKind::Resize:
      for (auto mode : {reference::ResizeMode::Nearest, reference::ResizeMode::Linear}) {
        OpArguments a;
        a.inputs = {random_tensor({1, 2, 4, 5}, rng)};
        a.shape = {1, 2, 8, 10};
        a.scales = {1, 1, 2, 2};
        a.resize.mode = mode;
        a.resize.coordinates = mode == reference::ResizeMode::Nearest
                                   ? reference::ResizeCoordinates::Asymmetric
                                   : reference::ResizeCoordinates::HalfPixel;
        a.resize.nearest = reference::ResizeNearest::Floor;
        add(mode == reference::ResizeMode::Nearest ? "resize nearest x2" : "resize linear x2", std::move(a));
      }
      break;
    case OpKind::Gather: {
      OpArguments a;
      a.inputs = {random_tensor({8, 6}, rng)};
      a.indices = {3, 0, 7};
      a.indices_shape = {3};
      a.axis = 0;
      add("gather rows 3, 0, 7", std::move(a));
      break;
    }
    case OpKind::Expand:
      for (const auto& [from, to] : std::vector<std::pair<Shape, Shape>>{
               {{2, 3, 1, 1}, {2, 3, 5, 4}}, {{1, 4}, {3, 2, 4}}, {{3, 1}, {1, 5}}}) {
        OpArguments a;
        a.inputs = {random_tensor(from, rng)};
        a.shape = to;
        add("expand " + shape_to_string(from) + " to " + shape_to_string(to), std::move(a));
      }
      break;
    case OpKind::Count:
      break;
  }
  return cases;
}

Tensor run(Backend& backend, OpKind kind, OpCase& c, Tensor* mean_out = nullptr, Tensor* var_out = nullptr) {
  OpArguments args = c.args;
  Tensor mean = c.running_mean, var = c.running_var;
  args.running_mean = &mean;
  args.running_var = &var;
  auto out = run_op(backend, kind, args);
  REQUIRE_MESSAGE(out.ok(), backend.name() << " " << c.label << ": " << (out.ok() ? "" : out.message()));
  if (mean_out) *mean_out = mean;
  if (var_out) *var_out = var;
  return std::move(out).value();
}

}  // namespace

TEST_CASE("every op runs on every backend and matches the reference") {
  auto reference_backend = make_cpu_backend(CpuOpsPath::Reference);
  std::vector<std::unique_ptr<Backend>> backends;
  backends.push_back(make_cpu_backend(CpuOpsPath::Fast));
  auto gpu = gpu::GpuBackend::create();
  REQUIRE_MESSAGE(gpu.ok(), "the GPU backend needs OpenGL 4.3 (Mesa llvmpipe on CI): "
                                << (gpu.ok() ? "" : gpu.message()));
  backends.push_back(std::move(gpu).value());

  std::mt19937 rng(2024);
  for (size_t k = 0; k < static_cast<size_t>(OpKind::Count); ++k) {
    const auto kind = static_cast<OpKind>(k);
    auto cases = cases_for(kind, rng);
    CAPTURE(std::string(op_name(kind)));
    REQUIRE_MESSAGE(!cases.empty(), "op " << op_name(kind) << " has no test cases");
    for (OpCase& c : cases) {
      Tensor ref_mean, ref_var;
      const Tensor expected = run(*reference_backend, kind, c, &ref_mean, &ref_var);
      for (auto& backend : backends) {
        Tensor mean, var;
        const Tensor got = run(*backend, kind, c, &mean, &var);
        const std::string what = backend->name() + ": " + c.label;
        convlab::testing::check_close(got, expected, 1e-4f, what);
        if (kind == OpKind::BatchNorm2d) {
          convlab::testing::check_close(mean, ref_mean, 1e-4f, what + " running_mean");
          convlab::testing::check_close(var, ref_var, 1e-4f, what + " running_var");
        }
      }
    }
  }
}
