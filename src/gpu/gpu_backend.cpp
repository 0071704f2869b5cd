#include "gpu/gpu_backend.h"

#include <vector>

namespace convlab::gpu {
namespace {

// Uploads, or passes the upload's error on.
#define CONVLAB_UPLOAD(name, tensor)                \
  auto name##_upload = GpuTensor::upload(tensor);   \
  if (!name##_upload) return name##_upload.error(); \
  GpuTensor& name = *name##_upload

Result<Tensor> download(Result<GpuTensor> result) {
  if (!result) return result.error();
  return result->download();
}

}  // namespace

Result<std::unique_ptr<GpuBackend>> GpuBackend::create(const std::string& shader_dir) {
  auto context = GlContext::create_headless();
  if (!context) return context.error();
  std::unique_ptr<GpuBackend> backend(new GpuBackend());
  backend->context_ = std::move(context).value();
  backend->programs_ = std::make_unique<ProgramCache>(shader_dir);
  backend->ops_ = std::make_unique<GpuOps>(*backend->programs_);
  return backend;
}

Result<std::unique_ptr<GpuBackend>> GpuBackend::on_current_context() {
  auto context = GlContext::adopt_current();
  if (!context) return context.error();
  std::unique_ptr<GpuBackend> backend(new GpuBackend());
  backend->context_ = std::move(context).value();
  backend->programs_ = std::make_unique<ProgramCache>(std::string());
  backend->ops_ = std::make_unique<GpuOps>(*backend->programs_);
  return backend;
}

Result<Tensor> GpuBackend::conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                  const Conv2dParams& params) {
  CONVLAB_UPLOAD(g_input, input);
  CONVLAB_UPLOAD(g_weight, weight);
  CONVLAB_UPLOAD(g_bias, bias ? *bias : Tensor({0}));
  return download(ops_->conv2d(g_input, g_weight, bias ? &g_bias : nullptr, params));
}

Result<Tensor> GpuBackend::conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                            const ConvTranspose2dParams& params) {
  CONVLAB_UPLOAD(g_input, input);
  CONVLAB_UPLOAD(g_weight, weight);
  CONVLAB_UPLOAD(g_bias, bias ? *bias : Tensor({0}));
  return download(ops_->conv_transpose2d(g_input, g_weight, bias ? &g_bias : nullptr, params));
}

Result<Tensor> GpuBackend::batch_norm2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                        Tensor& running_mean, Tensor& running_var,
                                        const reference::BatchNormParams& params) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->batch_norm2d(g_input, weight, bias, running_mean, running_var, params));
}

Result<Tensor> GpuBackend::relu(const Tensor& input) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->relu(g_input));
}

Result<Tensor> GpuBackend::concat_channels(std::span<const Tensor* const> inputs) {
  std::vector<GpuTensor> uploaded;
  for (const Tensor* t : inputs) {
    auto g = GpuTensor::upload(*t);
    if (!g) return g.error();
    uploaded.push_back(std::move(g).value());
  }
  std::vector<const GpuTensor*> pointers;
  for (const GpuTensor& g : uploaded) pointers.push_back(&g);
  return download(ops_->concat_channels(pointers));
}

Result<Tensor> GpuBackend::embed_broadcast(const Tensor& table, std::span<const int64_t> categories,
                                           int64_t height, int64_t width) {
  // The host checks what the shader cannot: every index inside the table.
  if (table.rank() != 2)
    return make_error("embed: the table must be rows,dim but has shape ", shape_to_string(table.shape()));
  for (size_t i = 0; i < categories.size(); ++i)
    if (categories[i] < 0 || categories[i] >= table.dim(0))
      return make_error("embed: category ", categories[i], " (image ", i, ") is outside the table's rows 0..",
                        table.dim(0) - 1);
  if (height < 1 || width < 1)
    return make_error("embed: the plane must be at least 1x1, got ", height, "x", width);
  CONVLAB_UPLOAD(g_table, table);
  auto g_categories = GpuTensor::upload_ints(categories);
  if (!g_categories) return g_categories.error();
  auto out = GpuTensor::allocate({static_cast<int64_t>(categories.size()), table.dim(1), height, width});
  if (!out) return out.error();
  CONVLAB_TRY(ops_->embed_broadcast(g_table, *g_categories, GpuSlot{&*out, 0}));
  return out->download();
}

