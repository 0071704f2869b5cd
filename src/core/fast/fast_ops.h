// The CPU fast path: convolutions as matrix products (im2col / col2im around
// sgemm, both cores; Winograd F(4x4, 3x3) for big 3x3 layers, winograd.h),
// with an optional fused per-channel epilogue so bias + folded batch norm +
// ReLU cost one pass. Tested against reference.h.
#pragma once

#include <cstdint>
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

Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                      const Conv2dParams& params, const Epilogue& epilogue = {});
Status conv2d_into(const Tensor& input, const Tensor& weight, const Tensor* bias, const Conv2dParams& params,
                   const Epilogue& epilogue, OutputSlot slot);

Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const ConvTranspose2dParams& params, const Epilogue& epilogue = {});
Status conv_transpose2d_into(const Tensor& input, const Tensor& weight, const Tensor* bias,
                             const ConvTranspose2dParams& params, const Epilogue& epilogue, OutputSlot slot);

// Threads that share each convolution (default: all cores). The work is
// split by our own pool; the matrix product itself runs one thread.
void set_threads(int threads);
int threads();

// Readies the matrix product ahead of the first convolution (oneDNN writes
// its code on its first call: about 0.1 s, once per process). Call it where
// that can overlap other work; safe from any thread, and cheap once done.
void warm_up();

// Testing hook: the most floats one im2col / col tile may hold (default
// 4 Mi; <= 0 restores it). Tests make it tiny so that the tiling of big
// images runs on small ones. Returns the previous budget.
int64_t set_tile_budget_for_testing(int64_t floats);

}  // namespace convlab::fast
