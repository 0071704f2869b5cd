// Runs a graph forward on the CPU.
//
// Both paths walk a plan: a list of steps in graph order. The reference path
// and the fast path with keep_all have one step per node, so every node's
// value is exactly its own op's result (convolutions through fast.h on the
// fast path; batch norm, ReLU, concat and embed through reference.h, cheap
// next to the convolutions). That is what a panel inspecting a layer sees.
//
// The fast path without keep_all (colorize, bench) fuses: a conv whose only
// consumer is a batch norm gets it folded into a per-channel scale/shift, a
// ReLU that follows is applied in the same pass, and when the chain's only
// consumer is a concat the result is written straight into the concat's
// channels. Activations no later step reads are freed as soon as possible.
#include "core/model/runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "core/fast/fast_ops.h"
#include "core/ops/reference.h"

namespace convlab {
namespace {

using Shapes = std::map<std::string, Shape>;
constexpr size_t kGraphOutput = std::numeric_limits<size_t>::max();

// One unit of work: a node, plus (fast, lean mode only) what was fused into it.
struct Step {
  const GraphNode* node = nullptr;
  const GraphNode* bn = nullptr;  // batch norm folded into this conv
  bool relu = false;              // ReLU applied in the conv's epilogue
  std::string result;             // name the value is stored under (last node of the chain)
  std::string slot;               // concat this result is written into directly, or empty
  int slot_offset = 0;            // first channel of the result inside that concat
};

bool is_conv(OpKind op) { return op == OpKind::Conv2d || op == OpKind::ConvTranspose2d; }

// --- checks -----------------------------------------------------------------

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

Result<Shapes> check_inputs(const Model& model, const Tensor& gray, std::span<const int64_t> categories) {
  const Graph& graph = model.graph;
  if (gray.rank() != 4 || gray.dim(1) != 1 || gray.dim(0) < 1)
    return make_error("gray must have shape (N, 1, H, W) with N >= 1, got ", shape_to_string(gray.shape()));
  if (static_cast<int64_t>(categories.size()) != gray.n())
    return make_error("need one category per image: gray has N = ", gray.n(), " but there are ",
                      categories.size(), " categories");
  for (size_t i = 0; i < categories.size(); ++i)
    if (graph.categories() > 0 && (categories[i] < 0 || categories[i] >= graph.categories()))
      return make_error("category ", categories[i], " (image ", i, ") is out of range: valid are 0 to ",
                        graph.categories() - 1);
  CONVLAB_TRY(check_weights(model));
  return graph.infer_shapes(gray.n(), gray.h(), gray.w());
}

// --- planning ---------------------------------------------------------------

std::map<std::string, std::vector<const GraphNode*>> consumers_of(const Graph& graph) {
  std::map<std::string, std::vector<const GraphNode*>> consumers;
  for (const auto& node : graph.nodes())
    for (const auto& input : node.inputs) consumers[input].push_back(&node);
  consumers[graph.output()].push_back(nullptr);  // the caller reads the output
  return consumers;
}

// The single consumer of `name` if it has exactly one and it has op `op`.
const GraphNode* only_consumer(const std::map<std::string, std::vector<const GraphNode*>>& consumers,
                               const std::string& name, OpKind op) {
  auto it = consumers.find(name);
  if (it == consumers.end() || it->second.size() != 1 || it->second[0] == nullptr) return nullptr;
  return it->second[0]->op == op ? it->second[0] : nullptr;
}

std::vector<Step> plan_steps(const Graph& graph, const Shapes& shapes, bool fuse) {
  std::vector<Step> steps;
  const auto consumers = consumers_of(graph);
  std::set<std::string> absorbed;
  for (const auto& node : graph.nodes()) {
    if (absorbed.count(node.name)) continue;
    Step step{&node, nullptr, false, node.name, "", 0};
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
      if (const GraphNode* concat = only_consumer(consumers, step.result, OpKind::Concat)) {
        step.slot = concat->name;
        for (const auto& input : concat->inputs) {
          if (input == step.result) break;
          step.slot_offset += static_cast<int>(shapes.at(input)[1]);
        }
      }
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

// For each value, the index of the last step that reads it.
std::map<std::string, size_t> last_uses(const std::vector<Step>& steps, const std::string& output) {
  std::map<std::string, size_t> last;
  for (size_t i = 0; i < steps.size(); ++i)
    for (const auto& input : steps[i].node->inputs) last[input] = i;
  last[output] = kGraphOutput;
  return last;
}

// --- execution --------------------------------------------------------------

class Executor {
 public:
  Executor(const Model& model, const Tensor& gray, std::span<const int64_t> categories, const Shapes& shapes,
           CpuPath path)
      : model_(model), gray_(gray), categories_(categories), shapes_(shapes), fast_(path == CpuPath::Fast) {}

  std::map<std::string, Tensor>& values() { return values_; }

  Status run(const Step& step) {
    auto value = compute(step);
    if (!value) return with_context("node " + step.node->name + ": ", value.error());
    if (step.slot.empty()) values_[step.result] = std::move(value).value();
    return {};
  }

 private:
  const Tensor& get(const std::string& name) const { return name == "gray" ? gray_ : values_.at(name); }
  const Tensor& weight(const GraphNode& node, const char* field) const {
    return model_.weight(node.weights + "." + field);
  }

  Result<Tensor> compute(const Step& step) {
    const GraphNode& node = *step.node;
    switch (node.op) {
      case OpKind::Conv2d:
      case OpKind::ConvTranspose2d:
        return fast_ ? fast_conv(step) : reference_conv(node);
      case OpKind::BatchNorm2d: {
        // Eval mode reads the running statistics; copies keep the model const.
        Tensor mean = weight(node, "running_mean");
        Tensor var = weight(node, "running_var");
        return reference::batch_norm2d(get(node.inputs[0]), weight(node, "weight"), weight(node, "bias"),
                                       mean, var, {false, node.momentum, node.eps});
      }
      case OpKind::Relu:
        return reference::relu(get(node.inputs[0]));
      case OpKind::Concat:
        return concat(step);
      case OpKind::EmbedBroadcast: {
        const Tensor& like = get(node.inputs[1]);
        return reference::embed_broadcast(weight(node, "weight"), categories_, like.h(), like.w());
      }
      default:
        return make_error("op ", op_name(node.op), " cannot run in a graph");
    }
  }

  Result<Tensor> reference_conv(const GraphNode& node) const {
    const Tensor& x = get(node.inputs[0]);
    const Tensor& bias = weight(node, "bias");
    if (node.op == OpKind::Conv2d) return reference::conv2d(x, weight(node, "weight"), &bias, node.conv);
    return reference::conv_transpose2d(x, weight(node, "weight"), &bias, node.tconv);
  }

  // conv (+ folded batch norm) (+ ReLU), into its own tensor or a concat slot.
  Result<Tensor> fast_conv(const Step& step) {
    const GraphNode& node = *step.node;
    const Tensor& x = get(node.inputs[0]);
    const Tensor& w = weight(node, "weight");
    const Tensor* bias = &weight(node, "bias");
    std::vector<float> scale, shift;
    if (step.bn) {
      fold_batch_norm(*step.bn, *bias, scale, shift);
      bias = nullptr;  // folded into shift
    }
    const fast::Epilogue epilogue{scale, shift, step.relu};
    const bool transposed = node.op == OpKind::ConvTranspose2d;
    if (step.slot.empty()) {
      return transposed ? fast::conv_transpose2d(x, w, bias, node.tconv, epilogue)
                        : fast::conv2d(x, w, bias, node.conv, epilogue);
    }
    Tensor& target = pending(step.slot);
    const fast::OutputSlot slot{&target, step.slot_offset};
    CONVLAB_TRY(transposed ? fast::conv_transpose2d_into(x, w, bias, node.tconv, epilogue, slot)
                           : fast::conv2d_into(x, w, bias, node.conv, epilogue, slot));
    return Tensor();  // the value lives in the concat
  }

  // Eval batch norm after a conv with bias b, as one multiply-add per channel:
  // scale = gamma / sqrt(var + eps), shift = (b - mean) * scale + beta.
  void fold_batch_norm(const GraphNode& bn, const Tensor& conv_bias, std::vector<float>& scale,
                       std::vector<float>& shift) const {
    const Tensor& gamma = weight(bn, "weight");
    const Tensor& beta = weight(bn, "bias");
    const Tensor& mean = weight(bn, "running_mean");
    const Tensor& var = weight(bn, "running_var");
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

  // The concat tensor producers write into, made on first use.
  Tensor& pending(const std::string& concat) {
    auto it = pending_.find(concat);
    if (it == pending_.end()) it = pending_.emplace(concat, Tensor(shapes_.at(concat))).first;
    return it->second;
  }

  Result<Tensor> concat(const Step& step) {
    const GraphNode& node = *step.node;
    auto it = pending_.find(node.name);
    if (it == pending_.end()) {  // nothing was written directly: the plain op
      std::vector<const Tensor*> parts;
      for (const auto& input : node.inputs) parts.push_back(&get(input));
      return reference::concat_channels(parts);
    }
    Tensor out = std::move(it->second);
    pending_.erase(it);
    int64_t offset = 0;
    for (const auto& input : node.inputs) {
      const int64_t channels = shapes_.at(input)[1];
      if (values_.count(input) || input == "gray") copy_channels(get(input), out, offset);
      offset += channels;
    }
    return out;
  }

  // Copies src (N,C,H,W) into channels [offset, offset+C) of dst (N,C',H,W).
  static void copy_channels(const Tensor& src, Tensor& dst, int64_t offset) {
    const int64_t plane = src.h() * src.w();
    const int64_t block = src.c() * plane;
    for (int64_t n = 0; n < src.n(); ++n)
      std::memcpy(dst.data() + (n * dst.c() + offset) * plane, src.data() + n * block,
                  static_cast<size_t>(block) * sizeof(float));
  }

  const Model& model_;
  const Tensor& gray_;
  std::span<const int64_t> categories_;
  const Shapes& shapes_;
  bool fast_;
  std::map<std::string, Tensor> values_;
  std::map<std::string, Tensor> pending_;
};

}  // namespace

Result<Activations> run_model_cpu(const Model& model, const Tensor& gray, std::span<const int64_t> categories,
                                  CpuPath path, bool keep_all) {
  auto shapes = check_inputs(model, gray, categories);
  if (!shapes) return shapes.error();
  const Graph& graph = model.graph;
  const bool fuse = path == CpuPath::Fast && !keep_all;
  const std::vector<Step> steps = plan_steps(graph, *shapes, fuse);
  const auto last = last_uses(steps, graph.output());

  Executor executor(model, gray, categories, *shapes, path);
  Activations acts;
  for (size_t i = 0; i < steps.size(); ++i) {
    CONVLAB_TRY(executor.run(steps[i]));
    if (keep_all) continue;
    if (!last.count(steps[i].result)) executor.values().erase(steps[i].result);  // nothing reads it
    // Free what no later step reads (a concat's direct writers never had a value).
    for (const auto& input : steps[i].node->inputs) {
      auto it = last.find(input);
      if (it != last.end() && it->second == i) executor.values().erase(input);
    }
  }
  for (const auto& node : graph.nodes())
    if (executor.values().count(node.name)) acts.order.push_back(node.name);
  acts.values = std::move(executor.values());
  return acts;
}

}  // namespace convlab
