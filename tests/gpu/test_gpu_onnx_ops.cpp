// The GPU shaders of the ops read from ONNX (pool2d, activations, broadcasting
// arithmetic, Gemm, MatMul, softmax, pad, resize, gather) against the CPU
// reference, on the edge cases the every-op backend test does not reach: NaN
// and ties in max pooling, ceil_mode windows that leave the padded input,
// scalar and rank-mismatched broadcasting, logits large enough to overflow
// exp, every resize mode, negative gather indices and pads. Each case
// compares with the reference's own numbers; fixed seeds.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <vector>

#include "core/ops/pool.h"
#include "core/ops/tensor_ops.h"
#include "gpu_fixture.h"
#include "test_support.h"

using namespace convlab;
using convlab::testing::check_close;
using convlab::testing::gpu_ops;

namespace {

constexpr float kOpTolerance = 1e-4f;
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

Tensor random_tensor(const Shape& shape, std::mt19937& rng, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t(shape);
  for (auto& v : t.values()) v = dist(rng);
  return t;
}

Tensor from(const Shape& shape, std::vector<float> values) {
  auto t = Tensor::from_data(shape, std::move(values));
  REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.message()));
  return std::move(t).value();
}

gpu::GpuTensor up(const Tensor& t) {
  auto g = gpu::GpuTensor::upload(t);
  REQUIRE_MESSAGE(g.ok(), (g.ok() ? "" : g.message()));
  return std::move(g).value();
}

Tensor down(Result<gpu::GpuTensor> g) {
  REQUIRE_MESSAGE(g.ok(), (g.ok() ? "" : g.message()));
  auto t = g->download();
  REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.message()));
  return std::move(t).value();
}

Tensor expect_ok(Result<Tensor> t) {
  REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.message()));
  return std::move(t).value();
}

// Value by value, the same float: both NaN, or the same bits (so -0 is not 0).
void check_same_bits(const Tensor& got, const Tensor& expected, const std::string& what) {
  INFO(what);
  REQUIRE(got.shape() == expected.shape());
  for (int64_t i = 0; i < got.numel(); ++i) {
    const bool same = (std::isnan(got[i]) && std::isnan(expected[i])) ||
                      std::bit_cast<uint32_t>(got[i]) == std::bit_cast<uint32_t>(expected[i]);
    CHECK_MESSAGE(same, "element " << i << ": gpu " << got[i] << " (bits " << std::bit_cast<uint32_t>(got[i])
                                   << "), cpu " << expected[i] << " (bits "
                                   << std::bit_cast<uint32_t>(expected[i]) << ")");
  }
}

void check_finite(const Tensor& t, const std::string& what) {
  for (int64_t i = 0; i < t.numel(); ++i)
    CHECK_MESSAGE(std::isfinite(t[i]), what << ": element " << i << " is " << t[i]);
}

PoolOptions pool_options(PoolKind kind, int k, int s, Padding2d pad, int d, bool ceil, bool include_pad) {
  PoolOptions o;
  o.kind = kind;
  o.kernel = {k, k};
  o.params.window = Conv2dParams{s, s, pad, d, d};
  o.params.ceil_mode = ceil;
  o.count_include_pad = include_pad;
  return o;
}

}  // namespace

