// Convolutions of training, forward and backward, as the three matrix forms
// of conv_matrix.h. Shape checks come from reference.h, so every path reports
// a bad shape with the same message.
#include <algorithm>
#include <climits>

#include "core/ops/reference.h"
#include "core/train/backward.h"
#include "core/train/conv_matrix.h"
#include "core/train/forward.h"

namespace convlab::train {
namespace {

using detail::ConvGeometry;

// conv2d: the image is the input, the grid the output.
ConvGeometry conv2d_geometry(const Tensor& input, const Tensor& weight, const Shape& out,
                             const Conv2dParams& p) {
  return {.n = input.n(),
          .ci = input.c(),
          .h = input.h(),
          .w = input.w(),
          .cg = out[1],
          .gh = out[2],
          .gw = out[3],
          .kh = weight.h(),
          .kw = weight.w(),
          .stride_h = p.stride_h,
          .stride_w = p.stride_w,
          .pad_top = p.padding.top,
          .pad_left = p.padding.left,
          .dilation_h = p.dilation_h,
          .dilation_w = p.dilation_w};
}

// conv_transpose2d: the image is the output (its weight maps the output's
// patches onto the input's cells), the grid the input.
ConvGeometry conv_transpose2d_geometry(const Tensor& input, const Tensor& weight, const Shape& out,
                                       const ConvTranspose2dParams& p) {
  return {.n = input.n(),
          .ci = out[1],
          .h = out[2],
          .w = out[3],
          .cg = input.c(),
          .gh = input.h(),
          .gw = input.w(),
          .kh = weight.h(),
          .kw = weight.w(),
          .stride_h = p.stride_h,
          .stride_w = p.stride_w,
          .pad_top = p.padding_h,
          .pad_left = p.padding_w,
          .dilation_h = p.dilation_h,
          .dilation_w = p.dilation_w};
}

// Matrix products index with int (BLAS); refuse what would overflow it.
Status check_blas_sizes(const ConvGeometry& g, const char* op) {
  const int64_t largest = std::max({g.k() * g.cg, g.ci * g.h * g.w, g.cg * g.gh * g.gw});
  if (largest > INT_MAX)
    return make_error(op, ": a matrix of ", largest, " values is more than BLAS indexes (", INT_MAX,
                      "): use smaller images or fewer channels");
  return {};
}

Status check_grad_output(const Tensor& grad_output, const Shape& expected, const char* op) {
  if (grad_output.shape() != expected)
    return make_error(op, " backward: grad_output has shape ", shape_to_string(grad_output.shape()),
                      " but the op's output has shape ", shape_to_string(expected));
  return {};
}

}  // namespace

Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                      const Conv2dParams& params) {
  auto shape = reference::conv2d_output_shape(input, weight, bias, params);
  if (!shape) return shape.error();
  const ConvGeometry g = conv2d_geometry(input, weight, *shape, params);
  CONVLAB_TRY(check_blas_sizes(g, "conv2d"));
  Tensor out(*shape);
  detail::gather(g, input.data(), weight.data(), bias ? bias->data() : nullptr, out.data());
  return out;
}

Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const ConvTranspose2dParams& params) {
  auto shape = reference::conv_transpose2d_output_shape(input, weight, bias, params);
  if (!shape) return shape.error();
  const ConvGeometry g = conv_transpose2d_geometry(input, weight, *shape, params);
  CONVLAB_TRY(check_blas_sizes(g, "conv_transpose2d"));
  Tensor out(*shape);
  detail::scatter(g, input.data(), weight.data(), bias ? bias->data() : nullptr, out.data());
  return out;
}

Result<ConvGrads> conv2d_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output,
                                  const Conv2dParams& params, bool want_input) {
  auto shape = reference::conv2d_output_shape(input, weight, nullptr, params);
  if (!shape) return shape.error();
  CONVLAB_TRY(check_grad_output(grad_output, *shape, "conv2d"));
  const ConvGeometry g = conv2d_geometry(input, weight, *shape, params);
  CONVLAB_TRY(check_blas_sizes(g, "conv2d"));
  ConvGrads grads{Tensor(), Tensor(weight.shape()), Tensor({g.cg})};
  detail::correlate(g, input.data(), grad_output.data(), grads.weight.data());
  detail::channel_sums(grad_output.data(), g.n, g.cg, g.gh * g.gw, grads.bias.data());
  if (want_input) {
    grads.input = Tensor(input.shape());
    detail::scatter(g, grad_output.data(), weight.data(), nullptr, grads.input.data());
  }
  return grads;
}

Result<ConvGrads> conv_transpose2d_backward(const Tensor& input, const Tensor& weight,
                                            const Tensor& grad_output, const ConvTranspose2dParams& params,
                                            bool want_input) {
  auto shape = reference::conv_transpose2d_output_shape(input, weight, nullptr, params);
  if (!shape) return shape.error();
  CONVLAB_TRY(check_grad_output(grad_output, *shape, "conv_transpose2d"));
  const ConvGeometry g = conv_transpose2d_geometry(input, weight, *shape, params);
  CONVLAB_TRY(check_blas_sizes(g, "conv_transpose2d"));
  ConvGrads grads{Tensor(), Tensor(weight.shape()), Tensor({g.ci})};
  detail::correlate(g, grad_output.data(), input.data(), grads.weight.data());
  detail::channel_sums(grad_output.data(), g.n, g.ci, g.h * g.w, grads.bias.data());
  if (want_input) {
    grads.input = Tensor(input.shape());
    detail::gather(g, grad_output.data(), weight.data(), nullptr, grads.input.data());
  }
  return grads;
}

}  // namespace convlab::train
