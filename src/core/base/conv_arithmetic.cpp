#include "core/base/conv_arithmetic.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <sstream>
#include <utility>

#include "core/base/i18n.h"

namespace convlab {

namespace {

// Everything below is per axis; this names the axis in messages and formulas.
struct Axis {
  const char* name;    // "height" / "width"
  const char* letter;  // "H" / "W"
  const char* lines;   // "rows" / "columns"
  const char* before;  // "top" / "left"
  const char* after;   // "bottom" / "right"
};
constexpr Axis kHeight{"height", "H", "rows", "top", "bottom"};
constexpr Axis kWidth{"width", "W", "columns", "left", "right"};

// The axis words of the messages people read in the app (the explorers'
// "No output: ..."), in the UI language.
bool is_height(const Axis& axis) { return axis.letter[0] == 'H'; }
const char* shown_name(const Axis& axis) {
  return is_height(axis) ? trc("axis", "height") : trc("axis", "width");
}
const char* shown_lines(const Axis& axis) {
  return is_height(axis) ? trc("axis", "rows") : trc("axis", "columns");
}
const char* shown_before(const Axis& axis) {
  return is_height(axis) ? trc("padding side", "top") : trc("padding side", "left");
}
const char* shown_after(const Axis& axis) {
  return is_height(axis) ? trc("padding side", "bottom") : trc("padding side", "right");
}

// Floor division that is also right for negative numerators (C++ truncates).
int64_t floor_div(int64_t numerator, int64_t denominator) {
  int64_t q = numerator / denominator;
  if ((numerator % denominator != 0) && ((numerator < 0) != (denominator < 0))) --q;
  return q;
}

int64_t ceil_div_positive(int64_t numerator, int64_t denominator) {
  return (numerator + denominator - 1) / denominator;
}

int64_t extent64(int kernel, int dilation) { return int64_t{dilation} * (kernel - 1) + 1; }

Status check_at_least_one(int value, const char* setting, const Axis& axis, const char* why) {
  if (value >= 1) return {};
  return make_error(setting, " (", axis.name, ") is ", value, " but must be >= 1: ", why);
}

Status check_input_and_kernel(int input, int kernel, const Axis& axis) {
  CONVLAB_TRY(check_at_least_one(input, "input size", axis, "an input needs at least one row and column"));
  CONVLAB_TRY(check_at_least_one(kernel, "kernel size", axis, "a kernel needs at least one tap"));
  return {};
}

Status check_stride_and_dilation(int stride, int dilation, const Axis& axis) {
  CONVLAB_TRY(check_at_least_one(stride, "stride", axis,
                                 "use stride 1 to visit every position, 2 to skip every other"));
  CONVLAB_TRY(
      check_at_least_one(dilation, "dilation", axis, "use dilation 1 for no gaps between kernel taps"));
  return {};
}

Status check_not_negative(int value, const std::string& setting, const Axis& axis) {
  if (value >= 0) return {};
  return make_error(setting, " (", axis.name, ") is ", value, " but must be >= 0 (0 means none)");
}

Status check_fits_int(int64_t value, const char* what, const Axis& axis) {
  if (value <= INT_MAX) return {};
  return make_error(what, " (", axis.name, ") would be ", value, ", larger than ", INT_MAX,
                    ": use smaller sizes or settings");
}

// The dilated kernel must fit in the padded input; otherwise say which
// settings would make it fit.
Status check_kernel_fits(int input, int kernel, int pad_before, int pad_after, int dilation,
                         const Axis& axis) {
  const int64_t padded = int64_t{input} + pad_before + pad_after;
  const int64_t extent = extent64(kernel, dilation);
  if (extent <= padded) return {};
  const auto count = [](int64_t value) { return static_cast<long long>(value); };
  std::string text = format(
      tr("the dilated kernel covers %lld %s (%s: dilation %d * (kernel %d - 1) + 1) but the padded input "
         "has only %lld (%d + %d + %d): use padding %s + %s >= %lld (e.g. %lld per side)"),
      count(extent), shown_lines(axis), shown_name(axis), dilation, kernel, count(padded), input, pad_before,
      pad_after, shown_before(axis), shown_after(axis), count(extent - input),
      count(ceil_div_positive(extent - input, 2)));
  if (kernel > 1) {
    const int64_t max_dilation = (padded - 1) / (kernel - 1);
    if (max_dilation >= 1) text += format(tr(", dilation <= %lld"), count(max_dilation));
  }
  text += format(tr(" or a kernel <= %lld"), count((padded - 1) / dilation + 1));
  return Error{text};
}

Status check_conv_axis(int input, int kernel, int stride, int pad_before, int pad_after, int dilation,
                       const Axis& axis) {
  CONVLAB_TRY(check_input_and_kernel(input, kernel, axis));
  CONVLAB_TRY(check_stride_and_dilation(stride, dilation, axis));
  CONVLAB_TRY(check_not_negative(pad_before, std::string("padding ") + axis.before, axis));
  CONVLAB_TRY(check_not_negative(pad_after, std::string("padding ") + axis.after, axis));
  CONVLAB_TRY(check_kernel_fits(input, kernel, pad_before, pad_after, dilation, axis));
  return {};
}

int64_t conv_extent64(int input, int kernel, int stride, int pad_before, int pad_after, int dilation) {
  if (stride < 1) return 0;  // unchecked callers must not divide by zero
  return floor_div(int64_t{input} + pad_before + pad_after - int64_t{dilation} * (kernel - 1) - 1, stride) +
         1;
}

// PyTorch's pooling_output_shape for one axis.
int64_t pool_extent64(int input, int kernel, int stride, int pad_before, int pad_after, int dilation,
                      bool ceil_mode) {
  if (stride < 1) return 0;
  const int64_t span = int64_t{input} + pad_before + pad_after - int64_t{dilation} * (kernel - 1) - 1;
  int64_t out = floor_div(span + (ceil_mode ? stride - 1 : 0), stride) + 1;
  if (ceil_mode && (out - 1) * stride >= int64_t{input} + pad_before) --out;
  return out;
}

Status check_pool_axis(int input, int kernel, int stride, int pad_before, int pad_after, int dilation,
                       const Axis& axis, bool padding_at_most_half) {
  CONVLAB_TRY(check_conv_axis(input, kernel, stride, pad_before, pad_after, dilation, axis));
  if (!padding_at_most_half) return {};
  for (const auto& [pad, side] :
       {std::pair{pad_before, shown_before(axis)}, std::pair{pad_after, shown_after(axis)}})
    if (pad > kernel / 2)
      return Error{
          format(tr("padding %s (%s) is %d but pooling allows at most half the kernel, %d: each window "
                    "must reach the input (PyTorch's rule)"),
                 side, shown_name(axis), pad, kernel / 2)};
  return {};
}

int64_t tconv_extent64(int input, int kernel, int stride, int padding, int output_padding, int dilation) {
  return (int64_t{input} - 1) * stride - 2 * int64_t{padding} + int64_t{dilation} * (kernel - 1) +
         output_padding + 1;
}

Status check_tconv_axis(int input, int kernel, int stride, int padding, int output_padding, int dilation,
                        const Axis& axis) {
  CONVLAB_TRY(check_input_and_kernel(input, kernel, axis));
  CONVLAB_TRY(check_stride_and_dilation(stride, dilation, axis));
  CONVLAB_TRY(check_not_negative(padding, "padding", axis));
  CONVLAB_TRY(check_not_negative(output_padding, "output_padding", axis));
  // PyTorch's rule: output_padding only picks among the sizes a stride (or
  // dilation) makes ambiguous, so it must be below one of them.
  if (output_padding >= stride && output_padding >= dilation)
    return Error{format(tr("output_padding (%s) is %d but must be smaller than stride %d or dilation %d: use "
                           "output_padding <= %d"),
                        shown_name(axis), output_padding, stride, dilation, std::max(stride, dilation) - 1)};
  const int64_t output = tconv_extent64(input, kernel, stride, padding, output_padding, dilation);
  if (output < 1) {
    const int64_t full = output + 2 * int64_t{padding};  // the uncropped size
    return Error{
        format(tr("padding (%s) %d crops %lld %s but the uncropped output has only %lld (output would be "
                  "%lld): use padding <= %lld, a larger kernel or a larger stride"),
               shown_name(axis), padding, static_cast<long long>(2 * int64_t{padding}), shown_lines(axis),
               static_cast<long long>(full), static_cast<long long>(output),
               static_cast<long long>(std::max<int64_t>((full - 1) / 2, 0)))};
  }
  return check_fits_int(output, "output size", axis);
}

std::string conv_axis_formula(int input, int kernel, int stride, int pad_before, int pad_after,
                              int dilation) {
  std::ostringstream out;
  out << "floor((" << input << " + " << pad_before << " + " << pad_after << " - " << dilation << "*("
      << kernel << " - 1) - 1) / " << stride
      << ") + 1 = " << conv_extent64(input, kernel, stride, pad_before, pad_after, dilation);
  return out.str();
}

std::string pool_axis_formula(int input, int kernel, int stride, int pad_before, int pad_after, int dilation,
                              bool ceil_mode) {
  if (!ceil_mode) return conv_axis_formula(input, kernel, stride, pad_before, pad_after, dilation);
  const int64_t out = pool_extent64(input, kernel, stride, pad_before, pad_after, dilation, true);
  std::ostringstream out_text;
  out_text << "ceil((" << input << " + " << pad_before << " + " << pad_after << " - " << dilation << "*("
           << kernel << " - 1) - 1) / " << stride << ") + 1";
  const int64_t span = int64_t{input} + pad_before + pad_after - int64_t{dilation} * (kernel - 1) - 1;
  if (floor_div(span + stride - 1, stride) + 1 != out)
    out_text << " - 1";  // the last window starts past the input
  out_text << " = " << out;
  return out_text.str();
}

std::string tconv_axis_formula(int input, int kernel, int stride, int padding, int output_padding,
                               int dilation) {
  std::ostringstream out;
  out << "(" << input << " - 1)*" << stride << " - 2*" << padding << " + " << dilation << "*(" << kernel
      << " - 1) + " << output_padding
      << " + 1 = " << tconv_extent64(input, kernel, stride, padding, output_padding, dilation);
  return out.str();
}

// One line when both axes read the same, else one line per axis.
std::string join_axis_formulas(const std::string& height, const std::string& width) {
  if (height == width) return format(tr("H, W: %s"), height.c_str());
  return format(tr("H: %s\nW: %s"), height.c_str(), width.c_str());
}

bool equals_ignoring_case(const std::string& text, const char* word) {
  std::string lower;
  for (char ch : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower == word;
}

// PyTorch's split of a total padding: the odd row/column goes after.
void split_padding(int64_t total, int& before, int& after) {
  before = static_cast<int>(total / 2);
  after = static_cast<int>(total - total / 2);
}

}  // namespace

Result<PaddingPreset> parse_padding_preset(const std::string& name) {
  for (PaddingPreset preset :
       {PaddingPreset::Valid, PaddingPreset::Same, PaddingPreset::Full, PaddingPreset::Custom})
    if (equals_ignoring_case(name, padding_preset_name(preset))) return preset;
  return make_error("unknown padding preset '", name, "': use valid, same, full or custom");
}

const char* padding_preset_name(PaddingPreset preset) {
  switch (preset) {
    case PaddingPreset::Valid:
      return "valid";
    case PaddingPreset::Same:
      return "same";
    case PaddingPreset::Full:
      return "full";
    case PaddingPreset::Custom:
      return "custom";
  }
  return "custom";
}

int dilated_kernel_extent(int kernel, int dilation) {
  // Saturates instead of overflowing, so absurd settings stay comparable.
  return static_cast<int>(std::clamp<int64_t>(extent64(kernel, dilation), INT_MIN, INT_MAX));
}

Result<Padding2d> resolve_padding(PaddingPreset preset, Size2d input, Size2d kernel, int stride_h,
                                  int stride_w, int dilation_h, int dilation_w) {
  CONVLAB_TRY(check_input_and_kernel(input.h, kernel.h, kHeight));
  CONVLAB_TRY(check_input_and_kernel(input.w, kernel.w, kWidth));
  CONVLAB_TRY(check_stride_and_dilation(stride_h, dilation_h, kHeight));
  CONVLAB_TRY(check_stride_and_dilation(stride_w, dilation_w, kWidth));
  const int64_t extent_h = extent64(kernel.h, dilation_h);
  const int64_t extent_w = extent64(kernel.w, dilation_w);
  CONVLAB_TRY(check_fits_int(extent_h, "dilated kernel extent", kHeight));
  CONVLAB_TRY(check_fits_int(extent_w, "dilated kernel extent", kWidth));
  Padding2d padding;
  switch (preset) {
    case PaddingPreset::Valid:
      return padding;
    case PaddingPreset::Full:
      padding.top = padding.bottom = static_cast<int>(extent_h - 1);
      padding.left = padding.right = static_cast<int>(extent_w - 1);
      return padding;
    case PaddingPreset::Same: {
      // ceil(input/stride) outputs; at stride 1 this is total = extent - 1,
      // exactly PyTorch's padding='same'.
      auto total_for = [](int in, int stride, int64_t extent) {
        const int64_t out = ceil_div_positive(in, stride);
        return std::max<int64_t>((out - 1) * stride + extent - in, 0);
      };
      split_padding(total_for(input.h, stride_h, extent_h), padding.top, padding.bottom);
      split_padding(total_for(input.w, stride_w, extent_w), padding.left, padding.right);
      return padding;
    }
    case PaddingPreset::Custom:
      break;
  }
  return make_error("the custom padding preset has no fixed rule: give padding top, bottom, left and right ",
                    "(each >= 0), or use valid, same or full");
}

Result<Size2d> conv2d_output_size(Size2d input, Size2d kernel, const Conv2dParams& params) {
  const Padding2d& pad = params.padding;
  CONVLAB_TRY(
      check_conv_axis(input.h, kernel.h, params.stride_h, pad.top, pad.bottom, params.dilation_h, kHeight));
  CONVLAB_TRY(
      check_conv_axis(input.w, kernel.w, params.stride_w, pad.left, pad.right, params.dilation_w, kWidth));
  const int64_t out_h =
      conv_extent64(input.h, kernel.h, params.stride_h, pad.top, pad.bottom, params.dilation_h);
  const int64_t out_w =
      conv_extent64(input.w, kernel.w, params.stride_w, pad.left, pad.right, params.dilation_w);
  CONVLAB_TRY(check_fits_int(out_h, "output size", kHeight));
  CONVLAB_TRY(check_fits_int(out_w, "output size", kWidth));
  // The kernel fits, so there is at least one output; kept as a last guard.
  if (out_h < 1 || out_w < 1)
    return Error{format(tr("the output would be %lldx%lld: use more padding or a smaller kernel"),
                        static_cast<long long>(out_h), static_cast<long long>(out_w))};
  return Size2d{static_cast<int>(out_h), static_cast<int>(out_w)};
}

int conv2d_output_extent(int input, int kernel, int stride, int pad_before, int pad_after, int dilation) {
  return static_cast<int>(conv_extent64(input, kernel, stride, pad_before, pad_after, dilation));
}

Result<Size2d> conv_transpose2d_output_size(Size2d input, Size2d kernel,
                                            const ConvTranspose2dParams& params) {
  CONVLAB_TRY(check_tconv_axis(input.h, kernel.h, params.stride_h, params.padding_h, params.output_padding_h,
                               params.dilation_h, kHeight));
  CONVLAB_TRY(check_tconv_axis(input.w, kernel.w, params.stride_w, params.padding_w, params.output_padding_w,
                               params.dilation_w, kWidth));
  return Size2d{conv_transpose2d_output_extent(input.h, kernel.h, params.stride_h, params.padding_h,
                                               params.output_padding_h, params.dilation_h),
                conv_transpose2d_output_extent(input.w, kernel.w, params.stride_w, params.padding_w,
                                               params.output_padding_w, params.dilation_w)};
}

Result<Size2d> pool2d_output_size(Size2d input, Size2d kernel, const Pool2dParams& params) {
  const Conv2dParams& w = params.window;
  const Padding2d& pad = w.padding;
  CONVLAB_TRY(check_pool_axis(input.h, kernel.h, w.stride_h, pad.top, pad.bottom, w.dilation_h, kHeight,
                              params.padding_at_most_half));
  CONVLAB_TRY(check_pool_axis(input.w, kernel.w, w.stride_w, pad.left, pad.right, w.dilation_w, kWidth,
                              params.padding_at_most_half));
  const int64_t out_h =
      pool_extent64(input.h, kernel.h, w.stride_h, pad.top, pad.bottom, w.dilation_h, params.ceil_mode);
  const int64_t out_w =
      pool_extent64(input.w, kernel.w, w.stride_w, pad.left, pad.right, w.dilation_w, params.ceil_mode);
  CONVLAB_TRY(check_fits_int(out_h, "output size", kHeight));
  CONVLAB_TRY(check_fits_int(out_w, "output size", kWidth));
  return Size2d{static_cast<int>(out_h), static_cast<int>(out_w)};
}

int pool2d_output_extent(int input, int kernel, int stride, int pad_before, int pad_after, int dilation,
                         bool ceil_mode) {
  return static_cast<int>(pool_extent64(input, kernel, stride, pad_before, pad_after, dilation, ceil_mode));
}

int conv_transpose2d_output_extent(int input, int kernel, int stride, int padding, int output_padding,
                                   int dilation) {
  return static_cast<int>(tconv_extent64(input, kernel, stride, padding, output_padding, dilation));
}

std::string conv2d_formula(Size2d input, Size2d kernel, const Conv2dParams& params) {
  const Padding2d& pad = params.padding;
  return join_axis_formulas(
      conv_axis_formula(input.h, kernel.h, params.stride_h, pad.top, pad.bottom, params.dilation_h),
      conv_axis_formula(input.w, kernel.w, params.stride_w, pad.left, pad.right, params.dilation_w));
}

std::string conv_transpose2d_formula(Size2d input, Size2d kernel, const ConvTranspose2dParams& params) {
  return join_axis_formulas(tconv_axis_formula(input.h, kernel.h, params.stride_h, params.padding_h,
                                               params.output_padding_h, params.dilation_h),
                            tconv_axis_formula(input.w, kernel.w, params.stride_w, params.padding_w,
                                               params.output_padding_w, params.dilation_w));
}

std::string pool2d_formula(Size2d input, Size2d kernel, const Pool2dParams& params) {
  const Conv2dParams& w = params.window;
  const Padding2d& pad = w.padding;
  return join_axis_formulas(
      pool_axis_formula(input.h, kernel.h, w.stride_h, pad.top, pad.bottom, w.dilation_h, params.ceil_mode),
      pool_axis_formula(input.w, kernel.w, w.stride_w, pad.left, pad.right, w.dilation_w, params.ceil_mode));
}

}  // namespace convlab
