// Max and average pooling (PyTorch's MaxPool2d / AvgPool2d, ONNX's MaxPool /
// AveragePool), as the CPU reference and as a trace of every window: both go
// through one window function, so a trace's result is the op's output bit for
// bit. The window slides as a convolution kernel does (conv_arithmetic.h's
// Pool2dParams); each channel is pooled on its own.
//
//  max:     the largest input value the window covers; padding never wins.
//           The first of equal values is chosen and NaN propagates, as in
//           PyTorch's CPU kernel.
//  average: the sum of the window's input values (float, row by row, as
//           PyTorch's CPU kernel) divided by the count: the taps inside the
//           padded input when count_include_pad (PyTorch's default; padding
//           adds zeros), else only those on the input. A ceil_mode window's
//           taps past the padded input never count.
#pragma once

#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"

namespace convlab {

enum class PoolKind { Max, Average };
const char* pool_kind_name(PoolKind kind);  // "max" / "average"

struct PoolOptions {
  PoolKind kind = PoolKind::Max;
  Size2d kernel{2, 2};
  Pool2dParams params;
  bool count_include_pad = true;  // average only
};

// Output shape (N, C, OH, OW) of a (N, C, H, W) input, or an error naming
// the setting.
Result<Shape> pool2d_output_shape(const Shape& input, const PoolOptions& options);
Result<Shape> pool2d_output_shape(const Tensor& input, const PoolOptions& options);

namespace reference {
Result<Tensor> pool2d(const Tensor& input, const PoolOptions& options);
}  // namespace reference

// ---- the trace --------------------------------------------------------------
struct PoolTap {
  int ky = 0, kx = 0;              // window position
  int padded_y = 0, padded_x = 0;  // in the padded input (dilation included)
  int input_y = 0, input_x = 0;    // in the input (outside when on_padding)
  bool on_padding = false;         // outside the input: never the max, 0 in a sum
  bool counted = false;            // average: part of the divisor
  float input = 0;                 // 0 on padding
};

// One output cell: its window's taps row by row, then what was made of them.
struct PoolStep {
  int batch = 0, channel = 0;
  int out_y = 0, out_x = 0;
  std::vector<PoolTap> taps;
  int chosen = -1;  // max: the index of the tap taken (-1: none on the input)
  float sum = 0;    // average: the sum of the input values
  int count = 0;    // average: the divisor
  float result = 0;
};

struct PoolTrace {
  PoolOptions options;
  Shape input_shape, output_shape;
  Size2d padded;                // padded input size
  std::vector<PoolStep> steps;  // output cells in (n, c, y, x) order
  Tensor output;                // assembled from steps
};

Result<PoolTrace> trace_pool2d(const Tensor& input, const PoolOptions& options);

}  // namespace convlab
