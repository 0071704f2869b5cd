// Every product of the forward sum, out += x * w, contributes
// dL/dout * w to dL/dx and dL/dout * x to dL/dw; these loops visit each
// product once, exactly as reference.h's forward loops do.
#include "core/train/reference_backward.h"

#include <vector>

#include "core/ops/reference.h"

namespace convlab::train::reference {
namespace {

struct DoubleGrads {
  std::vector<double> input, weight, bias;
  DoubleGrads(const Tensor& x, const Tensor& w, int64_t bias_size)
      : input(static_cast<size_t>(x.numel())),
        weight(static_cast<size_t>(w.numel())),
        bias(static_cast<size_t>(bias_size)) {}

  ConvGrads to_float(const Tensor& x, const Tensor& w) const {
    ConvGrads out{Tensor(x.shape()), Tensor(w.shape()), Tensor({static_cast<int64_t>(bias.size())})};
    for (size_t i = 0; i < input.size(); ++i) out.input.values()[i] = static_cast<float>(input[i]);
    for (size_t i = 0; i < weight.size(); ++i) out.weight.values()[i] = static_cast<float>(weight[i]);
    for (size_t i = 0; i < bias.size(); ++i) out.bias.values()[i] = static_cast<float>(bias[i]);
    return out;
  }
};

Status check_grad_output(const Tensor& grad_output, const Shape& expected, const char* op) {
  if (grad_output.shape() != expected)
    return make_error(op, " backward: grad_output has shape ", shape_to_string(grad_output.shape()),
                      " but the op's output has shape ", shape_to_string(expected));
  return {};
}

}  // namespace

Result<ConvGrads> conv2d_backward(const Tensor& input, const Tensor& weight, const Tensor& grad_output,
                                  const Conv2dParams& p) {
  auto shape = convlab::reference::conv2d_output_shape(input, weight, nullptr, p);
  if (!shape) return shape.error();
  CONVLAB_TRY(check_grad_output(grad_output, *shape, "conv2d"));
  DoubleGrads g(input, weight, weight.n());
  const Tensor& dy = grad_output;
  for (int64_t n = 0; n < dy.n(); ++n)
    for (int64_t o = 0; o < dy.c(); ++o)
      for (int64_t oy = 0; oy < dy.h(); ++oy)
        for (int64_t ox = 0; ox < dy.w(); ++ox) {
          const double d = dy.at(n, o, oy, ox);
          g.bias[static_cast<size_t>(o)] += d;
          for (int64_t c = 0; c < input.c(); ++c)
            for (int64_t ky = 0; ky < weight.h(); ++ky) {
              const int64_t iy = oy * p.stride_h - p.padding.top + ky * p.dilation_h;
              if (iy < 0 || iy >= input.h()) continue;
              for (int64_t kx = 0; kx < weight.w(); ++kx) {
                const int64_t ix = ox * p.stride_w - p.padding.left + kx * p.dilation_w;
                if (ix < 0 || ix >= input.w()) continue;
                g.input[static_cast<size_t>(input.offset(n, c, iy, ix))] += d * weight.at(o, c, ky, kx);
                g.weight[static_cast<size_t>(weight.offset(o, c, ky, kx))] += d * input.at(n, c, iy, ix);
              }
            }
        }
  return g.to_float(input, weight);
}

Result<ConvGrads> conv_transpose2d_backward(const Tensor& input, const Tensor& weight,
                                            const Tensor& grad_output, const ConvTranspose2dParams& p) {
  auto shape = convlab::reference::conv_transpose2d_output_shape(input, weight, nullptr, p);
  if (!shape) return shape.error();
  CONVLAB_TRY(check_grad_output(grad_output, *shape, "conv_transpose2d"));
  DoubleGrads g(input, weight, weight.c());
  const Tensor& dy = grad_output;
  for (int64_t n = 0; n < dy.n(); ++n)
    for (int64_t o = 0; o < dy.c(); ++o)
      for (int64_t y = 0; y < dy.h(); ++y)
        for (int64_t x = 0; x < dy.w(); ++x) g.bias[static_cast<size_t>(o)] += dy.at(n, o, y, x);
  // Forward: out[iy*s - p + ky*d][ix*s - p + kx*d] += x[c][iy][ix] * w[c][o][ky][kx],
  // where that cell survives the crop (and output_padding's extension).
  for (int64_t n = 0; n < input.n(); ++n)
    for (int64_t c = 0; c < input.c(); ++c)
      for (int64_t iy = 0; iy < input.h(); ++iy)
        for (int64_t ix = 0; ix < input.w(); ++ix)
          for (int64_t o = 0; o < dy.c(); ++o)
            for (int64_t ky = 0; ky < weight.h(); ++ky) {
              const int64_t y = iy * p.stride_h - p.padding_h + ky * p.dilation_h;
              if (y < 0 || y >= dy.h()) continue;
              for (int64_t kx = 0; kx < weight.w(); ++kx) {
                const int64_t x = ix * p.stride_w - p.padding_w + kx * p.dilation_w;
                if (x < 0 || x >= dy.w()) continue;
                const double d = dy.at(n, o, y, x);
                g.input[static_cast<size_t>(input.offset(n, c, iy, ix))] += d * weight.at(c, o, ky, kx);
                g.weight[static_cast<size_t>(weight.offset(c, o, ky, kx))] += d * input.at(n, c, iy, ix);
              }
            }
  return g.to_float(input, weight);
}

}  // namespace convlab::train::reference
