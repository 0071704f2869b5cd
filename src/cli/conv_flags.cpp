#include "cli/conv_flags.h"

#include <cctype>
#include <sstream>

#include "cli/cli_common.h"

namespace convlab::cli {

void add_conv_flags(CLI::App* app, ConvFlags& flags, bool with_output_padding) {
  app->add_option("--stride", flags.stride, "Stride: S or SH,SW (default 1)");
  app->add_option("--padding", flags.padding,
                  "Zero padding: P, PH,PW, T,B,L,R, or a preset valid|same|full (conv only) (default 0)");
  app->add_option("--dilation", flags.dilation, "Dilation: D or DH,DW (default 1)");
  if (with_output_padding)
    app->add_option("--output-padding", flags.output_padding,
                    "Transposed conv only: extra rows/columns at the bottom/right, A or AH,AW (default 0)");
}

Result<PaddingChoice> parse_padding(const std::string& text) {
  PaddingChoice choice;
  if (!text.empty() && std::isalpha(static_cast<unsigned char>(text.front()))) {
    auto preset = parse_padding_preset(text);
    if (!preset) return with_context("--padding: ", preset.error());
    choice.preset = *preset;
    return choice;
  }
  auto values = parse_int_list(text, "--padding");
  const char* valid = "valid: P, PH,PW, T,B,L,R (whole numbers >= 0) or valid|same|full";
  if (!values) return make_error("--padding: '", text, "' is not a padding; ", valid);
  const auto& v = *values;
  if (v.size() == 1) {
    choice.sides = {v[0], v[0], v[0], v[0]};
  } else if (v.size() == 2) {
    choice.sides = {v[0], v[0], v[1], v[1]};
  } else if (v.size() == 4) {
    choice.sides = {v[0], v[1], v[2], v[3]};
  } else {
    return make_error("--padding: '", text, "' has ", v.size(), " numbers; ", valid);
  }
  return choice;
}

Result<Conv2dParams> conv2d_params(const ConvFlags& flags, Size2d input, Size2d kernel) {
  Conv2dParams params;
  auto stride = parse_pair(flags.stride, "--stride");
  if (!stride) return stride.error();
  auto dilation = parse_pair(flags.dilation, "--dilation");
  if (!dilation) return dilation.error();
  auto output_padding = parse_pair(flags.output_padding, "--output-padding");
  if (!output_padding) return output_padding.error();
  if (output_padding->h != 0 || output_padding->w != 0)
    return make_error(
        "--output-padding applies to transposed convolution only; a conv takes 0 (leave it out)");
  params.stride_h = stride->h;
  params.stride_w = stride->w;
  params.dilation_h = dilation->h;
  params.dilation_w = dilation->w;
  auto padding = parse_padding(flags.padding);
  if (!padding) return padding.error();
  if (padding->preset == PaddingPreset::Custom) {
    params.padding = padding->sides;
    return params;
  }
  auto sides = resolve_padding(padding->preset, input, kernel, params.stride_h, params.stride_w,
                               params.dilation_h, params.dilation_w);
  if (!sides) return with_context("--padding: ", sides.error());
  params.padding = *sides;
  return params;
}

Result<Pool2dParams> pool2d_params(const ConvFlags& flags, bool stride_given, bool ceil_mode, Size2d input,
                                   Size2d kernel) {
  ConvFlags window = flags;
  if (!stride_given) window.stride = std::to_string(kernel.h) + "," + std::to_string(kernel.w);
  auto params = conv2d_params(window, input, kernel);
  if (!params) return params.error();
  return Pool2dParams{*params, ceil_mode};
}

Result<ConvTranspose2dParams> conv_transpose2d_params(const ConvFlags& flags) {
  ConvTranspose2dParams params;
  auto stride = parse_pair(flags.stride, "--stride");
  if (!stride) return stride.error();
  auto dilation = parse_pair(flags.dilation, "--dilation");
  if (!dilation) return dilation.error();
  auto output_padding = parse_pair(flags.output_padding, "--output-padding");
  if (!output_padding) return output_padding.error();
  auto padding = parse_padding(flags.padding);
  if (!padding) return padding.error();
  const char* valid =
      "a transposed conv takes P or PH,PW (PyTorch's ConvTranspose2d crops symmetrically per axis)";
  if (padding->preset != PaddingPreset::Custom)
    return make_error("--padding: presets (valid, same, full) apply to conv only; ", valid);
  const Padding2d& p = padding->sides;
  if (p.top != p.bottom || p.left != p.right)
    return make_error("--padding: '", flags.padding, "' is asymmetric; ", valid);
  params.stride_h = stride->h;
  params.stride_w = stride->w;
  params.dilation_h = dilation->h;
  params.dilation_w = dilation->w;
  params.output_padding_h = output_padding->h;
  params.output_padding_w = output_padding->w;
  params.padding_h = p.top;
  params.padding_w = p.left;
  return params;
}

std::string describe(const Conv2dParams& p) {
  std::ostringstream out;
  out << "stride " << p.stride_h << "x" << p.stride_w << ", padding T" << p.padding.top << " B"
      << p.padding.bottom << " L" << p.padding.left << " R" << p.padding.right << ", dilation "
      << p.dilation_h << "x" << p.dilation_w;
  return out.str();
}

std::string describe(const ConvTranspose2dParams& p) {
  std::ostringstream out;
  out << "stride " << p.stride_h << "x" << p.stride_w << ", padding " << p.padding_h << "x" << p.padding_w
      << ", output padding " << p.output_padding_h << "x" << p.output_padding_w << ", dilation "
      << p.dilation_h << "x" << p.dilation_w;
  return out.str();
}

}  // namespace convlab::cli
