// Pooling's own rules, beyond the PyTorch golden cases: the trace is the op
// bit for bit, ties and NaN as PyTorch's CPU kernel, what an average counts,
// and settings that are refused with a message.
#include "core/ops/pool.h"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace convlab;

namespace {

PoolOptions options(PoolKind kind, int k, int stride, int pad, bool ceil = false, bool include = true) {
  PoolOptions o;
  o.kind = kind;
  o.kernel = {k, k};
  o.params.window.stride_h = o.params.window.stride_w = stride;
  o.params.window.padding = {pad, pad, pad, pad};
  o.params.ceil_mode = ceil;
  o.count_include_pad = include;
  return o;
}

Tensor ramp(Shape shape) {
  Tensor t(shape);
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = static_cast<float>(i);
  return t;
}

}  // namespace

TEST_CASE("pooling: the textbook 2x2 window at stride 2") {
  // 0  1  2  3
  // 4  5  6  7      max: 5 7     average: 2.5  4.5
  // 8  9 10 11           13 15            10.5 12.5
  // 12 13 14 15
  const Tensor x = ramp({1, 1, 4, 4});
  auto max = reference::pool2d(x, options(PoolKind::Max, 2, 2, 0));
  REQUIRE(max.ok());
  CHECK(max->values() == std::vector<float>{5, 7, 13, 15});
  auto average = reference::pool2d(x, options(PoolKind::Average, 2, 2, 0));
  REQUIRE(average.ok());
  CHECK(average->values() == std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f});
}

TEST_CASE("pooling: every trace step is the op's output bit for bit, with its taps") {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal;
  Tensor x({2, 3, 7, 6});
  for (float& v : x.values()) v = normal(rng);
  for (PoolKind kind : {PoolKind::Max, PoolKind::Average})
    for (bool ceil : {false, true})
      for (bool include : {false, true}) {
        PoolOptions o = options(kind, 3, 2, 1, ceil, include);
        o.params.window.dilation_w = kind == PoolKind::Max ? 2 : 1;
        auto out = reference::pool2d(x, o);
        auto trace = trace_pool2d(x, o);
        REQUIRE(out.ok());
        REQUIRE(trace.ok());
        CHECK(trace->output.values() == out->values());
        REQUIRE(trace->steps.size() == static_cast<size_t>(out->numel()));
        for (const PoolStep& step : trace->steps) {
          REQUIRE(step.taps.size() == 9);
          if (kind == PoolKind::Max) {
            REQUIRE(step.chosen >= 0);
            CHECK_FALSE(step.taps[static_cast<size_t>(step.chosen)].on_padding);
            CHECK(step.taps[static_cast<size_t>(step.chosen)].input == step.result);
            for (const PoolTap& tap : step.taps) CHECK((tap.on_padding || tap.input <= step.result));
          } else {
            float sum = 0;
            int count = 0;
            for (const PoolTap& tap : step.taps) {
              if (!tap.on_padding) sum += tap.input;
              count += tap.counted;
              if (!include) CHECK(tap.counted == !tap.on_padding);
            }
            CHECK(sum == step.sum);
            CHECK(count == step.count);
            CHECK(step.result == step.sum / static_cast<float>(step.count));
          }
        }
      }
}

TEST_CASE("pooling: an average counts the padding unless told not to; past the padding never") {
  const Tensor ones = Tensor::from_data({1, 1, 3, 3}, std::vector<float>(9, 1.0f)).value();
  // 3x3 window, stride 1, padding 1: the corner window covers 4 ones and 5 padding cells.
  auto counted = reference::pool2d(ones, options(PoolKind::Average, 3, 1, 1, false, true));
  auto not_counted = reference::pool2d(ones, options(PoolKind::Average, 3, 1, 1, false, false));
  REQUIRE(counted.ok());
  REQUIRE(not_counted.ok());
  CHECK(counted->at(0, 0, 0, 0) == doctest::Approx(4.0 / 9.0));
  CHECK(counted->at(0, 0, 1, 1) == 1.0f);
  CHECK(not_counted->at(0, 0, 0, 0) == 1.0f);
  // ceil_mode: 4 columns, window 3, stride 2 -> a second window over columns
  // 2..4, of which column 4 is past the (unpadded) input and not counted.
  const Tensor row = Tensor::from_data({1, 1, 1, 4}, {1, 2, 3, 4}).value();
  PoolOptions o = options(PoolKind::Average, 1, 1, 0, true, true);
  o.kernel = {1, 3};
  o.params.window.stride_w = 2;
  auto ceil = trace_pool2d(row, o);
  REQUIRE(ceil.ok());
  REQUIRE(ceil->output.values() == std::vector<float>{2.0f, 3.5f});
  CHECK(ceil->steps[1].count == 2);
  CHECK_FALSE(ceil->steps[1].taps[2].counted);
}

TEST_CASE("pooling: ties take the first, NaN wins, as PyTorch's CPU max pool") {
  const Tensor tie = Tensor::from_data({1, 1, 2, 2}, {3, 7, 7, 1}).value();
  auto trace = trace_pool2d(tie, options(PoolKind::Max, 2, 2, 0));
  REQUIRE(trace.ok());
  CHECK(trace->steps[0].chosen == 1);
  const Tensor with_nan = Tensor::from_data({1, 1, 2, 2}, {3, std::nanf(""), 9, 1}).value();
  auto nan = reference::pool2d(with_nan, options(PoolKind::Max, 2, 2, 0));
  REQUIRE(nan.ok());
  CHECK(std::isnan(nan->at(0, 0, 0, 0)));
}

TEST_CASE("pooling: refused settings say what is wrong and what is valid") {
  const Tensor x = ramp({1, 1, 5, 5});
  auto too_much_padding = reference::pool2d(x, options(PoolKind::Max, 3, 1, 2));
  REQUIRE_FALSE(too_much_padding.ok());
  CHECK(too_much_padding.message().find("at most half the kernel, 1") != std::string::npos);
  auto too_big = reference::pool2d(x, options(PoolKind::Average, 7, 1, 0));
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.message().find("padded input has only 5") != std::string::npos);
  auto flat = reference::pool2d(Tensor({5, 5}), options(PoolKind::Max, 2, 2, 0));
  REQUIRE_FALSE(flat.ok());
  CHECK(flat.message().find("must have 4 dimensions") != std::string::npos);
}
