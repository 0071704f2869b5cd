// The training loss: mean squared error between the predicted and the true
// a,b channels, as PyTorch's F.mse_loss(prediction, target) (reduction "mean").
#pragma once

#include "core/base/tensor.h"

namespace convlab::train {

// sum((prediction - target)^2) / numel, summed in double. Shapes must match.
Result<float> mse_loss(const Tensor& prediction, const Tensor& target);

// d loss / d prediction = 2 * (prediction - target) / numel * grad_loss,
// with 2/numel rounded to float first, as PyTorch's mse_loss_backward.
Result<Tensor> mse_loss_backward(const Tensor& prediction, const Tensor& target, float grad_loss = 1.0f);

}  // namespace convlab::train
