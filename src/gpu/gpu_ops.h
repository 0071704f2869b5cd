// One dispatcher per op on the GPU: the same ops, parameters and shape rules
// as the CPU reference (src/core/ops/reference.h), run by the shaders in
// shaders/. Inputs and outputs stay in GPU buffers; nothing is read back
// unless asked (download). Shape errors are caught here, before dispatch.
#pragma once

#include <span>

#include "core/base/conv_arithmetic.h"
#include "core/ops/pool.h"
#include "core/ops/reference.h"
#include "core/ops/tensor_ops.h"
#include "gpu/gpu_tensor.h"
#include "gpu/programs.h"

namespace convlab::gpu {

// out[o] = act((acc[o] + bias[o]) * scale[o] + shift[o]), as fast::Epilogue.
struct GpuEpilogue {
  const GpuTensor* scale = nullptr;
  const GpuTensor* shift = nullptr;
  bool relu = false;
};

// Write into channels [channel_offset, channel_offset + O) of `tensor`: how a
// concat costs nothing on the GPU.
struct GpuSlot {
  GpuTensor* tensor = nullptr;
  int channel_offset = 0;
};

class GpuOps {
 public:
  explicit GpuOps(ProgramCache& programs);
  ~GpuOps();
  GpuOps(const GpuOps&) = delete;
  GpuOps& operator=(const GpuOps&) = delete;

  Status conv2d(const GpuTensor& input, const GpuTensor& weight, const GpuTensor* bias,
                const Conv2dParams& params, const GpuEpilogue& epilogue, GpuSlot out);
  Result<GpuTensor> conv2d(const GpuTensor& input, const GpuTensor& weight, const GpuTensor* bias,
                           const Conv2dParams& params, const GpuEpilogue& epilogue = {});

  Status conv_transpose2d(const GpuTensor& input, const GpuTensor& weight, const GpuTensor* bias,
                          const ConvTranspose2dParams& params, const GpuEpilogue& epilogue, GpuSlot out);
  Result<GpuTensor> conv_transpose2d(const GpuTensor& input, const GpuTensor& weight, const GpuTensor* bias,
                                     const ConvTranspose2dParams& params, const GpuEpilogue& epilogue = {});

  // Per-channel mean / biased var / unbiased var over N, H, W (a parallel
  // reduction on the GPU); read back because they are C numbers.
  Result<reference::ChannelStatistics> batch_norm_statistics(const GpuTensor& input);
  // Same semantics as reference::batch_norm2d; running stats (host tensors of
  // shape C) are updated in training.
  Result<GpuTensor> batch_norm2d(const GpuTensor& input, const Tensor& weight, const Tensor& bias,
                                 Tensor& running_mean, Tensor& running_var,
                                 const reference::BatchNormParams& params);

  // y = (x - mean[c]) * inv_std[c] * gamma[c] + beta[c]; all vectors (C) on the GPU.
  Result<GpuTensor> batch_norm_apply(const GpuTensor& input, const GpuTensor& mean, const GpuTensor& inv_std,
                                     const GpuTensor& gamma, const GpuTensor& beta);

  Result<GpuTensor> relu(const GpuTensor& input);
  // Channels [first, first + count) of an N,C,H,W tensor, copied buffer to buffer.
  Result<GpuTensor> slice_channels(const GpuTensor& input, int64_t first, int64_t count);
  Status copy_channels(const GpuTensor& input, GpuSlot out);
  Result<GpuTensor> concat_channels(std::span<const GpuTensor* const> inputs);
  // categories: int32 GPU buffer of N indices (GpuTensor::upload_ints), checked on the host.
  Status embed_broadcast(const GpuTensor& table, const GpuTensor& categories, GpuSlot out);
  Result<GpuTensor> rgb_to_lab(const GpuTensor& rgb);
  Result<GpuTensor> lab_to_rgb(const GpuTensor& lab);
  Result<GpuTensor> upsample_bilinear(const GpuTensor& input, int64_t out_h, int64_t out_w);

  // ---- the ops of CNNs read from ONNX (core/ops/pool.h, tensor_ops.h) ----
  // Same semantics, shape rules and messages as the CPU reference. Ops that
  // index through a shape (broadcasting, pad, resize, matmul's batch axes)
  // take tensors of up to kMaxRank axes.
  static constexpr int kMaxRank = 8;
  Result<GpuTensor> pool2d(const GpuTensor& input, const PoolOptions& options);
  Result<GpuTensor> global_average_pool(const GpuTensor& input);
  Result<GpuTensor> activation(const GpuTensor& input, const reference::UnaryParams& params);
  Result<GpuTensor> elementwise(reference::BinaryOp op, const GpuTensor& a, const GpuTensor& b);
  // reference::expand: elementwise.comp's copy of its first operand.
  Result<GpuTensor> expand(const GpuTensor& input, const Shape& shape);
  Result<GpuTensor> gemm(const GpuTensor& a, const GpuTensor& b, const GpuTensor* c,
                         const reference::GemmParams& params);
  Result<GpuTensor> matmul(const GpuTensor& a, const GpuTensor& b);
  Result<GpuTensor> softmax(const GpuTensor& input, const reference::SoftmaxParams& params);
  Result<GpuTensor> pad_constant(const GpuTensor& input, std::span<const int64_t> pads, float value);
  Result<GpuTensor> resize(const GpuTensor& input, const Shape& output_shape, std::span<const double> scales,
                           const reference::ResizeParams& params);
  // The indices stay on the host until checked (each in [-rows, rows)), then
  // go up as int32.
  Result<GpuTensor> gather(const GpuTensor& data, std::span<const int64_t> indices,
                           const Shape& indices_shape, int64_t axis);

  // Blocks until the GPU has finished everything dispatched so far.
  void finish();

 private:
  Result<unsigned> program(const std::string& file, const Defines& defines = {});
  void bind_convolution(unsigned program, const GpuTensor& input, const GpuTensor& weight,
                        const GpuTensor* bias, const GpuEpilogue& epilogue, const GpuSlot& out,
                        int64_t channels_out, Size2d out_size, int groups);
  unsigned dummy_buffer_ = 0;  // bound where an optional input is absent
  ProgramCache& programs_;
};

}  // namespace convlab::gpu
