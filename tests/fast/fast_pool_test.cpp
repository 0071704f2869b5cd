// The fast path's pooling against the one definition (reference::pool2d):
// bit for bit, over windows with stride, padding, dilation, ceil mode, both
// counting rules, NaN inputs and windows that see only padding.
#include "core/fast/fast_pool.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/ops/pool.h"
#include "test_support.h"

namespace convlab {
namespace {

using testing::same_bits;

Tensor numbers(Shape shape, uint32_t seed) { return testing::sequence_tensor(std::move(shape), seed); }

TEST_CASE("fast pooling gives the reference's values bit for bit") {
  struct Case {
    Size2d kernel;
    int stride, pad, dilation;
    bool ceil, include_pad;
  };
  const Case cases[] = {{{2, 2}, 2, 0, 1, false, true}, {{3, 3}, 2, 1, 1, false, true},
                        {{3, 3}, 2, 1, 1, true, false}, {{3, 2}, 1, 1, 2, false, true},
                        {{2, 3}, 3, 1, 1, true, true},  {{4, 4}, 2, 2, 1, true, false},
                        {{5, 5}, 1, 3, 1, false, true}};  // pad 3 > half of 5: windows on padding alone
  Tensor x = numbers({2, 3, 11, 9}, 7);
  x[5] = std::numeric_limits<float>::quiet_NaN();
  for (const Case& c : cases)
    for (PoolKind kind : {PoolKind::Max, PoolKind::Average}) {
      PoolOptions o;
      o.kind = kind;
      o.kernel = c.kernel;
      o.params.window =
          Conv2dParams{c.stride, c.stride, Padding2d{c.pad, c.pad, c.pad, c.pad}, c.dilation, c.dilation};
      o.params.ceil_mode = c.ceil;
      o.params.padding_at_most_half = false;
      o.count_include_pad = c.include_pad;
      CAPTURE(c.kernel.h);
      CAPTURE(c.stride);
      CAPTURE(c.pad);
      CAPTURE(c.ceil);
      CAPTURE(pool_kind_name(kind));
      auto want = reference::pool2d(x, o);
      auto got = fast::pool2d(x, o);
      REQUIRE(want.ok());
      REQUIRE(got.ok());
      REQUIRE(got->shape() == want->shape());
      int64_t differ = 0;
      for (int64_t i = 0; i < want->numel(); ++i) differ += same_bits((*got)[i], (*want)[i]) ? 0 : 1;
      CHECK(differ == 0);
    }
}

TEST_CASE("fast max pooling across whole rows keeps the reference's first maximum, signed zeros and NaN") {
  // ResNet's stem: 3x3, stride 2, padding 1, on a row wide enough that most
  // windows lie inside it (the loops swapped, x innermost). Ties between 0
  // and -0 keep the first in (ky, kx) order; a NaN anywhere wins.
  Tensor x = numbers({1, 2, 7, 40}, 3);
  for (int64_t i = 0; i < x.numel(); i += 3) x[i] = (i / 3) % 2 == 0 ? 0.0f : -0.0f;
  for (int64_t i = 1; i < x.numel(); i += 5) x[i] = -1.0f;  // windows of zeros only
  x[90] = std::numeric_limits<float>::quiet_NaN();
  x[300] = std::numeric_limits<float>::infinity();
  for (int stride : {1, 2, 3}) {
    PoolOptions o;
    o.kind = PoolKind::Max;
    o.kernel = {3, 3};
    o.params.window = Conv2dParams{stride, stride, Padding2d{1, 1, 1, 1}, 1, 1};
    CAPTURE(stride);
    auto want = reference::pool2d(x, o);
    auto got = fast::pool2d(x, o);
    REQUIRE(want.ok());
    REQUIRE(got.ok());
    REQUIRE(got->shape() == want->shape());
    int64_t differ = 0, nan = 0;
    for (int64_t i = 0; i < want->numel(); ++i) {
      differ += same_bits((*got)[i], (*want)[i]) ? 0 : 1;
      nan += std::isnan((*got)[i]) ? 1 : 0;
    }
    CHECK(differ == 0);
    CHECK(nan > 0);
  }
}

TEST_CASE("fast pooling refuses a window larger than the padded input, as the reference does") {
  const Tensor x = numbers({1, 1, 2, 2}, 1);
  Pool2dParams params;
  params.window.stride_h = params.window.stride_w = 1;
  CHECK_FALSE(fast::pool2d(x, PoolOptions{PoolKind::Max, {3, 3}, params, true}).ok());
  CHECK_FALSE(fast::pool2d(Tensor({2, 2}), PoolOptions{PoolKind::Max, {1, 1}, params, true}).ok());
}

}  // namespace
}  // namespace convlab
