// A conv2d, conv_transpose2d, pooling or batch-norm trace as CSV, for a spreadsheet
// (trace_json.h writes the JSON, for a script). Numbers are written as the
// shortest text that reads back as the same float, so a reader can check
// every product and sum exactly.
#pragma once

#include <string>

#include "core/ops/pool.h"
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

// ---- max / average pooling -----------------------------------------------------
// Header, then for every step its tap rows followed by one output row:
//  step,kind,channel,out_y,out_x,ky,kx,padded_y,padded_x,on_padding,counted,
//  chosen,input,sum,count,result
// kind "tap":    the tap columns filled (input 0 on padding); counted (average)
//                and chosen (max: the tap whose value is the result) are 0 or
//                1, empty for the other kind of pool.
// kind "output": ky..input empty; sum and count (average; empty for max),
//                then result (= sum / count, or the max).
std::string pool_trace_to_csv(const PoolTrace& trace);

// ---- conv_transpose2d ---------------------------------------------------------
// The trace keeps products, not weights, so the weight (C,O,KH,KW) and bias
// (O, or nullptr) it was made with are passed in.
//
// Header, then for every intermediate one row per kernel tap, then one row
// per output cell:
//  intermediate,kind,out_channel,channel,in_y,in_x,input,ky,kx,full_y,full_x,
//  weight,product,cell_sum,out_y,out_x,bias,result
// kind "tap":    product = input*weight added at (full_y, full_x) of the
//                uncropped sum; cell_sum = that cell's sum so far (including
//                this product); out_y/out_x empty when the cell is cropped.
// kind "output": intermediate and in_y..product empty; cell_sum = the full
//                sum at (full_y, full_x), then the output cell, bias and
//                result (= cell_sum + bias).
std::string tconv_trace_to_csv(const TconvTrace& trace, const Tensor& weight, const Tensor* bias);

// ---- batch norm ---------------------------------------------------------------
// `input` is the (N,C,H,W) batch the trace was made from.
//
// Header, then per channel one "channel" row and its N*H*W "value" rows in
// (n, y, x) order:
//  kind,channel,n,y,x,input,normalized,output,count,mean,biased_var,
//  unbiased_var,used_mean,used_var,inv_std,gamma,beta,running_mean_before,
//  running_var_before,running_mean_after,running_var_after
// "channel" rows fill channel and count..running_var_after; "value" rows fill
// channel..output. A single value per channel has unbiased_var "nan".
std::string batch_norm_trace_to_csv(const BatchNormTrace& trace, const Tensor& input);

}  // namespace convlab::explore