TEST_CASE("gpu max pool: NaN propagates and the first of equal values wins, as on the CPU") {
  auto& ops = gpu_ops();
  // 2x2 windows, stride 2: each window is one row of this table. Signed zeros
  // make the chosen tap visible: -0 and +0 are equal, so the first must win.
  const std::vector<std::array<float, 4>> windows = {
      {-0.0f, 0.0f, -1.0f, -2.0f},  // tie at 0: -0 first
      {0.0f, -0.0f, -1.0f, -2.0f},  // tie at 0: +0 first
      {-3.0f, -0.0f, -5.0f, 0.0f},  // tie across rows
      {kNan, 1.0f, 2.0f, 3.0f},     // NaN first
      {1.0f, 2.0f, kNan, 0.5f},     // NaN in the middle, larger values before and after
      {1.0f, 5.0f, 2.0f, kNan},     // NaN last
      {-kInf, -kInf, -kInf, -kInf}, {4.0f, 4.0f, 4.0f, 4.0f},
  };
  // Lay the windows out as a 2 x (2 * count) image per channel, two channels.
  const int64_t count = static_cast<int64_t>(windows.size());
  Tensor input({1, 2, 2, 2 * count});
  for (int64_t c = 0; c < 2; ++c)
    for (int64_t w = 0; w < count; ++w)
      for (int64_t t = 0; t < 4; ++t)
        input.at(0, c, t / 2, 2 * w + t % 2) = c == 0 ? windows[w][t] : -windows[w][t];
  const PoolOptions options = pool_options(PoolKind::Max, 2, 2, {0, 0, 0, 0}, 1, false, true);
  const Tensor expected = expect_ok(reference::pool2d(input, options));
  auto g_input = up(input);
  check_same_bits(down(gpu_ops().pool2d(g_input, options)), expected, "max pool windows");
  // The table's signed zeros do tell the taps apart.
  CHECK(std::signbit(expected.at(0, 0, 0, 0)));
  CHECK_FALSE(std::signbit(expected.at(0, 0, 0, 1)));

  // Overlapping, padded, dilated windows over values with many ties and NaNs.
  std::mt19937 rng(31);
  Tensor noisy({2, 3, 9, 8});
  const float levels[] = {-0.0f, 0.0f, 1.0f, -1.0f};
  std::uniform_int_distribution<int> pick(0, 19);
  // Mostly ties among four levels (signed zeros among them); NaN 1 time in
  // 20, so that most windows hold none.
  for (auto& v : noisy.values()) v = pick(rng) == 0 ? kNan : levels[pick(rng) % 4];
  auto g_noisy = up(noisy);
  for (const PoolOptions& o : {pool_options(PoolKind::Max, 3, 1, {1, 1, 1, 1}, 1, false, true),
                               pool_options(PoolKind::Max, 3, 2, {1, 0, 1, 1}, 2, true, true),
                               pool_options(PoolKind::Max, 2, 3, {1, 1, 0, 1}, 1, true, true)}) {
    const Tensor want = expect_ok(reference::pool2d(noisy, o));
    check_same_bits(down(ops.pool2d(g_noisy, o)), want, "max pool with ties and NaN");
  }
}

TEST_CASE("gpu average pool: count_include_pad false with ceil_mode") {
  auto& ops = gpu_ops();
  std::mt19937 rng(32);
  struct Case {
    Shape shape;
    PoolOptions options;
  };
  // Each ceil_mode case has a last window that runs past the padded input.
  const std::vector<Case> cases = {
      {{1, 2, 6, 6}, pool_options(PoolKind::Average, 3, 2, {1, 1, 1, 1}, 1, true, false)},
      {{2, 3, 7, 5}, pool_options(PoolKind::Average, 2, 2, {1, 0, 0, 1}, 1, true, false)},
      {{1, 1, 8, 9}, pool_options(PoolKind::Average, 3, 3, {1, 1, 0, 1}, 1, true, false)},
      {{1, 2, 9, 7}, pool_options(PoolKind::Average, 3, 2, {1, 1, 1, 1}, 2, true, false)},
      {{1, 2, 6, 6}, pool_options(PoolKind::Average, 3, 2, {1, 1, 1, 1}, 1, true, true)},
      {{1, 1, 5, 5}, pool_options(PoolKind::Average, 4, 2, {2, 2, 2, 2}, 1, false, false)},
  };
  for (const Case& c : cases) {
    const PoolOptions& o = c.options;
    std::ostringstream what;
    what << shape_to_string(c.shape) << " k" << o.kernel.h << " s" << o.params.window.stride_h << " d"
         << o.params.window.dilation_h << (o.params.ceil_mode ? " ceil" : "")
         << (o.count_include_pad ? " include-pad" : " exclude-pad");
    const Tensor input = random_tensor(c.shape, rng, 0.5f, 2.0f);
    const Tensor expected = expect_ok(reference::pool2d(input, o));
    auto g_input = up(input);
    check_close(down(ops.pool2d(g_input, o)), expected, kOpTolerance, what.str());
  }
  // The two counts give different numbers here, so a shader ignoring the flag fails above.
  const Tensor ones({1, 1, 6, 6}, 1.0f);
  const Tensor exclude = expect_ok(reference::pool2d(ones, cases[0].options));
  const Tensor include = expect_ok(reference::pool2d(ones, cases[4].options));
  CHECK(exclude.at(0, 0, 0, 0) == 1.0f);
  CHECK(include.at(0, 0, 0, 0) < 1.0f);
}

