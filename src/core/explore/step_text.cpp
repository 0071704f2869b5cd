#include "core/explore/step_text.h"

#include "core/base/i18n.h"
#include "core/base/number_text.h"

namespace convlab::explore {

std::string format_value(float value, int significant_digits) {
  std::string text = significant_digits > 0 ? general_text(value, significant_digits) : shortest_text(value);
  if (text == "-0") text = "0";      // a zero is a zero to a reader
  if (text == "-nan") text = "nan";  // and a NaN's sign means nothing (0.0f / 0 is -nan on x86)
  return text;
}

namespace {

std::string factor(float value, int digits) {
  std::string text = format_value(value, digits);
  return text.front() == '-' ? "(" + text + ")" : text;
}

}  // namespace

std::string arithmetic_string(const ConvStep& step, int significant_digits) {
  std::string text;
  for (const ConvTap& tap : step.taps) {
    if (!text.empty()) text += " + ";
    text += factor(tap.input, significant_digits) + "*" + factor(tap.weight, significant_digits);
  }
  if (!text.empty()) text += " + ";
  text += factor(step.bias, significant_digits);
  text += " = " + format_value(step.result, significant_digits);
  return text;
}

std::string pool_arithmetic_string(const PoolStep& step, PoolKind kind, int significant_digits) {
  std::string terms;
  if (kind == PoolKind::Max) {
    // Translated: with a decimal comma, "; " keeps "1,5" one number.
    const char* separator = trc("list of numbers", ", ");
    for (const PoolTap& tap : step.taps) {
      if (tap.on_padding) continue;
      if (!terms.empty()) terms += separator;
      terms += format_value(tap.input, significant_digits);
    }
    return format(tr("max(%s) = %s"), terms.c_str(), format_value(step.result, significant_digits).c_str());
  }
  int counted = 0;
  for (const PoolTap& tap : step.taps) {
    if (!tap.counted) continue;
    if (counted++ > 0) terms += " + ";
    terms += factor(tap.input, significant_digits);
  }
  std::string text = counted > 1 ? "(" : "";
  text += counted == 0 ? "0" : terms;  // none: a dilated window wholly on uncounted padding, 0 / 0
  if (counted > 1) text += ')';
  const std::string count = std::to_string(step.count);
  text += " / " + count + " = " + format_value(step.sum, significant_digits) + " / " + count + " = ";
  text += format_value(step.result, significant_digits);
  return text;
}

std::string pool_step_note(const PoolStep& step, const PoolOptions& options, Size2d padded) {
  int padding = 0, past = 0;
  for (const PoolTap& tap : step.taps) {
    if (!tap.on_padding) continue;
    if (tap.padded_y >= padded.h || tap.padded_x >= padded.w)
      ++past;  // a ceil-mode window's overhang
    else
      ++padding;
  }
  // A dilated window can fall wholly on the padding (PyTorch's padding rule
  // does not see dilation).
  const bool none_on_input = padding + past == static_cast<int>(step.taps.size());
  if (options.kind == PoolKind::Max) {
    if (none_on_input)
      return tr(
          "No cell of this window is on the input (dilation puts every one on the padding), so its max "
          "is −∞.");
    if (padding + past == 0) return tr("Max pooling keeps the window's largest value (highlighted).");
    return format(tr("Max pooling keeps the window's largest input value (highlighted); its %d padding "
                     "cell(s) never compete: PyTorch pads a max pool with −∞."),
                  padding + past);
  }
  std::string note;
  if (none_on_input && step.count == 0)
    note =
        tr("No cell of this window is on the input (dilation puts every one on the padding) and padding "
           "does not count: 0 / 0 is not a number (nan).");
  else if (padding == 0)
    note =
        format(tr("Average pooling: the sum of the window's values divided by their count, %d."), step.count);
  else if (options.count_include_pad)
    note = format(tr("Padding counts (count_include_pad on): its %d zero(s) add nothing to the sum but are "
                     "counted, so the divisor is %d."),
                  padding, step.count);
  else
    note = format(tr("Padding does not count (count_include_pad off): its %d cell(s) are left out, so the "
                     "divisor is %d, not %d."),
                  padding, step.count, step.count + padding);
  if (past > 0) {
    note += ' ';
    note +=
        format(tr("%d cell(s) of the window lie past the padded input (ceil mode) and never count."), past);
  }
  return note;
}

}  // namespace convlab::explore
