// The CPU fast path: convolutions as matrix products (im2col / col2im around
// OpenBLAS sgemm, both cores), with an optional fused per-channel epilogue so
// bias + folded batch norm + ReLU cost one pass. Tested against reference.h.
#pragma once

#include <span>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"

namespace convlab::fast {

// out[o] = act(acc[o] * scale[o] + shift[o]); empty scale means 1, empty
// shift means 0 (the bias, if any, is added before: acc includes it).
struct Epilogue {
  std::span<const float> scale;
  std::span<const float> shift;
  bool relu = false;
};

// Where to write: a tensor of shape (N, >= channel_offset + O, OH, OW); the
// result fills channels [channel_offset, channel_offset + O). This is how a
// concat costs nothing: producers write straight into the joined tensor.
struct OutputSlot {
  Tensor* tensor = nullptr;
  int channel_offset = 0;
};

Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias, const Conv2dParams& params,
                      const Epilogue& epilogue = {});
Status conv2d_into(const Tensor& input, const Tensor& weight, const Tensor* bias, const Conv2dParams& params,
                   const Epilogue& epilogue, OutputSlot slot);

Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const ConvTranspose2dParams& params, const Epilogue& epilogue = {});
Status conv_transpose2d_into(const Tensor& input, const Tensor& weight, const Tensor* bias,
                             const ConvTranspose2dParams& params, const Epilogue& epilogue, OutputSlot slot);

// Threads used by sgemm and the im2col loops (default: all cores).
void set_threads(int threads);
int threads();

}  // namespace convlab::fast
