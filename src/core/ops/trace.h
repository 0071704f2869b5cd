// Traces: the step-by-step record of one op that panels, lessons and
// `convlab trace` animate. A trace reproduces its op's output exactly (the
// same float operations in the same order as reference.h); tests check this.
#pragma once

#include <cstdint>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"
#include "core/ops/reference.h"

namespace convlab {

// Traces keep every step in memory, so they are for the small examples a
// person can follow; bigger requests get an Error saying how big they would
// be. Steps: conv taps or tconv intermediates. Values: floats held by the
// tconv intermediate tensors.
inline constexpr int64_t kMaxTraceSteps = 2'000'000;
inline constexpr int64_t kMaxTraceValues = 16'000'000;

// The batch-norm settings are the op's own (reference.h).
using reference::BatchNormParams;

// ---- conv2d ---------------------------------------------------------------
// One kernel tap of one output cell.
struct ConvTap {
  int channel = 0;                 // input channel c
  int ky = 0, kx = 0;              // kernel position
  int padded_y = 0, padded_x = 0;  // position in the zero-padded input (dilation included)
  int input_y = 0, input_x = 0;    // position in the input (may be outside when on_padding)
  bool on_padding = false;         // falls on the zero frame
  float input = 0;                 // 0 on padding
  float weight = 0;
  float product = 0;
  float running_sum = 0;  // sum of products so far, including this one
};

// One output cell: all its taps in accumulation order, then bias and result.
struct ConvStep {
  int batch = 0, out_channel = 0;
  int out_y = 0, out_x = 0;
  std::vector<ConvTap> taps;
  float bias = 0;
  float result = 0;  // taps.back().running_sum + bias, == reference::conv2d output
};

struct ConvTrace {
  Conv2dParams params;
  Shape input_shape, weight_shape, output_shape;
  Size2d padded;                // padded input size
  std::vector<ConvStep> steps;  // output cells in (n, o, y, x) order
  Tensor output;                // assembled from steps
};

Result<ConvTrace> trace_conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                               const Conv2dParams& params);

// ---- conv_transpose2d -------------------------------------------------------
// The intermediate tensor of one input element: the kernel (for one output
// channel) scaled by the element, placed at its stride offset in the
// uncropped output. At stride 1 and no padding, the seed's picture: n_h*n_w
// intermediates of (n_h+k_h-1) x (n_w+k_w-1).
struct TconvIntermediate {
  int batch = 0, out_channel = 0;
  int channel = 0, in_y = 0, in_x = 0;  // the input element
  float value = 0;
  int origin_y = 0, origin_x = 0;  // where the kernel's (0,0) lands (in_y*stride)
  Tensor contribution;             // (full_h, full_w), zero where the kernel does not reach
};

struct TconvTrace {
  ConvTranspose2dParams params;
  Shape input_shape, weight_shape, output_shape;
  Size2d full;                                   // uncropped size: (in-1)s + d(k-1) + 1 + output_padding
  std::vector<TconvIntermediate> intermediates;  // (n, o, c, iy, ix) order
  Tensor full_sum;                               // (N, O, full_h, full_w): the sum of intermediates
  int crop_top = 0, crop_left = 0;               // = padding; the output is full_sum cropped, + bias
  Tensor output;                                 // == reference::conv_transpose2d output
};

Result<TconvTrace> trace_conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                          const ConvTranspose2dParams& params);

// ---- batch norm -------------------------------------------------------------
struct BatchNormChannelTrace {
  int channel = 0;
  int64_t count = 0;  // N*H*W values feed the statistics
  float mean = 0;
  float biased_var = 0;               // normalizes in training
  float unbiased_var = 0;             // updates running_var
  float used_mean = 0, used_var = 0;  // what normalization used (batch or running)
  float inv_std = 0;                  // 1/sqrt(used_var + eps)
  float gamma = 0, beta = 0;
  float running_mean_before = 0, running_var_before = 0;
  float running_mean_after = 0, running_var_after = 0;
};

struct BatchNormTrace {
  BatchNormParams params;
  std::vector<BatchNormChannelTrace> channels;
  Tensor normalized;  // (x - mean) * inv_std
  Tensor output;      // normalized * gamma + beta == reference::batch_norm2d output
};

// Does not modify the running statistics it is given (the trace holds the
// before/after values).
Result<BatchNormTrace> trace_batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                          const Tensor& running_mean, const Tensor& running_var,
                                          const BatchNormParams& params);

}  // namespace convlab
