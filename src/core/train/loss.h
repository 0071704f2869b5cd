// The training loss: mean squared error between the predicted and the true
// a,b channels, as PyTorch's F.mse_loss(prediction, target) (reduction "mean"),
// optionally weighted by the true chroma.
#pragma once

#include "core/base/tensor.h"

namespace convlab::train {

// sum((prediction - target)^2) / numel, summed in double. Shapes must match.
Result<float> mse_loss(const Tensor& prediction, const Tensor& target);

// d loss / d prediction = 2 * (prediction - target) / numel * grad_loss,
// with 2/numel rounded to float first, as PyTorch's mse_loss_backward.
Result<Tensor> mse_loss_backward(const Tensor& prediction, const Tensor& target, float grad_loss = 1.0f);

// Chroma-weighted MSE, to keep saturated colors from fading: a plain MSE
// pulls an uncertain pixel to the mean of its possible colors, which is grey.
// Every pixel of (N, 2, H, W) gets the weight w = 1 + chroma_weight * |ab| / 100
// from its true chroma |ab| = sqrt(a^2 + b^2), on both a and b, and
//   loss = sum(w * (prediction - target)^2) / sum(w over the values),
// so chroma_weight 0 is mse_loss and the loss stays in MSE's units. The
// PyTorch form (tools/train_pytorch.py):
//   w = 1 + k * target.norm(dim=1, keepdim=True) / 100
//   loss = (w * (p - t) ** 2).sum() / w.expand_as(p).sum()
Result<float> chroma_weighted_loss(const Tensor& prediction, const Tensor& target, float chroma_weight);
// d loss / d prediction = 2 * w * (prediction - target) / sum(w) * grad_loss.
Result<Tensor> chroma_weighted_loss_backward(const Tensor& prediction, const Tensor& target,
                                             float chroma_weight, float grad_loss = 1.0f);

}  // namespace convlab::train
