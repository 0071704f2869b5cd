#include "core/backend/graph_on_backend.h"

#include "core/model/node_shapes.h"
#include "core/model/plan.h"

namespace convlab {

namespace {

// A concat on any axis as the backend's concat of channels: each input seen
// as (outer, its part of the axis x inner, 1, 1), joined, seen again as the
// output's shape. Only the views change, the values are the backend's op's.
Result<Tensor> concat_any_axis(Backend& backend, const std::vector<Tensor>& inputs, int64_t axis,
                               const Shape& output) {
  const auto rank = static_cast<int64_t>(output.size());
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) return make_error("concat: axis ", axis, " is out of range for rank ", rank);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (d < a) outer *= output[static_cast<size_t>(d)];
    if (d > a) inner *= output[static_cast<size_t>(d)];
  }
  std::vector<Tensor> views;
  for (const Tensor& t : inputs) {
    auto view = backend.reshape(t, {outer, t.numel() / std::max<int64_t>(outer, 1), 1, 1});
    if (!view) return view.error();
    views.push_back(std::move(view).value());
  }
  std::vector<const Tensor*> pointers;
  for (const Tensor& v : views) pointers.push_back(&v);
  auto joined = backend.concat_channels(pointers);
  if (!joined) return joined.error();
  return backend.reshape(*joined, output);
}

}  // namespace

Result<std::unique_ptr<GraphOnBackendPass>> GraphOnBackendPass::begin(Backend& backend, const Model& model,
                                                                      std::map<std::string, Tensor> inputs,
                                                                      std::vector<int64_t> categories) {
  auto shapes = check_model_inputs(model, inputs);
  if (!shapes) return shapes.error();
  return std::unique_ptr<GraphOnBackendPass>(new GraphOnBackendPass(
      backend, model, std::move(inputs), std::move(categories), std::move(shapes).value()));
}

GraphOnBackendPass::GraphOnBackendPass(Backend& backend, const Model& model,
                                       std::map<std::string, Tensor> inputs, std::vector<int64_t> categories,
                                       std::map<std::string, Shape> shapes)
    : backend_(backend),
      model_(model),
      categories_(std::move(categories)),
      shapes_(std::move(shapes)),
      values_(std::move(inputs)) {}

std::string GraphOnBackendPass::next_result() const {
  return done() ? std::string() : model_.graph.nodes()[next_].name;
}

Status GraphOnBackendPass::step() {
  if (done()) return {};
  Backend& backend = backend_;
  const Model& model = model_;
  const std::vector<int64_t>& categories = categories_;
  const GraphNode& node = model.graph.nodes()[next_];
  const auto get = [&](const std::string& name) -> const Tensor& {
    if (auto it = values_.find(name); it != values_.end()) return it->second;
    return model.weights.at(name);
  };
  const auto weight = [&](const GraphNode& n, const char* field) -> const Tensor& {
    return model.weight(n.weights + "." + field);
  };
  OpArguments args;
  Tensor running_mean, running_var;
  switch (node.op) {
    case OpKind::Conv2d:
    case OpKind::ConvTranspose2d:
      args.inputs = {get(node.inputs[0]), weight(node, "weight"), weight(node, "bias")};
      args.conv = node.conv;
      args.tconv = node.tconv;
      break;
    case OpKind::BatchNorm2d:
      // Eval mode: the running statistics, copied so the model stays as it is.
      args.inputs = {get(node.inputs[0]), weight(node, "weight"), weight(node, "bias")};
      running_mean = weight(node, "running_mean");
      running_var = weight(node, "running_var");
      args.running_mean = &running_mean;
      args.running_var = &running_var;
      args.batch_norm = {false, node.momentum, node.eps};
      break;
    case OpKind::EmbedBroadcast: {
      const Tensor& like = get(node.inputs[1]);
      args.inputs = {weight(node, "weight")};
      args.categories = categories;
      args.height = like.h();
      args.width = like.w();
      break;
    }
    case OpKind::Gather:
      args.inputs = {get(node.inputs[0])};
      args.axis = node.axis;
      if (node.inputs.size() > 1) {  // indices from an integer input, held as exact floats
        const Tensor& index = get(node.inputs[1]);
        args.indices = indices_of(index);
        args.indices_shape = index.shape();
      } else {
        args.indices = node.indices;
        args.indices_shape = node.indices_shape;
      }
      break;
    default:
      for (const std::string& input : node.inputs) args.inputs.push_back(get(input));
      break;
  }
  args.pool = node.pool;
  args.unary = node.unary;
  args.binary = node.binary;
  args.gemm = node.gemm;
  args.softmax = node.softmax;
  args.pads = node.pads;
  args.pad_value = node.pad_value;
  args.resize = node.resize;
  args.shape = shapes_.at(node.name);
  if (node.op == OpKind::Resize) args.scales = resize_scales(node, args.inputs[0].shape(), args.shape);
  auto out = node.op == OpKind::Concat ? concat_any_axis(backend, args.inputs, node.axis, args.shape)
                                       : run_op(backend, node.op, args);
  if (!out)
    return make_error("node ", node.name, " (", op_name(node.op), ") on ", backend.name(), ": ",
                      out.message());
  values_[node.name] = std::move(out).value();
  ++next_;
  return {};
}

Result<std::map<std::string, Tensor>> run_graph_on(Backend& backend, const Model& model,
                                                   const std::map<std::string, Tensor>& inputs,
                                                   const std::vector<int64_t>& categories) {
  auto pass = GraphOnBackendPass::begin(backend, model, inputs, categories);
  if (!pass) return pass.error();
  while (!(*pass)->done()) CONVLAB_TRY((*pass)->step());
  return (*pass)->finish();
}

}  // namespace convlab
