// The graph walked forward in training mode, then backward in reverse node
// order: each node turns the gradient of its value into gradients of its
// inputs (summed where a value feeds several nodes, like the embedding table
// both injections share) and of its parameters.
#include "core/train/trainer_model.h"

#include <set>

#include "core/model/plan.h"
#include "core/train/backward.h"
#include "core/train/classifier_ops.h"
#include "core/train/elementwise.h"
#include "core/train/loss.h"

namespace convlab::train {
namespace {

constexpr const char* kGray = "gray";
constexpr const char* kCategory = "category";

// Whether `name` is data the caller gave (nothing to learn, no gradient).
bool is_data(const Graph& graph, const std::string& name) {
  if (name == kGray || name == kCategory) return true;
  for (const GraphInput& input : graph.inputs())
    if (input.name == name) return true;
  return false;
}

// The layers a trained graph's Gemm may be: PyTorch's nn.Linear, which
// ONNX writes as Gemm(x, W, b) with transB = 1, W and b constants.
Status check_linear_gemm(const Graph& graph, const GraphNode& node) {
  const auto& g = node.gemm;
  if (node.inputs.size() != 3 || g.trans_a || !g.trans_b || g.alpha != 1.0f || g.beta != 1.0f ||
      !graph.is_constant(node.inputs[1]) || !graph.is_constant(node.inputs[2]))
    return make_error(
        "only a linear layer's Gemm trains (x times a constant weight transposed, plus a "
        "constant bias, alpha = beta = 1)");
  return {};
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The ReLU that is the only consumer of `name`, if there is one.
const GraphNode* only_relu_consumer(const Graph& graph, const std::string& name) {
  const GraphNode* found = nullptr;
  int consumers = name == graph.output() ? 1 : 0;
  for (const auto& node : graph.nodes())
    for (const auto& input : node.inputs)
      if (input == name) {
        ++consumers;
        found = &node;
      }
  return consumers == 1 && found->op == OpKind::Relu ? found : nullptr;
}

void add_into(Tensor& sum, const Tensor& more) {
  float* s = sum.data();
  const float* m = more.data();
  detail::parallel_values(sum.numel(), [&](int64_t begin, int64_t end) {
    detail::add_values(s + begin, m + begin, end - begin);
  });
}

// Gradients by name, summed when several nodes contribute.
void accumulate(TensorMap& grads, const std::string& name, Tensor grad) {
  auto it = grads.find(name);
  if (it == grads.end())
    grads.emplace(name, std::move(grad));
  else
    add_into(it->second, grad);
}

class ForwardWalk {
 public:
  ForwardWalk(Model& model, TrainForward& out) : model_(model), out_(out) {}

  Status run(const GraphNode& node) {
    auto value = compute(node);
    if (!value) return with_context("node " + node.name + " (training forward): ", value.error());
    return {};
  }

 private:
  const Tensor& get(const std::string& name) const { return out_.values.at(name); }
  Tensor& weight(const GraphNode& node, const char* field) {
    return model_.weights.at(node.weights + "." + field);
  }
  void put(const std::string& name, Tensor value) { out_.values[name] = std::move(value); }

  Status compute(const GraphNode& node) {
    switch (node.op) {
      case OpKind::Conv2d: {
        auto y = conv2d(get(node.inputs[0]), weight(node, "weight"), &weight(node, "bias"), node.conv);
        if (!y) return y.error();
        put(node.name, std::move(y).value());
        return {};
      }
      case OpKind::ConvTranspose2d: {
        auto y =
            conv_transpose2d(get(node.inputs[0]), weight(node, "weight"), &weight(node, "bias"), node.tconv);
        if (!y) return y.error();
        put(node.name, std::move(y).value());
        return {};
      }
      case OpKind::BatchNorm2d:
        return batch_norm(node);
      case OpKind::Relu:
        put(node.name, relu(get(node.inputs[0])));
        return {};
      case OpKind::Concat: {
        std::vector<const Tensor*> parts;
        for (const auto& input : node.inputs) parts.push_back(&get(input));
        auto y = concat_channels(parts);
        if (!y) return y.error();
        put(node.name, std::move(y).value());
        return {};
      }
      case OpKind::Pool2d: {
        auto y = max_pool2d_train(get(node.inputs[0]), node.pool);
        if (!y) return y.error();
        out_.pool_argmax[node.name] = std::move(y->argmax);
        put(node.name, std::move(y->output));
        return {};
      }
      case OpKind::Reshape: {
        const Tensor& x = get(node.inputs[0]);
        auto shape = node.shape_spec.empty() ? reference::flatten_shape(x.shape(), node.axis)
                                             : reference::reshape_shape(x.shape(), node.shape_spec);
        if (!shape) return shape.error();
        auto y = x.reshaped(*shape);
        if (!y) return y.error();
        put(node.name, std::move(y).value());
        return {};
      }
      case OpKind::Gemm: {
        CONVLAB_TRY(check_linear_gemm(model_.graph, node));
        auto y =
            linear(get(node.inputs[0]), model_.weights.at(node.inputs[1]), model_.weights.at(node.inputs[2]));
        if (!y) return y.error();
        put(node.name, std::move(y).value());
        return {};
      }
      case OpKind::EmbedBroadcast: {
        const Tensor& like = get(node.inputs[1]);
        auto y = embed_broadcast(weight(node, "weight"), out_.categories, like.h(), like.w());
        if (!y) return y.error();
        put(node.name, std::move(y).value());
        return {};
      }
      default:
        return make_error("op ", op_name(node.op), " cannot be trained");
    }
  }

  Status batch_norm(const GraphNode& node) {
    const GraphNode* relu = only_relu_consumer(model_.graph, node.name);
    auto y = batch_norm2d_train(get(node.inputs[0]), weight(node, "weight"), weight(node, "bias"),
                                weight(node, "running_mean"), weight(node, "running_var"),
                                {node.momentum, node.eps, relu != nullptr});
    if (!y) return y.error();
    out_.batch_norm[node.name] = std::move(y->saved);
    if (relu != nullptr) out_.fused_relu[node.name] = relu->name;
    put(relu != nullptr ? relu->name : node.name, std::move(y->output));
    return {};
  }

  Model& model_;
  TrainForward& out_;
};

class BackwardWalk {
 public:
  BackwardWalk(const Model& model, const TrainForward& forward) : model_(model), fwd_(forward) {
    for (const auto& [bn, relu] : forward.fused_relu) fused_relus_.insert(relu);
  }

  TensorMap& parameter_grads() { return params_; }
  void seed(const std::string& name, Tensor grad) { grads_.emplace(name, std::move(grad)); }

  Status run(const GraphNode& node) {
    if (fused_relus_.count(node.name)) return {};  // its batch norm's backward applies it
    auto fused = fwd_.fused_relu.find(node.name);
    const std::string& result = fused != fwd_.fused_relu.end() ? fused->second : node.name;
    auto it = grads_.find(result);
    if (it == grads_.end()) return {};  // the loss does not depend on this node
    const Tensor grad = std::move(it->second);
    grads_.erase(it);
    Status status = compute(node, grad, fused != fwd_.fused_relu.end() ? &value(fused->second) : nullptr);
    if (!status) return with_context("node " + node.name + " (backward): ", status.error());
    return {};
  }

 private:
  const Tensor& value(const std::string& name) const { return fwd_.values.at(name); }
  const Tensor& weight(const GraphNode& node, const char* field) const {
    return model_.weight(node.weights + "." + field);
  }
  void to_input(const std::string& name, Tensor grad) {
    if (is_data(model_.graph, name)) return;  // data, not learned
    accumulate(grads_, name, std::move(grad));
  }
  void to_param(const GraphNode& node, const char* field, Tensor grad) {
    accumulate(params_, node.weights + "." + field, std::move(grad));
  }

  Status compute(const GraphNode& node, const Tensor& grad, const Tensor* relu_output) {
    switch (node.op) {
      case OpKind::Conv2d:
      case OpKind::ConvTranspose2d: {
        const std::string& input = node.inputs[0];
        const bool want_input = !is_data(model_.graph, input);
        auto g = node.op == OpKind::Conv2d
                     ? conv2d_backward(value(input), weight(node, "weight"), grad, node.conv, want_input)
                     : conv_transpose2d_backward(value(input), weight(node, "weight"), grad, node.tconv,
                                                 want_input);
        if (!g) return g.error();
        to_param(node, "weight", std::move(g->weight));
        to_param(node, "bias", std::move(g->bias));
        if (want_input) to_input(input, std::move(g->input));
        return {};
      }
      case OpKind::BatchNorm2d: {
        auto g = batch_norm2d_backward(value(node.inputs[0]), weight(node, "weight"),
                                       fwd_.batch_norm.at(node.name), grad, relu_output);
        if (!g) return g.error();
        to_param(node, "weight", std::move(g->weight));
        to_param(node, "bias", std::move(g->bias));
        to_input(node.inputs[0], std::move(g->input));
        return {};
      }
      case OpKind::Relu: {
        auto g = relu_backward(value(node.name), grad);
        if (!g) return g.error();
        to_input(node.inputs[0], std::move(g).value());
        return {};
      }
      case OpKind::Concat: {
        std::vector<int64_t> channels;
        for (const auto& input : node.inputs) channels.push_back(value(input).c());
        auto parts = concat_channels_backward(grad, channels);
        if (!parts) return parts.error();
        for (size_t i = 0; i < node.inputs.size(); ++i) to_input(node.inputs[i], std::move((*parts)[i]));
        return {};
      }
      case OpKind::Pool2d: {
        auto g = max_pool2d_backward(value(node.inputs[0]).shape(), fwd_.pool_argmax.at(node.name), grad);
        if (!g) return g.error();
        to_input(node.inputs[0], std::move(g).value());
        return {};
      }
      case OpKind::Reshape: {
        auto g = grad.reshaped(value(node.inputs[0]).shape());
        if (!g) return g.error();
        to_input(node.inputs[0], std::move(g).value());
        return {};
      }
      case OpKind::Gemm: {
        auto g = linear_backward(value(node.inputs[0]), model_.weight(node.inputs[1]), grad);
        if (!g) return g.error();
        accumulate(params_, node.inputs[1], std::move(g->weight));
        accumulate(params_, node.inputs[2], std::move(g->bias));
        to_input(node.inputs[0], std::move(g->input));
        return {};
      }
      case OpKind::EmbedBroadcast: {
        auto g = embed_broadcast_backward(grad, fwd_.categories, node.rows);
        if (!g) return g.error();
        to_param(node, "weight", std::move(g).value());
        return {};
      }
      default:
        return make_error("op ", op_name(node.op), " has no backward");
    }
  }

  const Model& model_;
  const TrainForward& fwd_;
  TensorMap grads_;   // by activation name, waiting for their node
  TensorMap params_;  // by parameter name
  std::set<std::string> fused_relus_;
};

}  // namespace

std::vector<std::string> trainable_parameters(const Graph& graph) {
  std::vector<std::string> names;
  for (const auto& spec : graph.expected_weights())
    if (!spec.integer && !ends_with(spec.name, ".running_mean") && !ends_with(spec.name, ".running_var"))
      names.push_back(spec.name);
  // A graph's constants that layers read as weights (a linear layer's
  // matrix and bias) learn too.
  for (const auto& [name, shape] : graph.constants()) names.push_back(name);
  return names;
}

// Every batch norm normalizes over N*H*W values per channel; training needs
// more than one (PyTorch's rule). Checked before anything runs, so a failure
// leaves the running statistics untouched.
Status check_batch_norm_counts(const Graph& graph, const Shapes& shapes) {
  for (const auto& node : graph.nodes()) {
    if (node.op != OpKind::BatchNorm2d) continue;
    const Shape& in = shapes.at(node.inputs[0]);
    if (in[0] * in[2] * in[3] < 2)
      return make_error("batch norm ", node.name,
                        " in training needs more than 1 value per channel but its input is ",
                        shape_to_string(in), ": use a batch of 2 or more, or larger images");
  }
  return {};
}

Result<TrainForward> forward_train(Model& model, const Tensor& gray, std::span<const int64_t> categories) {
  auto shapes = check_model_inputs(model, gray.shape(), categories);
  if (!shapes) return shapes.error();
  CONVLAB_TRY(check_batch_norm_counts(model.graph, *shapes));
  TrainForward out;
  out.categories.assign(categories.begin(), categories.end());
  out.output = model.graph.output();
  out.values[kGray] = gray;
  ForwardWalk walk(model, out);
  for (const auto& node : model.graph.nodes()) {
    if (out.values.count(node.name)) continue;  // a ReLU run fused with its batch norm
    CONVLAB_TRY(walk.run(node));
  }
  ++model.num_batches_tracked;
  return out;
}

Result<TrainForward> forward_train(Model& model, const std::string& input, const Tensor& images) {
  auto shapes = check_model_inputs(model, std::map<std::string, Tensor>{{input, images}});
  if (!shapes) return shapes.error();
  CONVLAB_TRY(check_batch_norm_counts(model.graph, *shapes));
  TrainForward out;
  out.output = model.graph.output();
  out.values[input] = images;
  ForwardWalk walk(model, out);
  for (const auto& node : model.graph.nodes()) {
    if (out.values.count(node.name)) continue;
    CONVLAB_TRY(walk.run(node));
  }
  ++model.num_batches_tracked;
  return out;
}

Result<TensorMap> backward_train(const Model& model, const TrainForward& forward, const Tensor& grad_output) {
  auto out = forward.values.find(forward.output);
  if (out == forward.values.end())
    return make_error("backward: the forward pass has no output ", forward.output);
  CONVLAB_TRY(expect_shape(grad_output, out->second.shape(), "backward: the gradient of the output"));
  BackwardWalk walk(model, forward);
  walk.seed(forward.output, grad_output);
  const auto& nodes = model.graph.nodes();
  for (auto node = nodes.rbegin(); node != nodes.rend(); ++node) CONVLAB_TRY(walk.run(*node));
  return std::move(walk.parameter_grads());
}

Result<LossAndGradients> loss_and_gradients(Model& model, const Tensor& gray,
                                            std::span<const int64_t> categories, const Tensor& target_ab,
                                            float chroma_weight) {
  auto shapes = check_model_inputs(model, gray.shape(), categories);
  if (!shapes) return shapes.error();
  const Shape& out_shape = shapes->at(model.graph.output());
  if (target_ab.shape() != out_shape)
    return make_error("the target has shape ", shape_to_string(target_ab.shape()), " but the ",
                      model.graph.name(), " model's output for gray ", shape_to_string(gray.shape()),
                      " has shape ", shape_to_string(out_shape), ": they must match");
  auto forward = forward_train(model, gray, categories);
  if (!forward) return forward.error();
  const Tensor& prediction = forward->values.at(forward->output);
  // Plain MSE stays its own code path: bit for bit PyTorch's mse_loss.
  auto loss = chroma_weight > 0.0f ? chroma_weighted_loss(prediction, target_ab, chroma_weight)
                                   : mse_loss(prediction, target_ab);
  if (!loss) return loss.error();
  auto grad = chroma_weight > 0.0f ? chroma_weighted_loss_backward(prediction, target_ab, chroma_weight)
                                   : mse_loss_backward(prediction, target_ab);
  if (!grad) return grad.error();
  auto grads = backward_train(model, *forward, *grad);
  if (!grads) return grads.error();
  return LossAndGradients{*loss, std::move(grads).value(), {}};
}

Result<float> train_step(Model& model, const Tensor& gray, std::span<const int64_t> categories,
                         const Tensor& target_ab, Adam& adam, float chroma_weight) {
  auto step = loss_and_gradients(model, gray, categories, target_ab, chroma_weight);
  if (!step) return step.error();
  CONVLAB_TRY(adam.step(model.weights, step->gradients));
  return step->loss;
}

Result<LossAndGradients> classifier_loss_and_gradients(Model& model, const Tensor& images,
                                                       std::span<const int64_t> labels) {
  if (model.graph.inputs().size() != 1)
    return make_error("a classifier trains with one input; the ", model.graph.name(), " model has ",
                      model.graph.inputs().size());
  auto forward = forward_train(model, model.graph.inputs()[0].name, images);
  if (!forward) return forward.error();
  const Tensor& logits = forward->values.at(forward->output);
  auto loss = softmax_cross_entropy(logits, labels);
  if (!loss) return loss.error();
  auto grad = softmax_cross_entropy_backward(logits, labels);
  if (!grad) return grad.error();
  auto grads = backward_train(model, *forward, *grad);
  if (!grads) return grads.error();
  return LossAndGradients{*loss, std::move(grads).value(), logits};
}

Result<float> classifier_train_step(Model& model, const Tensor& images, std::span<const int64_t> labels,
                                    Adam& adam) {
  auto step = classifier_loss_and_gradients(model, images, labels);
  if (!step) return step.error();
  CONVLAB_TRY(adam.step(model.weights, step->gradients));
  return step->loss;
}

}  // namespace convlab::train
