// Convolution arithmetic: the one place that knows output sizes, padding
// presets and which settings are impossible. Every op, trace, panel and CLI
// command asks here; nothing else re-derives these formulas.
#pragma once

#include <string>

#include "core/base/result.h"

namespace convlab {

struct Size2d {
  int h = 0;
  int w = 0;
  bool operator==(const Size2d&) const = default;
};

// Zero padding per side. PyTorch's symmetric padding p is {p, p, p, p}.
struct Padding2d {
  int top = 0, bottom = 0, left = 0, right = 0;
  bool operator==(const Padding2d&) const = default;
};

struct Conv2dParams {
  int stride_h = 1, stride_w = 1;
  Padding2d padding;
  int dilation_h = 1, dilation_w = 1;
  // Channels split into this many groups, each convolved with its own filters
  // (in_channels = groups, a depthwise conv). The weight is (O, C / groups,
  // KH, KW). The reference, fast and GPU paths run any groups; the
  // step-by-step trace (trace.h) refuses groups > 1.
  int groups = 1;
};

// PyTorch ConvTranspose2d semantics: symmetric padding per axis (it crops
// the full output), output_padding adds rows/columns at the bottom/right.
struct ConvTranspose2dParams {
  int stride_h = 1, stride_w = 1;
  int padding_h = 0, padding_w = 0;
  int output_padding_h = 0, output_padding_w = 0;
  int dilation_h = 1, dilation_w = 1;
  int groups = 1;  // as Conv2dParams::groups; the weight is (C, O / groups, KH, KW)
};

// Max and average pooling windows, PyTorch's MaxPool2d / AvgPool2d and ONNX's
// MaxPool / AveragePool: the window slides as a convolution kernel does
// (stride, padding per side, dilation), and ceil_mode keeps a last window
// that only partly covers the padded input, as long as it starts inside the
// input or its top/left padding.
struct Pool2dParams {
  Conv2dParams window;
  bool ceil_mode = false;
  // PyTorch refuses padding over half the window (every window must reach
  // the input); ONNX allows it: a window on padding alone then pools nothing
  // (max: -inf; average: 0 counted taps give 0/0).
  bool padding_at_most_half = true;
};

enum class PaddingPreset { Valid, Same, Full, Custom };

// "valid", "same", "full" (case-insensitive); anything else is an error that
// lists the valid names.
Result<PaddingPreset> parse_padding_preset(const std::string& name);
const char* padding_preset_name(PaddingPreset preset);

// The extent of a dilated kernel: d*(k-1)+1.
int dilated_kernel_extent(int kernel, int dilation);

// Resolves a preset to per-side padding for one conv layer.
//  valid: no padding.
//  full:  dilated_extent-1 on every side (every partial overlap is an output).
//  same:  stride 1: total = dilated_extent-1, PyTorch's split (the extra row /
//         column of an even field goes bottom/right); stride > 1: output =
//         ceil(input/stride), total = max((out-1)*s + extent - input, 0),
//         extra at bottom/right.
// Custom is not resolvable here (the caller has the sides); it is an error.
Result<Padding2d> resolve_padding(PaddingPreset preset, Size2d input, Size2d kernel, int stride_h,
                                  int stride_w, int dilation_h, int dilation_w);

// Output size with full validation: kernel, stride, dilation >= 1, padding
// >= 0, and the dilated kernel must fit in the padded input. Errors name the
// setting and what would be valid, e.g. "the dilated kernel covers 7 rows but
// the padded input has only 5: use padding >= 1 per side, dilation <= 2 or a
// kernel <= 3".
Result<Size2d> conv2d_output_size(Size2d input, Size2d kernel, const Conv2dParams& params);
// floor((in + pad_a + pad_b - d(k-1) - 1)/s) + 1 for one axis, unchecked.
int conv2d_output_extent(int input, int kernel, int stride, int pad_before, int pad_after, int dilation);

// Pooling: the checks of conv2d_output_size, and each side's padding at most
// half the kernel (PyTorch's rule: every window then reaches the input, so a
// max is never taken over padding alone). ceil_mode rounds up; see Pool2dParams.
Result<Size2d> pool2d_output_size(Size2d input, Size2d kernel, const Pool2dParams& params);
int pool2d_output_extent(int input, int kernel, int stride, int pad_before, int pad_after, int dilation,
                         bool ceil_mode);

// (in-1)s - 2p + d(k-1) + output_padding + 1, with validation: output_padding
// must be smaller than stride or dilation (PyTorch's rule), the result >= 1.
Result<Size2d> conv_transpose2d_output_size(Size2d input, Size2d kernel, const ConvTranspose2dParams& params);
int conv_transpose2d_output_extent(int input, int kernel, int stride, int padding, int output_padding,
                                   int dilation);

// The formula with the numbers put in, one line per axis when they differ:
// "H: floor((5 + 1 + 1 - 2*(3 - 1) - 1) / 2) + 1 = 2".
std::string conv2d_formula(Size2d input, Size2d kernel, const Conv2dParams& params);
std::string conv_transpose2d_formula(Size2d input, Size2d kernel, const ConvTranspose2dParams& params);
// floor(...) as conv2d's; with ceil_mode "ceil(...) + 1", and "- 1" where the
// last window would start past the input and its top/left padding.
std::string pool2d_formula(Size2d input, Size2d kernel, const Pool2dParams& params);

}  // namespace convlab
