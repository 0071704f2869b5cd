#include "gpu/gpu_runner.h"

#include <epoxy/gl.h>

#include <cmath>

#include "core/model/plan.h"

namespace convlab::gpu {
namespace {

// GL timestamps around steps; read back once at the end of the pass.
class StepTimer {
 public:
  StepTimer(bool per_step, size_t steps) : per_step_(per_step) {
    queries_.resize(per_step ? steps + 1 : 2);
    glGenQueries(static_cast<GLsizei>(queries_.size()), queries_.data());
    glQueryCounter(queries_[0], GL_TIMESTAMP);
  }
  ~StepTimer() { glDeleteQueries(static_cast<GLsizei>(queries_.size()), queries_.data()); }
  void after_step(size_t i) {
    if (per_step_) glQueryCounter(queries_[i + 1], GL_TIMESTAMP);
  }
  void finish() {
    if (!per_step_) glQueryCounter(queries_.back(), GL_TIMESTAMP);
  }
  double ms_between(size_t a, size_t b) const {
    GLuint64 ta = 0, tb = 0;
    glGetQueryObjectui64v(queries_[a], GL_QUERY_RESULT, &ta);
    glGetQueryObjectui64v(queries_[b], GL_QUERY_RESULT, &tb);
    return static_cast<double>(tb - ta) * 1e-6;
  }
  double total_ms() const { return ms_between(0, queries_.size() - 1); }

