// Runs a graph forward on the CPU.
//
// Both paths walk a plan (plan.h, shared with the GPU runner): a list of
// steps in graph order. The reference path and the fast path with keep_all
// have one step per node, so every node's
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

#include <chrono>
#include <cstring>

#include "core/fast/fast_elementwise.h"
#include "core/fast/fast_ops.h"
#include "core/fast/fast_pool.h"
#include "core/model/node_shapes.h"
#include "core/model/plan.h"
#include "core/ops/reference.h"

namespace convlab {

// Computes the plan's steps one by one and holds their values.
class PassExecutor {
 public:
  PassExecutor(const Model& model, const std::map<std::string, Tensor>& inputs,
               std::span<const int64_t> categories, const Shapes& shapes, CpuPath path)
      : model_(model),
        inputs_(inputs),
        categories_(categories),
        shapes_(shapes),
        fast_(path == CpuPath::Fast) {}

  std::map<std::string, Tensor>& values() { return values_; }

  Status run(const PlanStep& step) {
    auto value = compute(step);
    if (!value) return with_context("node " + step.node->name + ": ", value.error());
    if (step.slot.empty()) values_[step.result] = std::move(value).value();
    return {};
  }

 private:
  // An activation, a graph input, or a constant of the model.
  const Tensor& get(const std::string& name) const {
    if (auto it = values_.find(name); it != values_.end()) return it->second;
    if (auto it = inputs_.find(name); it != inputs_.end()) return it->second;
    return model_.weights.at(name);
  }
  const Tensor& weight(const GraphNode& node, const char* field) const {
    return model_.weight(node.weights + "." + field);
  }

  Result<Tensor> compute(const PlanStep& step) {
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
        return fast_ ? fast::relu(get(node.inputs[0])) : reference::relu(get(node.inputs[0]));
      case OpKind::Concat:
        return concat(step);
      case OpKind::EmbedBroadcast: {
        const Tensor& like = get(node.inputs[1]);
        return reference::embed_broadcast(weight(node, "weight"), categories_, like.h(), like.w());
      }
      case OpKind::Pool2d:
        if (fast_) return fast::pool2d(get(node.inputs[0]), node.pool);
        return reference::pool2d(get(node.inputs[0]), node.pool);
      case OpKind::GlobalAveragePool:
        return reference::global_average_pool(get(node.inputs[0]));
      case OpKind::Activation:
        return reference::unary(get(node.inputs[0]), node.unary);
      case OpKind::Elementwise:
        return elementwise(step);
      case OpKind::Reshape:
        return get(node.inputs[0]).reshaped(shapes_.at(node.name));
      case OpKind::Gemm:
        return reference::gemm(get(node.inputs[0]), get(node.inputs[1]),
                               node.inputs.size() > 2 ? &get(node.inputs[2]) : nullptr, node.gemm);
      case OpKind::MatMul:
        return reference::matmul(get(node.inputs[0]), get(node.inputs[1]));
      case OpKind::Softmax:
        return reference::softmax(get(node.inputs[0]), node.softmax);
      case OpKind::Pad:
        return reference::pad_constant(get(node.inputs[0]), node.pads, node.pad_value);
      case OpKind::Resize: {
        const Tensor& x = get(node.inputs[0]);
        const Shape& out = shapes_.at(node.name);
        return reference::resize(x, out, resize_scales(node, x.shape(), out), node.resize);
      }
      case OpKind::Gather: {
        if (node.inputs.size() == 1)
          return reference::gather(get(node.inputs[0]), node.indices, node.indices_shape, node.axis);
        const Tensor& index = get(node.inputs[1]);
        return reference::gather(get(node.inputs[0]), indices_of(index), index.shape(), node.axis);
      }
      case OpKind::Expand:
        return reference::expand(get(node.inputs[0]), node.shape_spec);
      case OpKind::RgbToLab:
      case OpKind::LabToRgb:
      case OpKind::UpsampleBilinear:
      case OpKind::Count:
        break;
    }
    return make_error("op ", op_name(node.op), " cannot run in a graph");
  }

  // a (op) b, then the ReLU fused after it (a residual block's Add + ReLU).
  Result<Tensor> elementwise(const PlanStep& step) const {
    const GraphNode& node = *step.node;
    const Tensor& a = get(node.inputs[0]);
    const Tensor& b = get(node.inputs[1]);
    if (fast_ && a.shape() == b.shape()) return fast::binary_same_shape(node.binary, a, b, step.relu);
    auto out = reference::binary(node.binary, a, b);
    if (!out || !step.relu) return out;
    return reference::relu(*out);
  }

  Result<Tensor> reference_conv(const GraphNode& node) const {
    const Tensor& x = get(node.inputs[0]);
    const Tensor& bias = weight(node, "bias");
    if (node.op == OpKind::Conv2d) return reference::conv2d(x, weight(node, "weight"), &bias, node.conv);
    return reference::conv_transpose2d(x, weight(node, "weight"), &bias, node.tconv);
  }

