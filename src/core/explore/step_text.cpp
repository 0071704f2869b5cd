#include "core/explore/step_text.h"

#include "core/base/number_text.h"

namespace convlab::explore {

std::string format_value(float value, int significant_digits) {
  std::string text = significant_digits > 0 ? general_text(value, significant_digits) : shortest_text(value);
  if (text == "-0") text = "0";  // a zero is a zero to a reader
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

}  // namespace convlab::explore
