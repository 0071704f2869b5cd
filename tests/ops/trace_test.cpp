// Traces reproduce their ops bit for bit (CHECK(a == b), no tolerance) over
// many random cases with fixed seeds, and their step records add up.
#include "core/ops/trace.h"

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/ops/reference.h"
#include "test_support.h"

using namespace convlab;

namespace {

// splitmix64: a tiny generator with the same stream on every platform, so a
// failing case number reproduces anywhere.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int integer(int low, int high) {
    return low + static_cast<int>(next() % static_cast<uint64_t>(high - low + 1));
  }
  float uniform(float low, float high) {
    return low + (high - low) * static_cast<float>(static_cast<double>(next() >> 11) * 0x1.0p-53);
  }
  // Values of mixed magnitude, so a different summation order would round
  // differently and show up as a mismatch.
  float value() {
    const float scales[] = {1.0f, 1.0f, 1e3f, 1e-3f};
    return uniform(-2.0f, 2.0f) * scales[integer(0, 3)];
  }
  Tensor tensor(Shape shape) {
    Tensor t(std::move(shape));
    for (float& v : t.values()) v = value();
    return t;
  }

 private:
  uint64_t state_;
};

// Bit-for-bit equality, element by element, reporting the first mismatch.
void check_identical(const Tensor& trace, const Tensor& op, const std::string& what) {
  INFO(what);
  REQUIRE(trace.shape() == op.shape());
  for (int64_t i = 0; i < op.numel(); ++i) {
    if (trace[i] == op[i] || (std::isnan(trace[i]) && std::isnan(op[i]))) continue;
    CAPTURE(i);
    CHECK(trace[i] == op[i]);
    return;
  }
}

struct ConvCase {
  Tensor input, weight, bias;
  bool has_bias = false;
  Conv2dParams params;
  std::string text;
};

ConvCase random_conv_case(Random& rng, int index) {
  ConvCase c;
  const int n = rng.integer(1, 2), channels = rng.integer(1, 3), out = rng.integer(1, 3);
  c.input = rng.tensor({n, channels, rng.integer(1, 9), rng.integer(1, 9)});
  c.weight = rng.tensor({out, channels, rng.integer(1, 5), rng.integer(1, 5)});
  c.has_bias = rng.integer(0, 1) == 1;
  c.bias = rng.tensor({out});
  c.params.stride_h = rng.integer(1, 3), c.params.stride_w = rng.integer(1, 3);
  c.params.padding = {rng.integer(0, 3), rng.integer(0, 3), rng.integer(0, 3), rng.integer(0, 3)};
  c.params.dilation_h = rng.integer(1, 3), c.params.dilation_w = rng.integer(1, 3);
  std::ostringstream text;
  text << "conv case " << index << ": input " << shape_to_string(c.input.shape()) << " weight "
       << shape_to_string(c.weight.shape()) << " bias " << (c.has_bias ? "yes" : "no") << " stride "
       << c.params.stride_h << "x" << c.params.stride_w << " padding t" << c.params.padding.top << " b"
       << c.params.padding.bottom << " l" << c.params.padding.left << " r" << c.params.padding.right
       << " dilation " << c.params.dilation_h << "x" << c.params.dilation_w;
  c.text = text.str();
  return c;
}

