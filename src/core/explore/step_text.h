// The text of one convolution or pooling step, as the panel and lessons
// print it.
#pragma once

#include <string>

#include "core/ops/pool.h"
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

// One pooling step, its numbers in the trace's tap order (row by row):
//  max:     "max(0, 1, 4, 5) = 5": the values on the input; padding never
//           competes, so its cells are not listed (pool_step_note says so).
//  average: "(0 + 1 + 3 + 4) / 4 = 8 / 4 = 2": every counted tap (with
//           count_include_pad the padding's zeros too), the sum, the count.
// A dilated window can miss the input entirely: "max() = -inf", or without
// count_include_pad "0 / 0 = 0 / 0 = nan".
// Negative numbers are parenthesized in a sum. The words and the list
// separator are translated ("máx(0; 1,5) = 1,5" once display_text has put in
// the decimal commas).
std::string pool_arithmetic_string(const PoolStep& step, PoolKind kind, int significant_digits = 0);

// One sentence (or two) on what the step's window does with its padding:
// that the highlighted max wins and padding never competes, or whether the
// padding's zeros are in the average's count (count_include_pad), and the
// ceil-mode cells past the padded input (`padded`: the trace's) that never
// count. Translated.
std::string pool_step_note(const PoolStep& step, const PoolOptions& options, Size2d padded);

}  // namespace convlab::explore
