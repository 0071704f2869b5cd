// Convolution gradients as plain loops over the forward's definition,
// accumulated in double: the oracle the fast backward (backward.h) is tested
// against. Too slow for training.
#pragma once

#include "core/train/backward.h"

namespace convlab::train::reference {

Result<ConvGrads> conv2d_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output,
                                  const Conv2dParams& params);
Result<ConvGrads> conv_transpose2d_backward(const Tensor& input, const Tensor& weight,
                                            const Tensor& grad_output, const ConvTranspose2dParams& params);

}  // namespace convlab::train::reference