TEST_CASE("gpu global average pool on ranks 3 to 5") {
  auto& ops = gpu_ops();
  std::mt19937 rng(33);
  for (const Shape& shape : {Shape{2, 3, 7}, Shape{2, 5, 4, 6}, Shape{1, 2, 3, 4, 5}}) {
    const Tensor input = random_tensor(shape, rng);
    auto g_input = up(input);
    check_close(down(ops.global_average_pool(g_input)), expect_ok(reference::global_average_pool(input)),
                kOpTolerance, shape_to_string(shape));
  }
  auto g_flat = up(Tensor({2, 3}));
  auto refused = ops.global_average_pool(g_flat);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("rank 3 or more") != std::string::npos);
}

TEST_CASE("gpu activations on extreme values") {
  auto& ops = gpu_ops();
  const Tensor input =
      from({12}, {-1000.0f, -100.0f, -50.0f, -8.0f, -1e-3f, 0.0f, 1e-3f, 3.0f, 7.0f, 50.0f, 1000.0f, kNan});
  auto g_input = up(input);
  for (const reference::UnaryParams& params :
       {reference::UnaryParams{reference::UnaryOp::Relu},
        reference::UnaryParams{reference::UnaryOp::LeakyRelu, 0.1f},
        reference::UnaryParams{reference::UnaryOp::Sigmoid}, reference::UnaryParams{reference::UnaryOp::Tanh},
        reference::UnaryParams{reference::UnaryOp::Clip, 0.0f, 0.0f, 6.0f},
        reference::UnaryParams{reference::UnaryOp::Clip, 0.0f, -kInf, 1.0f},
        reference::UnaryParams{reference::UnaryOp::Identity}}) {
    const std::string what = reference::unary_op_name(params.op);
    const Tensor expected = expect_ok(reference::unary(input, params));
    const Tensor got = down(ops.activation(g_input, params));
    // NaN stays NaN in every activation but ReLU's comparison (x > 0 is false: 0).
    CHECK_MESSAGE(std::isnan(got[11]) == std::isnan(expected[11]), what << ": NaN gives " << got[11]);
    Tensor finite_got({11}), finite_expected({11});
    for (int64_t i = 0; i < 11; ++i) finite_got[i] = got[i], finite_expected[i] = expected[i];
    check_close(finite_got, finite_expected, kOpTolerance, what);
  }
  auto refused = ops.activation(g_input, reference::UnaryParams{reference::UnaryOp::Clip, 0.0f, 2.0f, 1.0f});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("min <= max") != std::string::npos);
}

TEST_CASE("gpu elementwise broadcasting: scalars, one-element and rank-mismatched operands") {
  auto& ops = gpu_ops();
  std::mt19937 rng(34);
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{2, 3, 4}, {}},                  // a scalar
      {{}, {2, 3, 4}},                  // a scalar on the left
      {{}, {}},                         // both scalars
      {{2, 3}, {1}},                    // one element
      {{1}, {4, 1, 3}},                 // one element on the left, rank 3 result
      {{3, 1, 5}, {4, 1}},              // rank mismatch, both enlarged
      {{2, 1, 4, 1}, {3, 1, 5}},        // rank mismatch, 1s interleaved
      {{1, 1, 1, 1, 1, 1, 2, 3}, {3}},  // rank 8, the most the shader takes
      {{2, 0, 3}, {1, 3}},              // an empty result
  };
  for (auto op : {reference::BinaryOp::Add, reference::BinaryOp::Sub, reference::BinaryOp::Mul,
                  reference::BinaryOp::Div}) {
    for (const auto& [sa, sb] : shapes) {
      const std::string what = std::string(reference::binary_op_name(op)) + " " + shape_to_string(sa) +
                               " by " + shape_to_string(sb);
      const Tensor a = random_tensor(sa, rng), b = random_tensor(sb, rng, 0.5f, 2.0f);
      const Tensor expected = expect_ok(reference::binary(op, a, b));
      auto ga = up(a), gb = up(b);
      const Tensor got = down(ops.elementwise(op, ga, gb));
      // Add, Sub and Mul are one correctly rounded operation: exact. GLSL's division need not be.
      check_close(got, expected, op == reference::BinaryOp::Div ? kOpTolerance : 0.0f, what);
    }
  }
  // PRelu: a per-channel slope broadcast over (N, C, H, W); a scalar slope.
  for (const Shape& slope_shape : {Shape{3, 1, 1}, Shape{1}, Shape{}}) {
    const Tensor x = random_tensor({2, 3, 4, 5}, rng), slope = random_tensor(slope_shape, rng, 0.1f, 0.5f);
    auto gx = up(x), gs = up(slope);
    check_close(down(ops.elementwise(reference::BinaryOp::PRelu, gx, gs)),
                expect_ok(reference::binary(reference::BinaryOp::PRelu, x, slope)), 0.0f,
                "prelu by " + shape_to_string(slope_shape));
  }
  // Refusals, with the reference's message.
  auto g23 = up(Tensor({2, 3})), g4 = up(Tensor({4})), g9 = up(Tensor({1, 1, 1, 1, 1, 1, 1, 1, 2}));
  auto mismatch = ops.elementwise(reference::BinaryOp::Add, g23, g4);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.message() ==
        reference::binary(reference::BinaryOp::Add, Tensor({2, 3}), Tensor({4})).message());
  auto g2 = up(Tensor({2}));
  auto too_deep = ops.elementwise(reference::BinaryOp::Mul, g9, g2);
  REQUIRE_FALSE(too_deep.ok());
  CHECK(too_deep.message() ==
        "mul: the broadcast shape 1x1x1x1x1x1x1x1x2 has 9 axes; valid on the GPU: at most 8");
  auto enlarging_slope = ops.elementwise(reference::BinaryOp::PRelu, g4, g23);
  REQUIRE_FALSE(enlarging_slope.ok());
}

