// A conv2d trace as CSV (for a spreadsheet) and JSON (for a script). Numbers
// are written as the shortest text that reads back as the same float, so a
// reader can check every product and sum exactly.
#pragma once

#include <string>

#include "core/ops/trace.h"

namespace convlab::explore {

// Header, then for every step its tap rows followed by one output row:
//  step,kind,out_channel,out_y,out_x,channel,ky,kx,padded_y,padded_x,
//  on_padding,input,weight,product,running_sum,bias,result
// kind "tap":    the tap columns filled; bias and result empty.
// kind "output": channel..product empty; running_sum = the sum of products,
//                then bias and result (= running_sum + bias).
// on_padding is 0 or 1.
std::string trace_to_csv(const ConvTrace& trace);

// {"op":"conv2d", "params":{stride_h, stride_w, padding:{top,bottom,left,right},
//  dilation_h, dilation_w}, "input_shape":[...], "weight_shape":[...],
//  "output_shape":[...], "padded":{"h","w"},
//  "steps":[{"step","out_channel","out_y","out_x","bias","result",
//            "taps":[{"channel","ky","kx","padded_y","padded_x","input_y",
//                     "input_x","on_padding","input","weight","product",
//                     "running_sum"}]}]}
// Keys in that order; indented by `indent` spaces (-1: one line).
std::string trace_to_json(const ConvTrace& trace, int indent = 2);

}  // namespace convlab::explore