 private:
  bool per_step_;
  std::vector<GLuint> queries_;
};

bool is_conv(OpKind op) { return op == OpKind::Conv2d || op == OpKind::ConvTranspose2d; }

}  // namespace

Result<std::unique_ptr<GpuModel>> GpuModel::upload(const Model& model, GpuOps& ops) {
  std::unique_ptr<GpuModel> gpu_model(new GpuModel(model, ops));
  CONVLAB_TRY(gpu_model->upload_weights());
  return gpu_model;
}

Status GpuModel::upload_weights() {
  auto put = [&](const std::string& name, const Tensor& t) -> Status {
    auto g = GpuTensor::upload(t);
    if (!g) return with_context(name + ": ", g.error());
    weights_.insert_or_assign(name, std::move(g).value());
    return {};
  };
  for (const auto& [name, tensor] : model_.weights) CONVLAB_TRY(put(name, tensor));

  // Folded factors for the fused plan: plan once at the smallest valid size
  // (which convs absorb a batch norm does not depend on the size).
  const int m = std::max(model_.graph.size_multiple(), 1);
  auto shapes = model_.graph.infer_shapes(1, m, m);
  if (!shapes) return shapes.error();
  for (const PlanStep& step : plan_steps(model_.graph, *shapes, true)) {
    if (!step.bn) continue;
    std::vector<float> scale, shift;
    fold_batch_norm(model_, *step.bn, model_.weight(step.node->weights + ".bias"), scale, shift);
    const auto channels = static_cast<int64_t>(scale.size());
    CONVLAB_TRY(put(step.node->name + "#scale", *Tensor::from_data({channels}, scale)));
    CONVLAB_TRY(put(step.node->name + "#shift", *Tensor::from_data({channels}, shift)));
  }
  // Unfused batch norm (keep_all) applies the running statistics directly.
  for (const GraphNode& node : model_.graph.nodes()) {
    if (node.op != OpKind::BatchNorm2d) continue;
    const Tensor& var = model_.weight(node.weights + ".running_var");
    Tensor inv_std(var.shape());
    for (int64_t c = 0; c < var.numel(); ++c) inv_std[c] = 1.0f / std::sqrt(var[c] + node.eps);
    CONVLAB_TRY(put(node.name + "#inv_std", inv_std));
  }
  return {};
}

Result<GpuRun> GpuModel::run(const Tensor& gray, std::span<const int64_t> categories,
                             const GpuRunOptions& options) {
  auto g_gray = GpuTensor::upload(gray);
  if (!g_gray) return g_gray.error();
  return run(std::move(g_gray).value(), categories, options);
}

Result<GpuRun> GpuModel::run(GpuTensor gray, std::span<const int64_t> categories,
                             const GpuRunOptions& options) {
  // Shapes and categories are checked on the host, with the CPU runner's rules.
  auto shapes = check_model_inputs(model_, gray.shape(), categories);
  if (!shapes) return shapes.error();
  auto g_categories = GpuTensor::upload_ints(categories);
  if (!g_categories) return g_categories.error();

  const Graph& graph = model_.graph;
  const std::vector<PlanStep> steps = plan_steps(graph, *shapes, !options.keep_all);
  const auto last = last_uses(steps, graph.output());

  std::map<std::string, GpuTensor> values;
  std::map<std::string, GpuTensor> pending;  // concats that producers write into directly
  values.emplace("gray", std::move(gray));
  auto get = [&](const std::string& name) -> const GpuTensor& { return values.at(name); };
  auto pending_concat = [&](const std::string& name) -> Result<GpuTensor*> {
    auto it = pending.find(name);
    if (it == pending.end()) {
      auto t = GpuTensor::allocate(shapes->at(name));
      if (!t) return t.error();
      it = pending.emplace(name, std::move(t).value()).first;
    }
    return &it->second;
  };

  StepTimer timer(options.time_layers, steps.size());
  GpuRun run;
  for (size_t i = 0; i < steps.size(); ++i) {
    const PlanStep& step = steps[i];
    const GraphNode& node = *step.node;
    Result<GpuTensor> value = Error{};
    bool into_slot = false;
    if (is_conv(node.op)) {
      const GpuTensor& w = weight(node.weights + ".weight");
      const GpuTensor* bias = &weight(node.weights + ".bias");
      GpuEpilogue epilogue{nullptr, nullptr, step.relu};
      if (step.bn) {
        epilogue.scale = &weight(node.name + "#scale");
        epilogue.shift = &weight(node.name + "#shift");
        bias = nullptr;  // folded into shift
      }
      const bool transposed = node.op == OpKind::ConvTranspose2d;
      if (!step.slot.empty()) {
        auto target = pending_concat(step.slot);
        if (!target) return target.error();
        const GpuSlot slot{*target, step.slot_offset};
        const Status s = transposed
                             ? ops_.conv_transpose2d(get(node.inputs[0]), w, bias, node.tconv, epilogue, slot)
                             : ops_.conv2d(get(node.inputs[0]), w, bias, node.conv, epilogue, slot);
        if (!s) return with_context("node " + node.name + ": ", s.error());
        into_slot = true;
      } else {
        value = transposed ? ops_.conv_transpose2d(get(node.inputs[0]), w, bias, node.tconv, epilogue)
                           : ops_.conv2d(get(node.inputs[0]), w, bias, node.conv, epilogue);
      }
    } else {
      switch (node.op) {
        case OpKind::BatchNorm2d:
          value = ops_.batch_norm_apply(get(node.inputs[0]), weight(node.weights + ".running_mean"),
                                        weight(node.name + "#inv_std"), weight(node.weights + ".weight"),
                                        weight(node.weights + ".bias"));
          break;
        case OpKind::Relu:
          value = ops_.relu(get(node.inputs[0]));
          break;
        case OpKind::EmbedBroadcast: {
          auto out = GpuTensor::allocate(shapes->at(node.name));
          if (!out) return out.error();
          const Status s = ops_.embed_broadcast(weight(node.weights + ".weight"), *g_categories, {&*out, 0});
          if (!s) return with_context("node " + node.name + ": ", s.error());
          value = std::move(out).value();
          break;
        }
        case OpKind::Concat: {
          auto target = pending_concat(node.name);
          if (!target) return target.error();
          int offset = 0;
          for (const auto& input : node.inputs) {
            // Inputs with a value of their own are copied; the others were written in place.
            if (values.count(input)) {
              const Status s = ops_.copy_channels(get(input), {*target, offset});
              if (!s) return with_context("node " + node.name + ": ", s.error());
            }
            offset += static_cast<int>(shapes->at(input)[1]);
          }
          value = std::move(**target);
          pending.erase(node.name);
          break;
        }
        default:
          return make_error("node ", node.name, ": op ", op_name(node.op),
                            " cannot run in a graph on the GPU");
      }
    }
    if (!into_slot) {
      if (!value) return with_context("node " + node.name + ": ", value.error());
      values.insert_or_assign(step.result, std::move(value).value());
    }
    timer.after_step(i);
    if (options.keep_all) continue;
    if (!into_slot && !last.count(step.result)) values.erase(step.result);  // nothing reads it
    for (const auto& input : node.inputs) {
      auto it = last.find(input);
      if (it != last.end() && it->second == i) values.erase(input);
    }
  }
  timer.finish();
  if (options.time_layers)
    for (size_t i = 0; i < steps.size(); ++i)
      run.layer_times.push_back({steps[i].result, timer.ms_between(i, i + 1)});
  run.total_ms = timer.total_ms();
  for (const GraphNode& node : graph.nodes())
    if (values.count(node.name)) run.order.push_back(node.name);
  if (options.keep_all && values.count("gray")) run.order.insert(run.order.begin(), "gray");
  run.values = std::move(values);
  return run;
}

}  // namespace convlab::gpu
