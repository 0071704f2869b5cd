// Max and average pooling on the fast path: the same windows, order of
// additions and NaN / padding rules as reference::pool2d (core/ops/pool.h,
// the one definition), so the results are bit for bit the same, but with
// each window's valid rows and columns worked out once instead of testing
// every tap, and the planes shared between the cores.
#pragma once

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"

namespace convlab::fast {

struct PoolWindow {
  bool max = true;  // false: average
  Size2d kernel{2, 2};
  Pool2dParams params;
  bool count_include_pad = true;  // average only
};

// input (N, C, H, W) -> (N, C, OH, OW).
Result<Tensor> pool2d(const Tensor& input, const PoolWindow& window);

}  // namespace convlab::fast
