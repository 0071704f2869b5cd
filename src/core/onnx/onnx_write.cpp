#include "core/onnx/onnx_write.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <exception>
#include <span>

#include "core/io/safetensors.h"

namespace convlab::onnx_model {
namespace {

void add_ints(onnx::NodeProto& node, const char* name, std::initializer_list<int64_t> values) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}
void add_int(onnx::NodeProto& node, const char* name, int64_t value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}
void add_float(onnx::NodeProto& node, const char* name, float value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(value);
}

void add_initializer(onnx::GraphProto& graph, const std::string& name, const Tensor& tensor) {
  auto* t = graph.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : tensor.shape()) t->add_dims(d);
  t->set_raw_data(
      std::string(reinterpret_cast<const char*>(tensor.data()), static_cast<size_t>(tensor.numel()) * 4));
}

void add_value_info(onnx::ValueInfoProto& info, const std::string& name, const Shape& shape) {
  info.set_name(name);
  auto* type = info.mutable_type()->mutable_tensor_type();
  type->set_elem_type(onnx::TensorProto::FLOAT);
  auto* dims = type->mutable_shape();
  for (size_t i = 0; i < shape.size(); ++i) {
    auto* dim = dims->add_dim();
    if (shape[i] < 0) {
      // Free sizes get names ("N" the batch, "d2" an axis); appended, as
      // GCC 12 warns (falsely) on "d" + std::string.
      std::string param = "N";
      if (i > 0) param = std::string("d").append(std::to_string(i));
      dim->set_dim_param(param);
    } else
      dim->set_dim_value(shape[i]);
  }
}

Status add_node(onnx::GraphProto& graph, const Model& model, const GraphNode& g) {
  auto& node = *graph.add_node();
  node.set_name(g.name);
  node.add_output(g.name);
  if (!g.description.empty()) node.set_doc_string(g.description);
  for (const auto& input : g.inputs) node.add_input(input);
  const auto weight = [&](const char* field) {
    const std::string name = g.weights + "." + field;
    node.add_input(name);
    add_initializer(graph, name, model.weight(name));
  };
  switch (g.op) {
    case OpKind::Conv2d:
      node.set_op_type("Conv");
      weight("weight");
      weight("bias");
      add_ints(node, "kernel_shape", {g.kernel, g.kernel_width()});
      add_ints(node, "strides", {g.conv.stride_h, g.conv.stride_w});
      add_ints(node, "dilations", {g.conv.dilation_h, g.conv.dilation_w});
      add_ints(node, "pads",
               {g.conv.padding.top, g.conv.padding.left, g.conv.padding.bottom, g.conv.padding.right});
      add_int(node, "group", g.conv.groups);
      return {};
    case OpKind::ConvTranspose2d:
      node.set_op_type("ConvTranspose");
      weight("weight");
      weight("bias");
      add_ints(node, "kernel_shape", {g.kernel, g.kernel_width()});
      add_ints(node, "strides", {g.tconv.stride_h, g.tconv.stride_w});
      add_ints(node, "dilations", {g.tconv.dilation_h, g.tconv.dilation_w});
      add_ints(node, "pads", {g.tconv.padding_h, g.tconv.padding_w, g.tconv.padding_h, g.tconv.padding_w});
      add_ints(node, "output_padding", {g.tconv.output_padding_h, g.tconv.output_padding_w});
      add_int(node, "group", g.tconv.groups);
      return {};
    case OpKind::BatchNorm2d:
      node.set_op_type("BatchNormalization");
      for (const char* field : {"weight", "bias", "running_mean", "running_var"}) weight(field);
      add_float(node, "epsilon", g.eps);
      add_float(node, "momentum", 1.0f - g.momentum);  // ONNX's momentum weighs the old value
      return {};
    case OpKind::Relu:
      node.set_op_type("Relu");
      return {};
    case OpKind::Concat:
      node.set_op_type("Concat");
      add_int(node, "axis", g.axis);
      return {};
    case OpKind::Pool2d: {
      const auto& w = g.pool.params.window;
      node.set_op_type(g.pool.kind == PoolKind::Max ? "MaxPool" : "AveragePool");
      add_ints(node, "kernel_shape", {g.pool.kernel.h, g.pool.kernel.w});
      add_ints(node, "strides", {w.stride_h, w.stride_w});
      add_ints(node, "pads", {w.padding.top, w.padding.left, w.padding.bottom, w.padding.right});
      add_int(node, "ceil_mode", g.pool.params.ceil_mode ? 1 : 0);
      if (g.pool.kind == PoolKind::Max)
        add_ints(node, "dilations", {w.dilation_h, w.dilation_w});
      else if (w.dilation_h != 1 || w.dilation_w != 1)
        return make_error("node ", g.name, ": ONNX's AveragePool (opset 17) has no dilations");
      else
        add_int(node, "count_include_pad", g.pool.count_include_pad ? 1 : 0);
      return {};
    }
    case OpKind::Reshape:
      if (!g.shape_spec.empty()) {
        node.set_op_type("Reshape");
        const std::string shape = g.name + ".shape";
        auto* t = graph.add_initializer();
        t->set_name(shape);
        t->set_data_type(onnx::TensorProto::INT64);
        t->add_dims(static_cast<int64_t>(g.shape_spec.size()));
        for (int64_t v : g.shape_spec) t->add_int64_data(v);
        node.add_input(shape);
        return {};
      }
      node.set_op_type("Flatten");
      add_int(node, "axis", g.axis);
      return {};
    case OpKind::Gemm:
      node.set_op_type("Gemm");
      add_float(node, "alpha", g.gemm.alpha);
      add_float(node, "beta", g.gemm.beta);
      add_int(node, "transA", g.gemm.trans_a ? 1 : 0);
      add_int(node, "transB", g.gemm.trans_b ? 1 : 0);
      return {};
    default:
      return make_error("node ", g.name, ": writing op ", op_name(g.op),
                        " to ONNX is not supported; supported: conv2d, conv_transpose2d, batch_norm, relu, "
                        "concat, pool2d, reshape, gemm");
  }
}

}  // namespace