// The arithmetic a person reads in a step: positions, padding flags and
// running sums that follow from the products.
void check_conv_step(const ConvStep& step, const ConvCase& c) {
  REQUIRE(static_cast<int64_t>(step.taps.size()) == c.weight.dim(1) * c.weight.h() * c.weight.w());
  float expected_sum = 0.0f;
  for (const ConvTap& tap : step.taps) {
    CHECK(tap.padded_y == step.out_y * c.params.stride_h + tap.ky * c.params.dilation_h);
    CHECK(tap.input_y == tap.padded_y - c.params.padding.top);
    CHECK(tap.input_x == tap.padded_x - c.params.padding.left);
    const bool outside =
        tap.input_y < 0 || tap.input_y >= c.input.h() || tap.input_x < 0 || tap.input_x >= c.input.w();
    CHECK(tap.on_padding == outside);
    CHECK(tap.weight == c.weight.at(step.out_channel, tap.channel, tap.ky, tap.kx));
    if (tap.on_padding) {
      CHECK(tap.input == 0.0f);
      CHECK(tap.product == 0.0f);
    } else {
      CHECK(tap.input == c.input.at(step.batch, tap.channel, tap.input_y, tap.input_x));
      CHECK(tap.product == tap.input * tap.weight);
      expected_sum += tap.product;
    }
    CHECK(tap.running_sum == expected_sum);
  }
  CHECK(step.result == (c.has_bias ? expected_sum + step.bias : expected_sum));
}

}  // namespace

TEST_CASE("conv2d trace == reference::conv2d exactly, random cases") {
  Random rng(20240601);
  int traced = 0;
  for (int i = 0; i < 300; ++i) {
    const ConvCase c = random_conv_case(rng, i);
    INFO(c.text);
    const Tensor* bias = c.has_bias ? &c.bias : nullptr;
    auto op = reference::conv2d(c.input, c.weight, bias, c.params);
    auto trace = trace_conv2d(c.input, c.weight, bias, c.params);
    REQUIRE(op.ok() == trace.ok());  // impossible settings fail both, with the same message
    if (!op.ok()) {
      CHECK(op.message() == trace.message());
      continue;
    }
    ++traced;
    check_identical(trace->output, *op, c.text);
    CHECK(trace->output_shape == op->shape());
    CHECK(trace->padded == Size2d{int(c.input.h()) + c.params.padding.top + c.params.padding.bottom,
                                  int(c.input.w()) + c.params.padding.left + c.params.padding.right});
    REQUIRE(static_cast<int64_t>(trace->steps.size()) == op->numel());
    for (size_t s = 0; s < trace->steps.size(); ++s) {
      const ConvStep& step = trace->steps[s];
      CAPTURE(s);
      // Steps are in (n, o, y, x) order, i.e. the output's own layout.
      CHECK(op->offset(step.batch, step.out_channel, step.out_y, step.out_x) == static_cast<int64_t>(s));
      CHECK(step.result == (*op)[static_cast<int64_t>(s)]);
      if (s % 7 == 0) check_conv_step(step, c);  // the full arithmetic on a sample of steps
    }
  }
  CHECK(traced > 150);
}

TEST_CASE("conv2d trace marks taps on the zero frame") {
  Tensor input({1, 1, 2, 2}, 1.0f);
  Tensor weight({1, 1, 3, 3}, 1.0f);
  Conv2dParams p;
  p.padding = {1, 1, 1, 1};
  auto trace = trace_conv2d(input, weight, nullptr, p);
  REQUIRE(trace.ok());
  REQUIRE(trace->steps.size() == 4);
  const ConvStep& first = trace->steps[0];
  int on_padding = 0;
  for (const ConvTap& tap : first.taps) on_padding += tap.on_padding ? 1 : 0;
  CHECK(on_padding == 5);  // of the 9 taps at (0,0), only the bottom-right 2x2 is on the input
  CHECK(first.taps[0].input_y == -1);
  CHECK(first.taps[0].padded_y == 0);
  CHECK(first.result == 4.0f);
}

