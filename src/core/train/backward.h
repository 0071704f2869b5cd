// Gradients of every op ECNN uses, with PyTorch's semantics: given an op's
// inputs and the gradient of the loss with respect to its output, the
// gradients with respect to its inputs and parameters.
//
// The convolutions run as matrix products (conv_matrix.h: im2col / col2im
// around sgemm (gemm.h), images shared between the fast path's threads);
// reference_backward.h has the same gradients as plain loops to test them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"
#include "core/train/forward.h"

namespace convlab::train {

// Gradients of a convolution; `input` is empty when it was not asked for
// (the input of the first layer is data, not something to learn).
struct ConvGrads {
  Tensor input;   // like the op's input
  Tensor weight;  // like the weight
  Tensor bias;    // (O)
};

// input (N,C,H,W), weight (O,C,KH,KW), grad_output (N,O,OH,OW).
Result<ConvGrads> conv2d_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output,
                                  const Conv2dParams& params, bool want_input = true);
// input (N,C,H,W), weight (C,O,KH,KW), grad_output (N,O,OH,OW).
Result<ConvGrads> conv_transpose2d_backward(const Tensor& input, const Tensor& weight,
                                            const Tensor& grad_output, const ConvTranspose2dParams& params,
                                            bool want_input = true);

struct BatchNormGrads {
  Tensor input;
  Tensor weight;  // gamma
  Tensor bias;    // beta
};

// Batch norm in training mode (the batch statistics depend on the input, so
// every input gets a share of every other's gradient):
//   dx = (dy - mean(dy) - x_mu * sum(dy * x_mu) * inv_std^2 / M) * inv_std * gamma
//   dgamma = sum(dy * x_mu) * inv_std, dbeta = sum(dy), M = N*H*W.
// With relu_output (the ReLU fused after it), dy is grad_output where
// relu_output > 0 and 0 elsewhere (PyTorch's threshold_backward).
Result<BatchNormGrads> batch_norm2d_backward(const Tensor& input, const Tensor& gamma,
                                             const BatchNormSaved& saved, const Tensor& grad_output,
                                             const Tensor* relu_output = nullptr);

// grad_output where output > 0, else 0 (output: the ReLU's result).
Result<Tensor> relu_backward(const Tensor& output, const Tensor& grad_output);

// Splits the gradient of a channel concat into one gradient per input, of
// channels[i] channels each (they must add up to grad_output's channels).
Result<std::vector<Tensor>> concat_channels_backward(const Tensor& grad_output,
                                                     std::span<const int64_t> channels);

// Gradient of the embedding table (rows, dim) from the gradient of its
// broadcast (N, dim, H, W): row categories[n] gets the H*W sum of image n's
// planes (added up when images share a category); rows no image uses get 0.
Result<Tensor> embed_broadcast_backward(const Tensor& grad_output, std::span<const int64_t> categories,
                                        int64_t rows);

}  // namespace convlab::train