TEST_CASE("gpu gemm: transposes and every shape of C") {
  auto& ops = gpu_ops();
  std::mt19937 rng(35);
  const int64_t m = 5, k = 9, n = 7;
  for (int trans = 0; trans < 4; ++trans) {
    const bool ta = trans & 1, tb = trans & 2;
    for (const Shape& c_shape : {Shape{}, Shape{n}, Shape{1, n}, Shape{m, 1}, Shape{m, n}}) {
      const reference::GemmParams params{0.75f, -1.5f, ta, tb};
      const Tensor a = random_tensor(ta ? Shape{k, m} : Shape{m, k}, rng);
      const Tensor b = random_tensor(tb ? Shape{n, k} : Shape{k, n}, rng);
      const Tensor c = random_tensor(c_shape, rng);
      auto ga = up(a), gb = up(b), gc = up(c);
      check_close(down(ops.gemm(ga, gb, &gc, params)), expect_ok(reference::gemm(a, b, &c, params)),
                  kOpTolerance,
                  std::string("gemm") + (ta ? " transA" : "") + (tb ? " transB" : "") + " C " +
                      shape_to_string(c_shape));
    }
  }
  auto ga = up(Tensor({2, 3})), gb = up(Tensor({4, 2})), gc = up(Tensor({3, 2}));
  auto inner = ops.gemm(ga, gb, nullptr, {});
  REQUIRE_FALSE(inner.ok());
  CHECK(inner.message().find("inner sizes must agree") != std::string::npos);
  auto gb_ok = up(Tensor({3, 2}));
  auto bad_c = ops.gemm(ga, gb_ok, &gc, {});
  REQUIRE_FALSE(bad_c.ok());
  CHECK(bad_c.message().find("must broadcast to the output 2x2") != std::string::npos);
}

TEST_CASE("gpu matmul: rank-1 operands and broadcast batch axes") {
  auto& ops = gpu_ops();
  std::mt19937 rng(36);
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{4}, {4}},                 // dot product: a scalar
      {{4}, {4, 3}},              // row vector times matrix: (3)
      {{3, 4}, {4}},              // matrix times column vector: (3)
      {{4}, {2, 4, 3}},           // promoted row against a batch: (2, 3)
      {{2, 3, 4}, {4}},           // a batch against a column: (2, 3)
      {{5, 1, 3, 4}, {2, 4, 6}},  // batch axes broadcast: (5, 2, 3, 6)
      {{1, 3, 4}, {4, 4, 1}},     // (4, 3, 1)
      {{3, 0}, {0, 2}},           // empty inner size: zeros
  };
  for (const auto& [sa, sb] : shapes) {
    const std::string what = shape_to_string(sa) + " x " + shape_to_string(sb);
    const Tensor a = random_tensor(sa, rng), b = random_tensor(sb, rng);
    const Tensor expected = expect_ok(reference::matmul(a, b));
    auto ga = up(a), gb = up(b);
    check_close(down(ops.matmul(ga, gb)), expected, kOpTolerance, what);
  }
  auto ga = up(Tensor({3})), gb = up(Tensor({4, 2}));
  auto refused = ops.matmul(ga, gb);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message() == reference::matmul(Tensor({3}), Tensor({4, 2})).message());
}

