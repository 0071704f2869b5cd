#include "core/backend/backend.h"
#include "core/color/lab.h"
#include "core/fast/fast_elementwise.h"
#include "core/fast/fast_ops.h"
#include "core/fast/fast_pool.h"

namespace convlab {
namespace {

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(CpuOpsPath path) : path_(path) {}
  std::string name() const override { return path_ == CpuOpsPath::Fast ? "cpu-fast" : "cpu-reference"; }

  Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                        const Conv2dParams& params) override {
    if (path_ == CpuOpsPath::Fast) return fast::conv2d(input, weight, bias, params);
    return reference::conv2d(input, weight, bias, params);
  }
  Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                  const ConvTranspose2dParams& params) override {
    if (path_ == CpuOpsPath::Fast) return fast::conv_transpose2d(input, weight, bias, params);
    return reference::conv_transpose2d(input, weight, bias, params);
  }
  Result<Tensor> batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                              Tensor& running_mean, Tensor& running_var,
                              const reference::BatchNormParams& params) override {
    return reference::batch_norm2d(input, weight, bias, running_mean, running_var, params);
  }
  Result<Tensor> relu(const Tensor& input) override {
    return path_ == CpuOpsPath::Fast ? fast::relu(input) : reference::relu(input);
  }
  Result<Tensor> concat_channels(std::span<const Tensor* const> inputs) override {
    return reference::concat_channels(inputs);
  }
  Result<Tensor> embed_broadcast(const Tensor& table, std::span<const int64_t> categories, int64_t height,
                                 int64_t width) override {
    return reference::embed_broadcast(table, categories, height, width);
  }
  Result<Tensor> rgb_to_lab(const Tensor& rgb) override { return convlab::rgb_to_lab(rgb); }
  Result<Tensor> lab_to_rgb(const Tensor& lab) override { return convlab::lab_to_rgb(lab); }
  Result<Tensor> upsample_bilinear(const Tensor& input, int64_t out_h, int64_t out_w) override {
    return reference::upsample_bilinear(input, out_h, out_w);
  }
  Result<Tensor> pool2d(const Tensor& input, const PoolOptions& options) override {
    return path_ == CpuOpsPath::Fast ? fast::pool2d(input, options) : reference::pool2d(input, options);
  }
  Result<Tensor> elementwise(reference::BinaryOp op, const Tensor& a, const Tensor& b) override {
    if (path_ == CpuOpsPath::Fast && a.shape() == b.shape()) return fast::binary_same_shape(op, a, b);
    return reference::binary(op, a, b);  // broadcasting
  }
  // The ops below are cheap next to the convolutions: both paths run the reference.
  Result<Tensor> global_average_pool(const Tensor& input) override {
    return reference::global_average_pool(input);
  }
  Result<Tensor> activation(const Tensor& input, const reference::UnaryParams& params) override {
    return reference::unary(input, params);
  }
  Result<Tensor> reshape(const Tensor& input, const Shape& shape) override { return input.reshaped(shape); }
  Result<Tensor> gemm(const Tensor& a, const Tensor& b, const Tensor* c,
                      const reference::GemmParams& params) override {
    return reference::gemm(a, b, c, params);
  }
  Result<Tensor> matmul(const Tensor& a, const Tensor& b) override { return reference::matmul(a, b); }
  Result<Tensor> softmax(const Tensor& input, const reference::SoftmaxParams& params) override {
    return reference::softmax(input, params);
  }
  Result<Tensor> pad_constant(const Tensor& input, std::span<const int64_t> pads, float value) override {
    return reference::pad_constant(input, pads, value);
  }
  Result<Tensor> resize(const Tensor& input, const Shape& output_shape, std::span<const double> scales,
                        const reference::ResizeParams& params) override {
    return reference::resize(input, output_shape, scales, params);
  }
  Result<Tensor> gather(const Tensor& data, std::span<const int64_t> indices, const Shape& indices_shape,
                        int64_t axis) override {
    return reference::gather(data, indices, indices_shape, axis);
  }
  Result<Tensor> expand(const Tensor& input, const Shape& shape) override {
    return reference::expand(input, shape);
  }

 private:
  CpuOpsPath path_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(CpuOpsPath path) { return std::make_unique<CpuBackend>(path); }

}  // namespace convlab
