#include "core/model/plan.h"

#include <cmath>
#include <set>

namespace convlab {
namespace {

// Convolutions (grouped ones included) absorb a following batch norm, ReLU and concat.
bool is_conv(OpKind op) { return op == OpKind::Conv2d || op == OpKind::ConvTranspose2d; }

Status check_weights(const Model& model) {
  std::string missing;
  for (const auto& spec : model.graph.expected_weights()) {
    if (spec.integer) continue;
    auto it = model.weights.find(spec.name);
    if (it == model.weights.end())
      missing += (missing.empty() ? "" : ", ") + spec.name;
    else
      CONVLAB_TRY(expect_shape(it->second, spec.shape, spec.name));
  }
  if (!missing.empty()) return make_error("the ", model.graph.name(), " model has no weights for ", missing);
  return {};
}

std::map<std::string, std::vector<const GraphNode*>> consumers_of(const Graph& graph) {
  std::map<std::string, std::vector<const GraphNode*>> consumers;
  for (const auto& node : graph.nodes())
    for (const auto& input : node.inputs) consumers[input].push_back(&node);
  for (const auto& output : graph.outputs()) consumers[output].push_back(nullptr);  // the caller reads them
  return consumers;
}

// The single consumer of `name` if it has exactly one and it has op `op`.
const GraphNode* only_consumer(const std::map<std::string, std::vector<const GraphNode*>>& consumers,
                               const std::string& name, OpKind op) {
  auto it = consumers.find(name);
  if (it == consumers.end() || it->second.size() != 1 || it->second[0] == nullptr) return nullptr;
  return it->second[0]->op == op ? it->second[0] : nullptr;
}

}  // namespace

Result<Shapes> check_model_inputs(const Model& model, const Shape& gray,
                                  std::span<const int64_t> categories) {
  const Graph& graph = model.graph;
  if (gray.size() != 4 || gray[1] != 1 || gray[0] < 1)
    return make_error("gray must have shape (N, 1, H, W) with N >= 1, got ", shape_to_string(gray));
  if (static_cast<int64_t>(categories.size()) != gray[0])
    return make_error("need one category per image: gray has N = ", gray[0], " but there are ",
                      categories.size(), " categories");
  for (size_t i = 0; i < categories.size(); ++i)
    if (graph.categories() > 0 && (categories[i] < 0 || categories[i] >= graph.categories()))
      return make_error("category ", categories[i], " (image ", i, ") is out of range: valid are 0 to ",
                        graph.categories() - 1);
  CONVLAB_TRY(check_weights(model));
  return graph.infer_shapes(gray[0], gray[2], gray[3]);
}

Result<Shapes> check_model_inputs(const Model& model, const std::map<std::string, Tensor>& inputs) {
  const Graph& graph = model.graph;
  for (const auto& [name, shape] : graph.constants()) {
    auto it = model.weights.find(name);
    if (it == model.weights.end())
      return make_error("the ", graph.name(), " model has no value for the constant ", name);
    CONVLAB_TRY(expect_shape(it->second, shape, name));
  }
  CONVLAB_TRY(check_weights(model));
  std::map<std::string, Shape> shapes;
  for (const auto& [name, tensor] : inputs) shapes[name] = tensor.shape();
  for (const auto& [name, tensor] : inputs) {
    bool known = false;
    for (const GraphInput& input : graph.inputs()) known = known || input.name == name;
    if (!known) {
      std::string valid;
      for (const GraphInput& input : graph.inputs()) valid += (valid.empty() ? "" : ", ") + input.name;
      return make_error("the ", graph.name(), " model has no input named ", name, "; its inputs: ", valid);
    }
  }
  return graph.infer_shapes(shapes);
}

std::vector<PlanStep> plan_steps(const Graph& graph, const Shapes& shapes, bool fuse) {
  std::vector<PlanStep> steps;
  const auto consumers = consumers_of(graph);
  std::set<std::string> absorbed;
  for (const auto& node : graph.nodes()) {
    if (absorbed.count(node.name)) continue;
    PlanStep step{&node, nullptr, false, node.name, "", 0};
    if (fuse && is_conv(node.op)) {
      if (const GraphNode* bn = only_consumer(consumers, step.result, OpKind::BatchNorm2d)) {
        step.bn = bn;
        step.result = bn->name;
        absorbed.insert(bn->name);
      }
      if (const GraphNode* relu = only_consumer(consumers, step.result, OpKind::Relu)) {
        step.relu = true;
        step.result = relu->name;
        absorbed.insert(relu->name);
      }
      const GraphNode* concat = only_consumer(consumers, step.result, OpKind::Concat);
      if (concat && concat->axis == 1 && shapes.at(concat->name).size() == 4) {
        step.slot = concat->name;
        for (const auto& input : concat->inputs) {
          if (input == step.result) break;
          step.slot_offset += static_cast<int>(shapes.at(input)[1]);
        }
      }
    }
    // A residual block's Add and the ReLU after it: one pass over the values.
    if (fuse && node.op == OpKind::Elementwise) {
      if (const GraphNode* relu = only_consumer(consumers, step.result, OpKind::Relu)) {
        step.relu = true;
        step.result = relu->name;
        absorbed.insert(relu->name);
      }
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

std::map<std::string, size_t> last_uses(const std::vector<PlanStep>& steps,
                                        const std::vector<std::string>& outputs) {
  std::map<std::string, size_t> last;
  for (size_t i = 0; i < steps.size(); ++i)
    for (const auto& input : steps[i].node->inputs) last[input] = i;
  for (const auto& output : outputs) last[output] = kKeptToTheEnd;
  return last;
}

void fold_batch_norm(const Model& model, const GraphNode& bn, const Tensor& conv_bias,
                     std::vector<float>& scale, std::vector<float>& shift) {
  const Tensor& gamma = model.weight(bn.weights + ".weight");
  const Tensor& beta = model.weight(bn.weights + ".bias");
  const Tensor& mean = model.weight(bn.weights + ".running_mean");
  const Tensor& var = model.weight(bn.weights + ".running_var");
  const auto channels = static_cast<size_t>(gamma.numel());
  scale.resize(channels);
  shift.resize(channels);
  for (size_t c = 0; c < channels; ++c) {
    const auto i = static_cast<int64_t>(c);
    const double s = static_cast<double>(gamma[i]) / std::sqrt(static_cast<double>(var[i]) + bn.eps);
    scale[c] = static_cast<float>(s);
    shift[c] = static_cast<float>((static_cast<double>(conv_bias[i]) - mean[i]) * s + beta[i]);
  }
}

}  // namespace convlab