TEST_CASE("gpu softmax: large logits do not overflow; any axis; the 2-D form") {
  auto& ops = gpu_ops();
  const Tensor logits = from({2, 4}, {1000.0f, 1001.0f, 999.0f, -1000.0f, 88.0f, 89.0f, -89.0f, 0.0f});
  auto g_logits = up(logits);
  for (bool log : {false, true}) {
    const reference::SoftmaxParams params{1, log, false};
    const std::string what = log ? "log_softmax of large logits" : "softmax of large logits";
    const Tensor expected = expect_ok(reference::softmax(logits, params));
    const Tensor got = down(ops.softmax(g_logits, params));
    check_finite(got, what);
    check_close(got, expected, kOpTolerance, what);
  }
  std::mt19937 rng(37);
  const Tensor x = random_tensor({2, 3, 4, 5}, rng, -20.0f, 20.0f);
  auto gx = up(x);
  for (int64_t axis : {0, 1, 2, -1}) {
    for (bool coerce : {false, true}) {
      for (bool log : {false, true}) {
        const reference::SoftmaxParams params{axis, log, coerce};
        std::ostringstream what;
        what << (log ? "log_softmax" : "softmax") << " axis " << axis << (coerce ? " 2-D" : "");
        check_close(down(ops.softmax(gx, params)), expect_ok(reference::softmax(x, params)), kOpTolerance,
                    what.str());
      }
    }
  }
  auto refused = ops.softmax(gx, reference::SoftmaxParams{4, false, false});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("valid: -4 to 3") != std::string::npos);
}

TEST_CASE("gpu pad: negative pads crop") {
  auto& ops = gpu_ops();
  std::mt19937 rng(38);
  const Tensor x = random_tensor({2, 3, 5, 4}, rng);
  auto gx = up(x);
  const std::vector<std::vector<int64_t>> cases = {
      {0, -1, 1, -2, 0, 0, -1, 3},     // crop channels and columns at the start, pad elsewhere
      {-1, 0, -2, -1, 0, -1, -2, -1},  // crop only
      {0, 0, 0, 0, 0, 0, 0, 0},        // a copy
      {0, 0, -5, 0, 0, 0, 0, 0},       // no rows left: empty
      {1, 2, 3, 4, 1, 2, 3, 4},        // pad only
  };
  for (const auto& pads : cases) {
    std::ostringstream what;
    what << "pads";
    for (int64_t p : pads) what << " " << p;
    check_close(down(ops.pad_constant(gx, pads, -7.5f)), expect_ok(reference::pad_constant(x, pads, -7.5f)),
                0.0f, what.str());
  }
  const std::vector<int64_t> too_much = {0, 0, -3, 0, 0, 0, -3, 0};
  auto refused = ops.pad_constant(gx, too_much, 0.0f);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message() == reference::pad_constant(x, too_much, 0.0f).message());
}