Result<std::string> onnx_bytes(const Model& model, const std::map<std::string, std::string>& metadata,
                               const std::string& doc) {
  const Graph& graph = model.graph;
  onnx::ModelProto proto;
  proto.set_ir_version(8);
  proto.set_producer_name("convlab");
  proto.set_model_version(1);
  auto* opset = proto.add_opset_import();
  opset->set_domain("");
  opset->set_version(17);
  for (const auto& [key, value] : metadata) {
    auto* prop = proto.add_metadata_props();
    prop->set_key(key);
    prop->set_value(value);
  }
  onnx::GraphProto& g = *proto.mutable_graph();
  g.set_name(graph.name());
  if (!doc.empty()) g.set_doc_string(doc);
  std::map<std::string, Shape> example;
  for (const GraphInput& input : graph.inputs()) {
    add_value_info(*g.add_input(), input.name, input.shape);
    Shape shape = input.shape;
    for (auto& d : shape) d = d < 0 ? 1 : d;
    example[input.name] = shape;
  }
  auto shapes = graph.infer_shapes(example);
  if (!shapes) return shapes.error();
  for (const auto& [name, shape] : graph.constants()) add_initializer(g, name, model.weight(name));
  for (const GraphNode& node : graph.nodes()) CONVLAB_TRY(add_node(g, model, node));
  for (const std::string& output : graph.outputs()) {
    Shape shape = shapes->at(output);
    if (!graph.inputs().empty() && graph.inputs()[0].shape[0] < 0) shape[0] = -1;  // the batch stays free
    add_value_info(*g.add_output(), output, shape);
  }
  try {
    onnx::checker::check_model(proto);
  } catch (const std::exception& e) {
    return make_error("the ONNX model written from ", graph.name(), " fails ONNX's checker: ", e.what());
  }
  std::string bytes;
  if (!proto.SerializeToString(&bytes))
    return make_error("cannot encode the ", graph.name(), " model as ONNX");
  return bytes;
}

Status write_onnx_file(const std::string& path, const Model& model,
                       const std::map<std::string, std::string>& metadata, const std::string& doc) {
  auto bytes = onnx_bytes(model, metadata, doc);
  if (!bytes) return with_context(path + ": ", bytes.error());
  return write_file_atomically(
      path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()));
}

}  // namespace convlab::onnx_model
