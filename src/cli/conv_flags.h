// The convolution settings flags shared by `shape`, `trace` and `op`:
// --stride, --padding, --dilation, --output-padding, kept as text and turned
// into core parameter structs once the input and kernel sizes are known
// (padding presets depend on them).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "core/base/conv_arithmetic.h"

namespace convlab::cli {

struct ConvFlags {
  std::string stride = "1";
  std::string padding = "0";
  std::string dilation = "1";
  std::string output_padding = "0";
};

// `with_output_padding` adds --output-padding (commands that run tconv).
void add_conv_flags(CLI::App* app, ConvFlags& flags, bool with_output_padding);

// What the padding text asked for: a preset or explicit sides.
struct PaddingChoice {
  PaddingPreset preset = PaddingPreset::Custom;
  Padding2d sides;  // only when preset == Custom
};
// "P", "PH,PW", "T,B,L,R", or a preset name valid|same|full.
Result<PaddingChoice> parse_padding(const std::string& text);

// Conv settings for an input/kernel size; presets are resolved here.
// --output-padding other than 0 is refused (it belongs to tconv).
Result<Conv2dParams> conv2d_params(const ConvFlags& flags, Size2d input, Size2d kernel);
// Pooling's window from the same flags. Without --stride (stride_given
// false) the stride is the window, as PyTorch's MaxPool2d and AvgPool2d.
Result<Pool2dParams> pool2d_params(const ConvFlags& flags, bool stride_given, bool ceil_mode, Size2d input,
                                   Size2d kernel);
// Transposed conv takes numbers only: padding "P" or "PH,PW" (PyTorch pads
// it symmetrically per axis), no presets.
Result<ConvTranspose2dParams> conv_transpose2d_params(const ConvFlags& flags);

// One line describing the settings, e.g. "stride 2x2, padding T1 B1 L1 R1, dilation 1x1".
std::string describe(const Conv2dParams& params);
std::string describe(const ConvTranspose2dParams& params);

}  // namespace convlab::cli