TEST_CASE("gpu resize: every coordinate mode and nearest mode against the CPU") {
  auto& ops = gpu_ops();
  using reference::ResizeCoordinates;
  using reference::ResizeMode;
  using reference::ResizeNearest;
  std::mt19937 rng(39);
  const Tensor x = random_tensor({1, 2, 8, 6}, rng);
  auto gx = up(x);
  struct Size {
    Shape shape;
    std::vector<double> scales;
  };
  // Up and down, by whole and fractional factors; 8 -> 4 at half_pixel lands
  // every nearest sample on a tie (2x + 0.5), which the rounding modes split.
  const std::vector<Size> sizes = {{{1, 2, 16, 12}, {1, 1, 2, 2}},
                                   {{1, 2, 4, 3}, {1, 1, 0.5, 0.5}},
                                   {{1, 2, 5, 11}, {1, 1, 5.0 / 8, 11.0 / 6}},
                                   {{1, 2, 1, 1}, {1, 1, 1.0 / 8, 1.0 / 6}},
                                   {{2, 3, 8, 6}, {2, 1.5, 1, 1}}};  // batch and channels resized
  const std::pair<ResizeCoordinates, const char*> coordinates[] = {
      {ResizeCoordinates::HalfPixel, "half_pixel"},
      {ResizeCoordinates::PytorchHalfPixel, "pytorch_half_pixel"},
      {ResizeCoordinates::Asymmetric, "asymmetric"},
      {ResizeCoordinates::AlignCorners, "align_corners"},
      {ResizeCoordinates::TfHalfPixelForNn, "tf_half_pixel_for_nn"}};
  const std::pair<ResizeNearest, const char*> nearest[] = {
      {ResizeNearest::RoundPreferFloor, "round_prefer_floor"},
      {ResizeNearest::RoundPreferCeil, "round_prefer_ceil"},
      {ResizeNearest::Floor, "floor"},
      {ResizeNearest::Ceil, "ceil"}};
  for (const Size& size : sizes) {
    for (const auto& [coords, coords_name] : coordinates) {
      for (const auto& [rounding, rounding_name] : nearest) {
        const reference::ResizeParams params{ResizeMode::Nearest, coords, rounding};
        const std::string what =
            "nearest " + shape_to_string(size.shape) + " " + coords_name + " " + rounding_name;
        // Nearest copies input values: exact.
        check_close(down(ops.resize(gx, size.shape, size.scales, params)),
                    expect_ok(reference::resize(x, size.shape, size.scales, params)), 0.0f, what);
      }
      const reference::ResizeParams params{ResizeMode::Linear, coords, ResizeNearest::RoundPreferFloor};
      check_close(down(ops.resize(gx, size.shape, size.scales, params)),
                  expect_ok(reference::resize(x, size.shape, size.scales, params)), kOpTolerance,
                  "linear " + shape_to_string(size.shape) + " " + coords_name);
    }
  }
  // The two tie-breaking modes do differ on the 8 -> 4 case, so the cases above can fail.
  const reference::ResizeParams floor_ties{ResizeMode::Nearest, ResizeCoordinates::HalfPixel,
                                           ResizeNearest::RoundPreferFloor};
  const reference::ResizeParams ceil_ties{ResizeMode::Nearest, ResizeCoordinates::HalfPixel,
                                          ResizeNearest::RoundPreferCeil};
  CHECK(relative_error(expect_ok(reference::resize(x, sizes[1].shape, sizes[1].scales, floor_ties)),
                       expect_ok(reference::resize(x, sizes[1].shape, sizes[1].scales, ceil_ties))) > 0.0f);
  const std::vector<double> bad_scales = {1, 1, 0, 1};
  auto refused = ops.resize(gx, {1, 2, 4, 6}, bad_scales, floor_ties);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("must be a positive number") != std::string::npos);
}

TEST_CASE("gpu gather: negative indices, any axis, and out-of-range refused") {
  auto& ops = gpu_ops();
  std::mt19937 rng(40);
  const Tensor data = random_tensor({3, 5, 4}, rng);
  auto g_data = up(data);
  struct Case {
    std::vector<int64_t> indices;
    Shape indices_shape;
    int64_t axis;
  };
  const std::vector<Case> cases = {{{-1, 0, -5, 2}, {2, 2}, 1},
                                   {{2, -3}, {2}, 0},
                                   {{-4, 3, 3}, {3}, -1},
                                   {{-2}, {}, 1},  // a scalar index drops the axis
                                   {{}, {0}, 0}};
  for (const Case& c : cases) {
    std::ostringstream what;
    what << "axis " << c.axis << " indices";
    for (int64_t i : c.indices) what << " " << i;
    check_close(down(ops.gather(g_data, c.indices, c.indices_shape, c.axis)),
                expect_ok(reference::gather(data, c.indices, c.indices_shape, c.axis)), 0.0f, what.str());
  }
  for (int64_t bad : {int64_t{5}, int64_t{-6}, int64_t{1} << 40}) {
    const std::vector<int64_t> indices = {0, bad};
    auto refused = ops.gather(g_data, indices, {2}, 1);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.message() == reference::gather(data, indices, {2}, 1).message());
    CHECK(refused.message().find("valid: -5 to 4") != std::string::npos);
  }
}

TEST_CASE("gpu reshape keeps the buffer and refuses another element count") {
  gpu_ops();  // the GL context the buffers need
  Tensor x({2, 3, 4});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = static_cast<float>(i);
  auto g = up(x);
  const unsigned buffer = g.buffer();
  REQUIRE(g.reshape({6, 4}).ok());
  CHECK(g.buffer() == buffer);
  CHECK(g.shape() == Shape{6, 4});
  check_close(down(std::move(g)), expect_ok(x.reshaped({6, 4})), 0.0f, "reshape");
  auto h = up(x);
  auto refused = h.reshape({5, 5});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("needs 25 values") != std::string::npos);
  CHECK(h.shape() == x.shape());
}