  // conv (+ folded batch norm) (+ ReLU), into its own tensor or a concat slot.
  Result<Tensor> fast_conv(const PlanStep& step) {
    const GraphNode& node = *step.node;
    const Tensor& x = get(node.inputs[0]);
    const Tensor& w = weight(node, "weight");
    const Tensor* bias = &weight(node, "bias");
    std::vector<float> scale, shift;
    if (step.bn) {
      fold_batch_norm(model_, *step.bn, *bias, scale, shift);
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

  // The concat tensor producers write into, made on first use.
  Tensor& pending(const std::string& concat) {
    auto it = pending_.find(concat);
    if (it == pending_.end()) it = pending_.emplace(concat, Tensor(shapes_.at(concat))).first;
    return it->second;
  }

  Result<Tensor> concat(const PlanStep& step) {
    const GraphNode& node = *step.node;
    auto it = pending_.find(node.name);
    if (it == pending_.end()) {  // nothing was written directly: the plain op
      std::vector<const Tensor*> parts;
      for (const auto& input : node.inputs) parts.push_back(&get(input));
      return reference::concat(parts, node.axis);
    }
    Tensor out = std::move(it->second);
    pending_.erase(it);
    int64_t offset = 0;
    for (const auto& input : node.inputs) {
      const int64_t channels = shapes_.at(input)[1];
      if (values_.count(input) || inputs_.count(input) || model_.graph.is_constant(input))
        copy_channels(get(input), out, offset);
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
  const std::map<std::string, Tensor>& inputs_;
  std::span<const int64_t> categories_;
  const Shapes& shapes_;
  bool fast_;
  std::map<std::string, Tensor> values_;
  std::map<std::string, Tensor> pending_;
};

CpuPass::CpuPass(const Model& model, std::map<std::string, Tensor> inputs, std::vector<int64_t> categories,
                 Shapes shapes, CpuPath path, bool keep_all)
    : model_(model),
      inputs_(std::move(inputs)),
      categories_(std::move(categories)),
      shapes_(std::move(shapes)),
      keep_all_(keep_all) {
  const bool fuse = path == CpuPath::Fast && !keep_all;
  steps_ = plan_steps(model.graph, shapes_, fuse);
  last_ = last_uses(steps_, model.graph.outputs());
  executor_ = std::make_unique<PassExecutor>(model_, inputs_, categories_, shapes_, path);
}

CpuPass::~CpuPass() = default;

Result<std::unique_ptr<CpuPass>> CpuPass::begin(const Model& model, Tensor gray,
                                                std::vector<int64_t> categories, CpuPath path,
                                                bool keep_all) {
  auto shapes = check_model_inputs(model, gray.shape(), categories);
  if (!shapes) return shapes.error();
  std::map<std::string, Tensor> inputs;
  inputs.emplace("gray", std::move(gray));
  return std::unique_ptr<CpuPass>(new CpuPass(model, std::move(inputs), std::move(categories),
                                              std::move(shapes).value(), path, keep_all));
}

Result<std::unique_ptr<CpuPass>> CpuPass::begin(const Model& model, std::map<std::string, Tensor> inputs,
                                                CpuPath path, bool keep_all) {
  auto shapes = check_model_inputs(model, inputs);
  if (!shapes) return shapes.error();
  return std::unique_ptr<CpuPass>(
      new CpuPass(model, std::move(inputs), {}, std::move(shapes).value(), path, keep_all));
}

Status CpuPass::step() {
  if (done()) return Error{"the pass has no step left"};
  const size_t i = next_;
  const auto start = std::chrono::steady_clock::now();
  CONVLAB_TRY(executor_->run(steps_[i]));
  times_.push_back(
      {steps_[i].result,
       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()});
  ++next_;
  if (keep_all_) return {};
  auto& values = executor_->values();
  if (!last_.count(steps_[i].result)) values.erase(steps_[i].result);  // nothing reads it
  // Free what no later step reads (a concat's direct writers never had a value).
  for (const auto& input : steps_[i].node->inputs) {
    auto it = last_.find(input);
    if (it != last_.end() && it->second == i) values.erase(input);
  }
  return {};
}

Activations CpuPass::finish() {
  Activations acts;
  for (const auto& node : model_.graph.nodes())
    if (executor_->values().count(node.name)) acts.order.push_back(node.name);
  acts.values = std::move(executor_->values());
  acts.step_times = std::move(times_);
  return acts;
}

Result<Activations> run_model_cpu(const Model& model, const Tensor& gray, std::span<const int64_t> categories,
                                  CpuPath path, bool keep_all, const StepCallback& on_step) {
  auto pass =
      CpuPass::begin(model, gray, std::vector<int64_t>(categories.begin(), categories.end()), path, keep_all);
  if (!pass) return pass.error();
  while (!(*pass)->done()) {
    CONVLAB_TRY((*pass)->step());
    if (on_step) on_step((*pass)->steps_done(), (*pass)->step_count());
  }
  return (*pass)->finish();
}

Result<Activations> run_graph_cpu(const Model& model, std::map<std::string, Tensor> inputs, CpuPath path,
                                  bool keep_all) {
  auto pass = CpuPass::begin(model, std::move(inputs), path, keep_all);
  if (!pass) return pass.error();
  while (!(*pass)->done()) CONVLAB_TRY((*pass)->step());
  return (*pass)->finish();
}

}  // namespace convlab
