// Train-mode forward ops: what a training step runs forward, with what the
// backward pass needs kept. Same semantics as reference.h (PyTorch's), but
// batched over images (conv_matrix.h) and with batch norm saving its
// statistics; tested against the reference ops.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"

namespace convlab::train {

// input (N,C,H,W), weight (O,C,KH,KW), bias (O) or nullptr -> (N,O,OH,OW).
Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                      const Conv2dParams& params);
// input (N,C,H,W), weight (C,O,KH,KW), bias (O) or nullptr -> (N,O,OH,OW).
Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const ConvTranspose2dParams& params);

// What batch norm's backward needs from its training forward: the batch
// mean and 1/sqrt(biased var + eps) of each channel.
struct BatchNormSaved {
  std::vector<float> mean;
  std::vector<float> inv_std;
};

struct BatchNormTrainResult {
  Tensor output;
  BatchNormSaved saved;
};

struct BatchNormTrainParams {
  float momentum = 0.1f;
  float eps = 1e-5f;
  bool relu = false;  // apply ReLU to the output in the same pass
};

// Batch norm in training mode, as PyTorch's CPU kernel: statistics in double
// (two passes), output = x * alpha + (beta - mean * alpha) with alpha =
// inv_std * gamma, and running_mean / running_var (unbiased) updated in place
// with the momentum.
Result<BatchNormTrainResult> batch_norm2d_train(const Tensor& input, const Tensor& gamma, const Tensor& beta,
                                                Tensor& running_mean, Tensor& running_var,
                                                const BatchNormTrainParams& params);

// The layout ops as reference.h defines them, shared between the fast
// path's threads (they move tens of megabytes per training step).
Tensor relu(const Tensor& input);
Result<Tensor> concat_channels(std::span<const Tensor* const> inputs);
Result<Tensor> embed_broadcast(const Tensor& table, std::span<const int64_t> categories, int64_t height,
                               int64_t width);

}  // namespace convlab::train
