// The one JSON form of a conv2d, conv_transpose2d or batch-norm trace, for a
// script that checks each number against another framework: the panels'
// "export_json" and `convlab trace --json` both write it. Every field of the
// trace structs keeps the struct's own name; tensors are
// {"shape": [...], "values": [...]} (row-major); keys stay in the order below;
// floats are written as the shortest text that reads back as the same float
// (0.1, not 0.10000000149011612), and NaN as null.
//
// conv2d:  op, params{stride_h, stride_w, padding{top,bottom,left,right},
//          dilation_h, dilation_w}, input_shape, weight_shape, output_shape,
//          padded{h,w}, input, weight, bias, step_count, step_range{first,last},
//          steps[{index, batch, out_channel, out_y, out_x, bias, result,
//                 taps[{channel, ky, kx, padded_y, padded_x, input_y, input_x,
//                       on_padding, input, weight, product, running_sum}]}],
//          output
// conv_transpose2d: op, params{stride_h, stride_w, padding_h, padding_w,
//          output_padding_h, output_padding_w, dilation_h, dilation_w},
//          input_shape, weight_shape, output_shape, full{h,w}, crop_top,
//          crop_left, input, weight, bias, step_count, step_range,
//          intermediates[{index, batch, out_channel, channel, in_y, in_x, value,
//                         origin_y, origin_x,
//                         taps[{ky, kx, full_y, full_x, weight, product}] (with a weight),
//                         contribution}],
//          full_sum, output
// batch_norm2d: op, params{training, momentum, eps}, input_shape, input,
//          weight, bias, running_mean, running_var, step_count, step_range,
//          channels[{channel, count, mean, biased_var, unbiased_var, used_mean,
//                    used_var, inv_std, gamma, beta, running_mean_before,
//                    running_var_before, running_mean_after, running_var_after,
//                    input, normalized, output (this channel's values in (n, y, x)
//                    order; input only with an input)}],
//          normalized, output
// max_pool2d / avg_pool2d: op, params{kernel_h, kernel_w, stride_h, stride_w,
//          padding{top,bottom,left,right}, dilation_h, dilation_w, ceil_mode,
//          count_include_pad (average only)}, input_shape, output_shape,
//          padded{h,w}, input, step_count, step_range,
//          steps[{index, batch, channel, out_y, out_x, result,
//                 chosen (max: the tap taken) | sum, count (average),
//                 taps[{ky, kx, padded_y, padded_x, input_y, input_x,
//                       on_padding, counted (average), input}]}],
//          output
#pragma once

#include <cstdint>
#include <string>

#include "core/ops/pool.h"
#include "core/ops/trace.h"

namespace convlab::explore {

// The tensors a trace was made from, written alongside it (null when absent).
struct TraceInputs {
  const Tensor* input = nullptr;
  const Tensor* weight = nullptr;        // conv/tconv kernel, bn gamma
  const Tensor* bias = nullptr;          // may be null; bn beta
  const Tensor* running_mean = nullptr;  // bn only
  const Tensor* running_var = nullptr;   // bn only
};

// Which steps to write (conv output cells, tconv intermediates, bn
// channels); "index" keeps each step's place in the full list.
struct StepRange {
  int64_t first = 0;
  int64_t last = -1;  // exclusive; -1 = to the end
  bool contains(int64_t i) const { return i >= first && (last < 0 || i < last); }
};

// `indent` spaces per level; -1 writes one line.
std::string conv_trace_json(const ConvTrace& trace, const TraceInputs& inputs, StepRange range = {},
                            int indent = 2);
std::string tconv_trace_json(const TconvTrace& trace, const TraceInputs& inputs, StepRange range = {},
                             int indent = 2);
std::string pool_trace_json(const PoolTrace& trace, const TraceInputs& inputs, StepRange range = {},
                            int indent = 2);
std::string batch_norm_trace_json(const BatchNormTrace& trace, const TraceInputs& inputs,
                                  StepRange range = {}, int indent = 2);

}  // namespace convlab::explore