namespace {

struct TconvCase {
  Tensor input, weight, bias;
  bool has_bias = false;
  ConvTranspose2dParams params;
  std::string text;
};

TconvCase random_tconv_case(Random& rng, int index) {
  TconvCase c;
  const int n = rng.integer(1, 2), channels = rng.integer(1, 3), out = rng.integer(1, 3);
  c.input = rng.tensor({n, channels, rng.integer(1, 6), rng.integer(1, 6)});
  c.weight = rng.tensor({channels, out, rng.integer(1, 5), rng.integer(1, 5)});
  c.has_bias = rng.integer(0, 1) == 1;
  c.bias = rng.tensor({out});
  ConvTranspose2dParams& p = c.params;
  p.stride_h = rng.integer(1, 3), p.stride_w = rng.integer(1, 3);
  p.padding_h = rng.integer(0, 2), p.padding_w = rng.integer(0, 2);
  p.dilation_h = rng.integer(1, 3), p.dilation_w = rng.integer(1, 3);
  p.output_padding_h = rng.integer(0, 2), p.output_padding_w = rng.integer(0, 2);
  std::ostringstream text;
  text << "tconv case " << index << ": input " << shape_to_string(c.input.shape()) << " weight "
       << shape_to_string(c.weight.shape()) << " bias " << (c.has_bias ? "yes" : "no") << " stride "
       << p.stride_h << "x" << p.stride_w << " padding " << p.padding_h << "x" << p.padding_w
       << " output_padding " << p.output_padding_h << "x" << p.output_padding_w << " dilation "
       << p.dilation_h << "x" << p.dilation_w;
  c.text = text.str();
  return c;
}

// full_sum is the intermediates added in their order; the output is it cropped, plus bias.
void check_tconv_bookkeeping(const TconvTrace& trace, const TconvCase& c) {
  const int64_t n = c.input.n(), out = c.weight.dim(1);
  REQUIRE(static_cast<int64_t>(trace.intermediates.size()) ==
          n * out * c.input.c() * c.input.h() * c.input.w());
  Tensor sum({n, out, trace.full.h, trace.full.w});
  size_t index = 0;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < out; ++o)
      for (int64_t ch = 0; ch < c.input.c(); ++ch)
        for (int64_t y = 0; y < c.input.h(); ++y)
          for (int64_t x = 0; x < c.input.w(); ++x) {
            const TconvIntermediate& step = trace.intermediates[index++];
            CHECK(step.batch == b);
            CHECK(step.out_channel == o);
            CHECK(step.channel == ch);
            CHECK(step.in_y == y);
            CHECK(step.in_x == x);
            CHECK(step.value == c.input.at(b, ch, y, x));
            CHECK(step.origin_y == y * c.params.stride_h);
            CHECK(step.origin_x == x * c.params.stride_w);
            REQUIRE(step.contribution.shape() == Shape{trace.full.h, trace.full.w});
            for (int64_t fy = 0; fy < trace.full.h; ++fy)
              for (int64_t fx = 0; fx < trace.full.w; ++fx)
                sum.at(b, o, fy, fx) += step.contribution[fy * trace.full.w + fx];
          }
  check_identical(trace.full_sum, sum, c.text + " (full_sum vs sum of intermediates)");
  Tensor cropped(trace.output_shape);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < out; ++o)
      for (int64_t y = 0; y < cropped.h(); ++y)
        for (int64_t x = 0; x < cropped.w(); ++x) {
          const float value = trace.full_sum.at(b, o, y + trace.crop_top, x + trace.crop_left);
          cropped.at(b, o, y, x) = c.has_bias ? value + c.bias[o] : value;
        }
  check_identical(trace.output, cropped, c.text + " (output vs cropped full_sum)");
}

}  // namespace

TEST_CASE("conv_transpose2d trace == reference::conv_transpose2d exactly, random cases") {
  Random rng(777);
  int traced = 0;
  for (int i = 0; i < 300; ++i) {
    const TconvCase c = random_tconv_case(rng, i);
    INFO(c.text);
    const Tensor* bias = c.has_bias ? &c.bias : nullptr;
    auto op = reference::conv_transpose2d(c.input, c.weight, bias, c.params);
    auto trace = trace_conv_transpose2d(c.input, c.weight, bias, c.params);
    REQUIRE(op.ok() == trace.ok());
    if (!op.ok()) {
      CHECK(op.message() == trace.message());
      continue;
    }
    ++traced;
    check_identical(trace->output, *op, c.text);
    CHECK(trace->output_shape == op->shape());
    CHECK(trace->crop_top == c.params.padding_h);
    CHECK(trace->crop_left == c.params.padding_w);
    // The uncropped size: (in-1)s + d(k-1) + 1 + output_padding.
    CHECK(trace->full.h == (c.input.h() - 1) * c.params.stride_h + c.params.dilation_h * (c.weight.h() - 1) +
                               1 + c.params.output_padding_h);
    CHECK(trace->full.w == (c.input.w() - 1) * c.params.stride_w + c.params.dilation_w * (c.weight.w() - 1) +
                               1 + c.params.output_padding_w);
    if (i % 3 == 0) check_tconv_bookkeeping(*trace, c);
  }
  CHECK(traced > 100);
}