Result<Tensor> GpuBackend::rgb_to_lab(const Tensor& rgb) {
  CONVLAB_UPLOAD(g_input, rgb);
  return download(ops_->rgb_to_lab(g_input));
}

Result<Tensor> GpuBackend::lab_to_rgb(const Tensor& lab) {
  CONVLAB_UPLOAD(g_input, lab);
  return download(ops_->lab_to_rgb(g_input));
}

Result<Tensor> GpuBackend::upsample_bilinear(const Tensor& input, int64_t out_h, int64_t out_w) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->upsample_bilinear(g_input, out_h, out_w));
}

// ---- the ops of CNNs read from ONNX ----------------------------------------

Result<Tensor> GpuBackend::pool2d(const Tensor& input, const PoolOptions& options) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->pool2d(g_input, options));
}

Result<Tensor> GpuBackend::global_average_pool(const Tensor& input) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->global_average_pool(g_input));
}

Result<Tensor> GpuBackend::activation(const Tensor& input, const reference::UnaryParams& params) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->activation(g_input, params));
}

Result<Tensor> GpuBackend::elementwise(reference::BinaryOp op, const Tensor& a, const Tensor& b) {
  CONVLAB_UPLOAD(g_a, a);
  CONVLAB_UPLOAD(g_b, b);
  return download(ops_->elementwise(op, g_a, g_b));
}

Result<Tensor> GpuBackend::reshape(const Tensor& input, const Shape& shape) {
  // No shader: on the GPU a reshape only relabels the buffer.
  CONVLAB_UPLOAD(g_input, input);
  CONVLAB_TRY(g_input.reshape(shape));
  return g_input.download();
}

Result<Tensor> GpuBackend::gemm(const Tensor& a, const Tensor& b, const Tensor* c,
                                const reference::GemmParams& params) {
  CONVLAB_UPLOAD(g_a, a);
  CONVLAB_UPLOAD(g_b, b);
  CONVLAB_UPLOAD(g_c, c ? *c : Tensor({0}));
  return download(ops_->gemm(g_a, g_b, c ? &g_c : nullptr, params));
}

Result<Tensor> GpuBackend::matmul(const Tensor& a, const Tensor& b) {
  CONVLAB_UPLOAD(g_a, a);
  CONVLAB_UPLOAD(g_b, b);
  return download(ops_->matmul(g_a, g_b));
}

Result<Tensor> GpuBackend::softmax(const Tensor& input, const reference::SoftmaxParams& params) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->softmax(g_input, params));
}

Result<Tensor> GpuBackend::pad_constant(const Tensor& input, std::span<const int64_t> pads, float value) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->pad_constant(g_input, pads, value));
}

Result<Tensor> GpuBackend::resize(const Tensor& input, const Shape& output_shape,
                                  std::span<const double> scales, const reference::ResizeParams& params) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->resize(g_input, output_shape, scales, params));
}

Result<Tensor> GpuBackend::gather(const Tensor& data, std::span<const int64_t> indices,
                                  const Shape& indices_shape, int64_t axis) {
  CONVLAB_UPLOAD(g_data, data);
  return download(ops_->gather(g_data, indices, indices_shape, axis));
}

Result<Tensor> GpuBackend::expand(const Tensor& input, const Shape& shape) {
  CONVLAB_UPLOAD(g_input, input);
  return download(ops_->expand(g_input, shape));
}

}  // namespace convlab::gpu
