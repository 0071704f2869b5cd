// Max and average pooling on the fast path: the same windows, order of
// additions and NaN / padding rules as reference::pool2d (core/ops/pool.h,
// the one definition), so the results are bit for bit the same, but with
// each window's valid rows and columns worked out once instead of testing
// every tap, and the planes shared between the cores.
#pragma once

#include "core/base/tensor.h"
#include "core/ops/pool.h"

namespace convlab::fast {

// input (N, C, H, W) -> (N, C, OH, OW).
Result<Tensor> pool2d(const Tensor& input, const PoolOptions& window);

}  // namespace convlab::fast
