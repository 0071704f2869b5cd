// The ops a classifier adds to training, forward in training mode and
// backward, with PyTorch's semantics: max pooling (the gradient goes to the
// one input each window picked), flatten, a linear layer (ONNX's Gemm with
// the weight transposed, PyTorch's nn.Linear) and softmax cross-entropy, the
// loss of F.cross_entropy (mean over the batch).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/tensor.h"
#include "core/ops/pool.h"

namespace convlab::train {

// Max pooling that remembers, for every output value, the flat index (within
// its (n, c) plane) of the input it took; -1 where the window saw only
// padding. Ties go to the first tap in row-major window order, as PyTorch's.
struct MaxPoolTrainResult {
  Tensor output;
  std::vector<int32_t> argmax;  // one per output value
};
Result<MaxPoolTrainResult> max_pool2d_train(const Tensor& input, const PoolOptions& options);
// Gradient of the input (input_shape): each output's gradient added to the
// input it picked.
Result<Tensor> max_pool2d_backward(const Shape& input_shape, std::span<const int32_t> argmax,
                                   const Tensor& grad_output);

// x (N, K), weight (O, K), bias (O) -> x weight^T + bias, (N, O).
Result<Tensor> linear(const Tensor& x, const Tensor& weight, const Tensor& bias);
struct LinearGrads {
  Tensor input;   // (N, K)
  Tensor weight;  // (O, K)
  Tensor bias;    // (O)
};
Result<LinearGrads> linear_backward(const Tensor& x, const Tensor& weight, const Tensor& grad_output);

// F.cross_entropy(logits, labels): mean over the N rows of
// logsumexp(row) - row[label], in double. labels in [0, K).
Result<float> softmax_cross_entropy(const Tensor& logits, std::span<const int64_t> labels);
// d loss / d logits = (softmax(row) - onehot(label)) / N * grad_loss.
Result<Tensor> softmax_cross_entropy_backward(const Tensor& logits, std::span<const int64_t> labels,
                                              float grad_loss = 1.0f);

}  // namespace convlab::train
