// The text of one convolution step, as the panel and lessons print it.
#pragma once

#include <string>

#include "core/ops/trace.h"

namespace convlab::explore {

// Compact number text. significant_digits == 0: the shortest text that reads
// back as the same float ("1", "-4", "0.5", "0.11111111"), so what is shown
// is exactly what was computed. > 0: at most that many significant digits
// ("0.1111" for 4), for a narrow cell.
std::string format_value(float value, int significant_digits = 0);

// "a*w + ... + b = y" for one output cell: every tap in the trace's order
// (taps on padding show their 0 input), then the bias, then the result.
// Negative factors are parenthesized: "2*(-1)".
std::string arithmetic_string(const ConvStep& step, int significant_digits = 0);

}  // namespace convlab::explore
