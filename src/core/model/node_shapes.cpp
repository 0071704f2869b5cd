#include "core/model/node_shapes.h"

namespace convlab {

namespace {

Status expect_inputs(const GraphNode& node, const std::vector<const Shape*>& inputs, size_t low,
                     size_t high) {
  if (inputs.size() < low || inputs.size() > high)
    return make_error(op_name(node.op), " takes ",
                      low == high ? std::to_string(low) : std::to_string(low) + " to " + std::to_string(high),
                      " inputs, got ", inputs.size());
  return {};
}

Status expect_image(const Shape& shape, const char* what) {
  if (shape.size() != 4) return make_error(what, " must be (N, C, H, W), got ", shape_to_string(shape));
  return {};
}

Size2d spatial(const Shape& s) { return {static_cast<int>(s[2]), static_cast<int>(s[3])}; }

}  // namespace

Result<Shape> node_output_shape(const GraphNode& node, const std::vector<const Shape*>& inputs) {
  if (inputs.empty()) return make_error(op_name(node.op), " has no inputs");
  const Shape& x = *inputs[0];
  switch (node.op) {
    case OpKind::Conv2d:
    case OpKind::ConvTranspose2d: {
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      CONVLAB_TRY(expect_image(x, "the input"));
      if (x[1] != node.in_channels)
        return make_error("the weights expect ", node.in_channels, " input channels but the input ",
                          shape_to_string(x), " has ", x[1]);
      const Size2d kernel{node.kernel, node.kernel_width()};
      auto size = node.op == OpKind::Conv2d ? conv2d_output_size(spatial(x), kernel, node.conv)
                                            : conv_transpose2d_output_size(spatial(x), kernel, node.tconv);
      if (!size) return size.error();
      return Shape{x[0], node.out_channels, size->h, size->w};
    }
    case OpKind::BatchNorm2d:
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      CONVLAB_TRY(expect_image(x, "the input"));
      if (x[1] != node.channels)
        return make_error("the statistics are for ", node.channels, " channels but the input ",
                          shape_to_string(x), " has ", x[1]);
      return x;
    case OpKind::Relu:
    case OpKind::Activation:
    case OpKind::Softmax:
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      return x;
    case OpKind::Concat:
      return reference::concat_shape(inputs, node.axis);
    case OpKind::EmbedBroadcast:
      CONVLAB_TRY(expect_inputs(node, inputs, 2, 2));
      CONVLAB_TRY(expect_image(*inputs[1], "the tensor whose plane an embed fills"));
      return Shape{x[0], node.dim, (*inputs[1])[2], (*inputs[1])[3]};
    case OpKind::Pool2d: {
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      CONVLAB_TRY(expect_image(x, "the input"));
      auto size = pool2d_output_size(spatial(x), node.pool.kernel, node.pool.params);
      if (!size) return size.error();
      return Shape{x[0], x[1], size->h, size->w};
    }
    case OpKind::GlobalAveragePool: {
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      if (x.size() < 3) return make_error("the input ", shape_to_string(x), " needs rank 3 or more");
      Shape out = x;
      for (size_t i = 2; i < out.size(); ++i) out[i] = 1;
      return out;
    }
    case OpKind::Elementwise:
      CONVLAB_TRY(expect_inputs(node, inputs, 2, 2));
      return reference::broadcast_shapes(x, *inputs[1]);
    case OpKind::Reshape:
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      if (node.shape_spec.empty()) return reference::flatten_shape(x, node.axis);
      return reference::reshape_shape(x, node.shape_spec);
    case OpKind::Gemm:
      CONVLAB_TRY(expect_inputs(node, inputs, 2, 3));
      return reference::gemm_shape(x, *inputs[1], inputs.size() > 2 ? inputs[2] : nullptr, node.gemm);
    case OpKind::MatMul:
      CONVLAB_TRY(expect_inputs(node, inputs, 2, 2));
      return reference::matmul_shape(x, *inputs[1]);
    case OpKind::Pad:
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      return reference::pad_shape(x, node.pads);
    case OpKind::Resize:
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      return reference::resize_shape(x, node.sizes, node.scales);
    case OpKind::Gather:
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 2));
      return reference::gather_shape(x, inputs.size() > 1 ? *inputs[1] : node.indices_shape, node.axis);
    case OpKind::Expand:
      CONVLAB_TRY(expect_inputs(node, inputs, 1, 1));
      return reference::broadcast_shapes(x, Shape(node.shape_spec.begin(), node.shape_spec.end()));
    case OpKind::RgbToLab:
    case OpKind::LabToRgb:
    case OpKind::UpsampleBilinear:
    case OpKind::Count:
      break;
  }
  return make_error("op ", op_name(node.op), " cannot be a graph node");
}

std::vector<double> resize_scales(const GraphNode& node, const Shape& input, const Shape& output) {
  if (node.sizes.empty()) return node.scales;
  std::vector<double> scales;
  for (size_t d = 0; d < input.size() && d < output.size(); ++d)
    scales.push_back(static_cast<double>(output[d]) / static_cast<double>(input[d]));
  return scales;
}

std::vector<int64_t> indices_of(const Tensor& index) {
  std::vector<int64_t> indices;
  indices.reserve(static_cast<size_t>(index.numel()));
  for (float v : index.values()) indices.push_back(static_cast<int64_t>(v));
  return indices;
}

}  // namespace convlab
