// A backend runs every op of op_kind.h on host tensors: the CPU reference,
// the CPU fast path, and the GPU (src/gpu/gpu_backend.h). The op list is pure
// virtual, so a new op does not compile until every backend implements it, and
// the backend test suite runs every op on every backend through run_op().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"
#include "core/ops/op_kind.h"
#include "core/ops/pool.h"
#include "core/ops/reference.h"
#include "core/ops/tensor_ops.h"

namespace convlab {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;

  virtual Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const Conv2dParams& params) = 0;
  virtual Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                          const ConvTranspose2dParams& params) = 0;
  virtual Result<Tensor> batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                      Tensor& running_mean, Tensor& running_var,
                                      const reference::BatchNormParams& params) = 0;
  virtual Result<Tensor> relu(const Tensor& input) = 0;
  virtual Result<Tensor> concat_channels(std::span<const Tensor* const> inputs) = 0;
  virtual Result<Tensor> embed_broadcast(const Tensor& table, std::span<const int64_t> categories,
                                         int64_t height, int64_t width) = 0;
  virtual Result<Tensor> rgb_to_lab(const Tensor& rgb) = 0;
  virtual Result<Tensor> lab_to_rgb(const Tensor& lab) = 0;
  virtual Result<Tensor> upsample_bilinear(const Tensor& input, int64_t out_h, int64_t out_w) = 0;
  virtual Result<Tensor> pool2d(const Tensor& input, const PoolOptions& options) = 0;
  virtual Result<Tensor> global_average_pool(const Tensor& input) = 0;
  virtual Result<Tensor> activation(const Tensor& input, const reference::UnaryParams& params) = 0;
  virtual Result<Tensor> elementwise(reference::BinaryOp op, const Tensor& a, const Tensor& b) = 0;
  // The same values in a new shape of the same element count.
  virtual Result<Tensor> reshape(const Tensor& input, const Shape& shape) = 0;
  virtual Result<Tensor> gemm(const Tensor& a, const Tensor& b, const Tensor* c,
                              const reference::GemmParams& params) = 0;
  virtual Result<Tensor> matmul(const Tensor& a, const Tensor& b) = 0;
  virtual Result<Tensor> softmax(const Tensor& input, const reference::SoftmaxParams& params) = 0;
  virtual Result<Tensor> pad_constant(const Tensor& input, std::span<const int64_t> pads, float value) = 0;
  virtual Result<Tensor> resize(const Tensor& input, const Shape& output_shape,
                                std::span<const double> scales, const reference::ResizeParams& params) = 0;
  virtual Result<Tensor> gather(const Tensor& data, std::span<const int64_t> indices,
                                const Shape& indices_shape, int64_t axis) = 0;
  virtual Result<Tensor> expand(const Tensor& input, const Shape& shape) = 0;
};

enum class CpuOpsPath { Reference, Fast };
// The CPU backend: reference loops, or the fast path for the convolutions.
std::unique_ptr<Backend> make_cpu_backend(CpuOpsPath path);

// Everything one op call needs, for callers that pick the op by kind (the
// `convlab op` command, the backend tests).
struct OpArguments {
  std::vector<Tensor> inputs;  // op-specific order, see run_op
  Tensor* running_mean = nullptr;
  Tensor* running_var = nullptr;
  std::vector<int64_t> categories;
  Conv2dParams conv;
  ConvTranspose2dParams tconv;
  reference::BatchNormParams batch_norm;
  int64_t height = 0, width = 0;  // embed's plane, upsample's output size
  PoolOptions pool;
  reference::UnaryParams unary;
  reference::BinaryOp binary = reference::BinaryOp::Add;
  reference::GemmParams gemm;
  reference::SoftmaxParams softmax;
  Shape shape;                 // reshape's target, resize's output shape
  std::vector<double> scales;  // resize: per axis
  reference::ResizeParams resize;
  std::vector<int64_t> pads;  // pad: begins then ends
  float pad_value = 0.0f;
  std::vector<int64_t> indices;  // gather, of shape indices_shape, along axis
  Shape indices_shape;
  int64_t axis = 0;
};

// Runs `kind` on `backend`. inputs per kind: conv2d / conv_transpose2d: input,
// weight[, bias]; batch_norm: input, weight, bias (+ running_mean/var
// pointers); relu, rgb_to_lab, lab_to_rgb, upsample_bilinear: input; concat:
// all inputs; embed: table (+ categories, height, width); pool2d,
// global_average_pool, activation, reshape, softmax, pad, resize, gather:
// input (+ the fields of their own); elementwise, matmul: a, b; gemm: a, b[, c].
Result<Tensor> run_op(Backend& backend, OpKind kind, OpArguments& args);

}  // namespace convlab