TEST_CASE("conv_transpose2d trace at the seed's example: 2x2 input, 2x2 kernel, stride 1") {
  auto input = Tensor::from_data({1, 1, 2, 2}, {0, 1, 2, 3});
  auto weight = Tensor::from_data({1, 1, 2, 2}, {0, 1, 2, 3});
  REQUIRE(input.ok());
  REQUIRE(weight.ok());
  auto trace = trace_conv_transpose2d(*input, *weight, nullptr, {});
  REQUIRE(trace.ok());
  // n_h*n_w = 4 intermediates, each (n_h + k_h - 1) x (n_w + k_w - 1) = 3x3.
  REQUIRE(trace->intermediates.size() == 4);
  CHECK(trace->full == Size2d{3, 3});
  for (const TconvIntermediate& step : trace->intermediates) CHECK(step.contribution.shape() == Shape{3, 3});
  // The element at (1,0), value 2, places 2*kernel with its corner at row 1.
  const TconvIntermediate& third = trace->intermediates[2];
  CHECK(third.in_y == 1);
  CHECK(third.in_x == 0);
  CHECK(third.value == 2.0f);
  CHECK(third.contribution.values() == std::vector<float>{0, 0, 0, 0, 2, 0, 4, 6, 0});
  CHECK(trace->output.values() == std::vector<float>{0, 0, 1, 0, 4, 6, 4, 12, 9});
  CHECK(trace->full_sum.values() == trace->output.values());
}

TEST_CASE("conv_transpose2d trace: the uncropped size includes output_padding") {
  Tensor input({1, 1, 3, 3}, 1.0f);
  Tensor weight({1, 1, 3, 3}, 1.0f);
  ConvTranspose2dParams p;
  p.stride_h = p.stride_w = 2;
  p.padding_h = p.padding_w = 1;
  p.output_padding_h = 1;
  auto trace = trace_conv_transpose2d(input, weight, nullptr, p);
  REQUIRE(trace.ok());
  CHECK(trace->full == Size2d{(3 - 1) * 2 + 3 + 1, (3 - 1) * 2 + 3});
  CHECK(trace->output_shape == Shape{1, 1, 6, 5});
  // The output_padding row is beyond every kernel: zeros in full_sum.
  for (int x = 0; x < trace->full.w; ++x) CHECK(trace->full_sum.at(0, 0, 7, x) == 0.0f);
}

