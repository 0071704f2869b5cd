// The GPU as a Backend (core/backend/backend.h): each call uploads its inputs,
// runs the op's shader and reads the result back. That is what `convlab op
// --backend gpu` and the backend tests need; the graph runner instead keeps
// activations on the GPU between layers (gpu_runner.h).
#pragma once

#include <memory>
#include <string>

#include "core/backend/backend.h"
#include "gpu/gl_context.h"
#include "gpu/gpu_ops.h"
#include "gpu/programs.h"

namespace convlab::gpu {

class GpuBackend final : public Backend {
 public:
  // Creates a headless GL context; shader_dir empty = the embedded shaders.
  static Result<std::unique_ptr<GpuBackend>> create(const std::string& shader_dir = {});
  // On the context current now (the app's window), which it checks.
  static Result<std::unique_ptr<GpuBackend>> on_current_context();

  std::string name() const override { return "gpu"; }
  GlContext& context() { return *context_; }
  GpuOps& ops() { return *ops_; }
  ProgramCache& programs() { return *programs_; }

  Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                        const Conv2dParams& params) override;
  Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                  const ConvTranspose2dParams& params) override;
  Result<Tensor> batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                              Tensor& running_mean, Tensor& running_var,
                              const reference::BatchNormParams& params) override;
  Result<Tensor> relu(const Tensor& input) override;
  Result<Tensor> concat_channels(std::span<const Tensor* const> inputs) override;
  Result<Tensor> embed_broadcast(const Tensor& table, std::span<const int64_t> categories, int64_t height,
                                 int64_t width) override;
  Result<Tensor> rgb_to_lab(const Tensor& rgb) override;
  Result<Tensor> lab_to_rgb(const Tensor& lab) override;
  Result<Tensor> upsample_bilinear(const Tensor& input, int64_t out_h, int64_t out_w) override;
  Result<Tensor> pool2d(const Tensor& input, const PoolOptions& options) override;
  Result<Tensor> global_average_pool(const Tensor& input) override;
  Result<Tensor> activation(const Tensor& input, const reference::UnaryParams& params) override;
  Result<Tensor> elementwise(reference::BinaryOp op, const Tensor& a, const Tensor& b) override;
  Result<Tensor> reshape(const Tensor& input, const Shape& shape) override;
  Result<Tensor> gemm(const Tensor& a, const Tensor& b, const Tensor* c,
                      const reference::GemmParams& params) override;
  Result<Tensor> matmul(const Tensor& a, const Tensor& b) override;
  Result<Tensor> softmax(const Tensor& input, const reference::SoftmaxParams& params) override;
  Result<Tensor> pad_constant(const Tensor& input, std::span<const int64_t> pads, float value) override;
  Result<Tensor> resize(const Tensor& input, const Shape& output_shape, std::span<const double> scales,
                        const reference::ResizeParams& params) override;
  Result<Tensor> gather(const Tensor& data, std::span<const int64_t> indices, const Shape& indices_shape,
                        int64_t axis) override;
  Result<Tensor> expand(const Tensor& input, const Shape& shape) override;

 private:
  GpuBackend() = default;
  std::unique_ptr<GlContext> context_;
  std::unique_ptr<ProgramCache> programs_;
  std::unique_ptr<GpuOps> ops_;
};

}  // namespace convlab::gpu
