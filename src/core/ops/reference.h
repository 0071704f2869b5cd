// CPU reference ops with PyTorch semantics, written to read like the math.
// They are the ground truth the fast path and the GPU backend are tested
// against, and the traces (trace.h) record exactly these loops.
//
// Accumulation order is part of the contract (traces reproduce it bit for
// bit):
//  conv2d: for each output cell, acc = 0; for c, ky, kx: acc += x*w; out = acc + bias.
//  conv_transpose2d: scatter; for each input element in (c, iy, ix) order and
//    each tap (ky, kx): full[iy*s + ky*d][ix*s + kx*d] += x*w, into the
//    uncropped output; then crop padding (and extend by output_padding), then
//    add bias.
//  batch_norm2d: statistics accumulated in double (see batch_norm_statistics).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"

namespace convlab::reference {

// Shape checks shared by the ops, their traces and other backends: every
// error names the tensor, its shape and the shape that would be valid.

// Rank 4 with every dimension in [1, INT_MAX], so loops and the conv
// arithmetic (which works in int) never see an empty or absurd axis.
// `layout` names the axes ("N, C, H, W").
Status expect_nchw(const Shape& shape, const std::string& what, const char* layout);
Status expect_nchw(const Tensor& t, const std::string& what, const char* layout);
Result<Shape> conv2d_output_shape(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                  const Conv2dParams& params);
Result<Shape> conv_transpose2d_output_shape(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                            const ConvTranspose2dParams& params);

// input (N,C,H,W), weight (O,C,KH,KW), bias (O) or nullptr -> (N,O,OH,OW).
Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                      const Conv2dParams& params);

// input (N,C,H,W), weight (C,O,KH,KW), bias (O) or nullptr -> (N,O,OH,OW).
Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const ConvTranspose2dParams& params);

struct BatchNormParams {
  bool training = false;
  float momentum = 0.1f;
  float eps = 1e-5f;
};

// Per-channel statistics of a mini-batch over N, H, W.
struct ChannelStatistics {
  std::vector<float> mean;
  std::vector<float> biased_var;    // used to normalize in training
  std::vector<float> unbiased_var;  // used to update running_var (count/(count-1))
  int64_t count = 0;                // N*H*W per channel
};
// Fails on a non-rank-4 input or one with no values per channel. With one
// value per channel unbiased_var is NaN (undefined), as training refuses it.
Result<ChannelStatistics> batch_norm_statistics(const Tensor& input);

// The float steps of batch norm, shared with the trace so both round alike:
// output = (x - mean) * inv_std * gamma + beta, inv_std = 1/sqrt(var + eps).
float batch_norm_inv_std(float var, float eps);
float batch_norm_normalize(float x, float mean, float inv_std);
float batch_norm_scale_shift(float normalized, float gamma, float beta);
// PyTorch's running update, (1-momentum)*running + momentum*batch_stat,
// evaluated in double and rounded once to float.
float batch_norm_running_update(float running, float batch_stat, float momentum);

// Checks the shapes ((C) vectors for a (N,C,H,W) input) and parameters, and
// that training has more than one value per channel (PyTorch's rule).
Status batch_norm_check(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const Tensor& running_mean, const Tensor& running_var, const BatchNormParams& params);

// weight/bias/running_* all of shape (C). Training normalizes with the batch
// statistics and updates running_mean/var in place exactly as PyTorch:
// running = (1-momentum)*running + momentum*batch (unbiased var). Eval uses
// the running statistics and leaves them untouched.
Result<Tensor> batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                            Tensor& running_mean, Tensor& running_var, const BatchNormParams& params);

Tensor relu(const Tensor& input);

// Joins rank-4 tensors along channels; N, H, W must agree.
Result<Tensor> concat_channels(std::span<const Tensor* const> inputs);

// table (rows, dim); categories (N) each in [0, rows) -> (N, dim, H, W), each
// row broadcast over the plane (the ECNN category injection).
Result<Tensor> embed_broadcast(const Tensor& table, std::span<const int64_t> categories, int64_t height,
                               int64_t width);

// PyTorch F.interpolate(mode="bilinear", align_corners=False) to (out_h, out_w).
Result<Tensor> upsample_bilinear(const Tensor& input, int64_t out_h, int64_t out_w);

}  // namespace convlab::reference