TEST_CASE("batch norm trace == reference::batch_norm2d exactly and leaves its inputs alone") {
  Random rng(31337);
  for (int i = 0; i < 120; ++i) {
    const int channels = rng.integer(1, 4);
    Tensor input = rng.tensor({rng.integer(1, 3), channels, rng.integer(1, 6), rng.integer(1, 6)});
    const float shift = rng.uniform(-20.0f, 20.0f);
    for (float& v : input.values()) v += shift;
    const Tensor gamma = rng.tensor({channels}), beta = rng.tensor({channels}), mean = rng.tensor({channels});
    Tensor var({channels});
    for (float& v : var.values()) v = rng.uniform(0.1f, 3.0f);
    reference::BatchNormParams p;
    p.training = rng.integer(0, 1) == 1;
    p.momentum = rng.uniform(0.0f, 1.0f);
    p.eps = rng.integer(0, 1) ? 1e-5f : 1e-3f;
    std::ostringstream text;
    text << "batch norm case " << i << ": input " << shape_to_string(input.shape())
         << (p.training ? " training" : " eval") << " momentum " << p.momentum << " eps " << p.eps;
    INFO(text.str());
    Tensor op_mean = mean, op_var = var;
    auto op = reference::batch_norm2d(input, gamma, beta, op_mean, op_var, p);
    auto trace = trace_batch_norm2d(input, gamma, beta, mean, var, p);
    REQUIRE(op.ok() == trace.ok());
    if (!op.ok()) {
      CHECK(op.message() == trace.message());
      continue;
    }
    check_identical(trace->output, *op, text.str());
    REQUIRE(trace->channels.size() == static_cast<size_t>(channels));
    auto stats = reference::batch_norm_statistics(input);
    REQUIRE(stats.ok());
    for (int c = 0; c < channels; ++c) {
      const BatchNormChannelTrace& ch = trace->channels[static_cast<size_t>(c)];
      CAPTURE(c);
      CHECK(ch.count == stats->count);
      CHECK(ch.mean == stats->mean[static_cast<size_t>(c)]);
      CHECK(ch.biased_var == stats->biased_var[static_cast<size_t>(c)]);
      CHECK(ch.used_mean == (p.training ? ch.mean : mean[c]));
      CHECK(ch.used_var == (p.training ? ch.biased_var : var[c]));
      CHECK(ch.inv_std == reference::batch_norm_inv_std(ch.used_var, p.eps));
      CHECK(ch.running_mean_before == mean[c]);
      CHECK(ch.running_var_before == var[c]);
      // The trace's "after" is what the op wrote into its running stats.
      CHECK(ch.running_mean_after == op_mean[c]);
      CHECK(ch.running_var_after == op_var[c]);
      if (!p.training) CHECK(op_mean[c] == mean[c]);
    }
    // normalized * gamma + beta is the output, step by step.
    for (int64_t k = 0; k < input.numel(); k += 5) {
      const int64_t c = (k / (input.h() * input.w())) % channels;
      CHECK(trace->output[k] == reference::batch_norm_scale_shift(trace->normalized[k], gamma[c], beta[c]));
    }
  }
}

TEST_CASE("traces refuse sizes nobody can follow, saying how big and the limit") {
  SUBCASE("conv2d taps") {
    Tensor input({1, 64, 64, 64});
    Tensor weight({64, 64, 3, 3});
    auto trace = trace_conv2d(input, weight, nullptr, {});
    REQUIRE_FALSE(trace.ok());
    CAPTURE(trace.message());
    CHECK(trace.message().find("taps") != std::string::npos);
    CHECK(trace.message().find(std::to_string(int64_t{64} * 62 * 62 * 64 * 9)) != std::string::npos);
    CHECK(trace.message().find(std::to_string(kMaxTraceSteps)) != std::string::npos);
  }
  SUBCASE("conv_transpose2d intermediates") {
    Tensor input({1, 64, 32, 32});
    Tensor weight({64, 64, 4, 4});
    auto trace = trace_conv_transpose2d(input, weight, nullptr, {});
    REQUIRE_FALSE(trace.ok());
    CAPTURE(trace.message());
    CHECK(trace.message().find("intermediates") != std::string::npos);
    CHECK(trace.message().find(std::to_string(64 * 64 * 32 * 32)) != std::string::npos);
    CHECK(trace.message().find(std::to_string(kMaxTraceSteps)) != std::string::npos);
  }
  SUBCASE("conv_transpose2d intermediate values") {
    Tensor input({1, 1, 40, 40});
    Tensor weight({1, 1, 7, 7});
    ConvTranspose2dParams p;
    p.stride_h = p.stride_w = 3;
    auto trace = trace_conv_transpose2d(input, weight, nullptr, p);
    REQUIRE_FALSE(trace.ok());
    CAPTURE(trace.message());
    CHECK(trace.message().find("1600 intermediates of 124x124") != std::string::npos);
    CHECK(trace.message().find(std::to_string(kMaxTraceValues)) != std::string::npos);
  }
}
