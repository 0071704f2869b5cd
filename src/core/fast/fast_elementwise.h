// ReLU and same-shape elementwise ops on the fast path: the reference's
// arithmetic (core/ops/tensor_ops.h apply_binary, reference::relu), so the
// results are bit for bit the same, as one flat loop per op that the
// compiler vectorizes, shared between the cores. The reference walks every
// element through its broadcasting index arithmetic and a switch on the op:
// a ResNet's residual additions spent longer there than in some of its
// convolutions.
#pragma once

#include "core/base/tensor.h"
#include "core/ops/tensor_ops.h"

namespace convlab::fast {

// max(x, 0), NaN passing through.
Tensor relu(const Tensor& input);

// a (op) b for tensors of one shape, then ReLU when `relu` (a residual
// block's Add and the ReLU after it in one pass). Callers send other shapes
// (broadcasting) to reference::binary.
Result<Tensor> binary_same_shape(reference::BinaryOp op, const Tensor& a, const Tensor& b, bool relu = false);

}  // namespace convlab::fast
