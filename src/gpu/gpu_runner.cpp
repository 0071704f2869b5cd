#include "gpu/gpu_runner.h"

#include <epoxy/gl.h>

#include <cmath>

#include "core/model/plan.h"

namespace convlab::gpu {

// GL timestamps around steps, read back once at the end of the pass. Per
// step, each step gets its own begin/end pair: a pass stepped across frames
// has the UI's drawing between steps, which must not count as the layer's.
class StepTimer {
 public:
  StepTimer(bool per_step, size_t steps) : per_step_(per_step) {
    queries_.resize(per_step ? 2 * steps : 2);
    glGenQueries(static_cast<GLsizei>(queries_.size()), queries_.data());
    if (!per_step_) glQueryCounter(queries_[0], GL_TIMESTAMP);
  }
  ~StepTimer() { glDeleteQueries(static_cast<GLsizei>(queries_.size()), queries_.data()); }
  StepTimer(const StepTimer&) = delete;
  StepTimer& operator=(const StepTimer&) = delete;
  void before_step(size_t i) {
    if (per_step_) glQueryCounter(queries_[2 * i], GL_TIMESTAMP);
  }
  void after_step(size_t i) {
    if (per_step_) glQueryCounter(queries_[2 * i + 1], GL_TIMESTAMP);
  }
  void finish() {
    if (!per_step_) glQueryCounter(queries_[1], GL_TIMESTAMP);
  }
  double step_ms(size_t i) const { return ms_between(2 * i, 2 * i + 1); }
  // Per step: the sum of the steps' times; otherwise first to last.
  double total_ms() const {
    if (!per_step_) return ms_between(0, 1);
    double total = 0;
    for (size_t i = 0; 2 * i < queries_.size(); ++i) total += step_ms(i);
    return total;
  }

 private:
  double ms_between(size_t a, size_t b) const {
    GLuint64 ta = 0, tb = 0;
    glGetQueryObjectui64v(queries_[a], GL_QUERY_RESULT, &ta);
    glGetQueryObjectui64v(queries_[b], GL_QUERY_RESULT, &tb);
    return static_cast<double>(tb - ta) * 1e-6;
  }
  bool per_step_;
  std::vector<GLuint> queries_;
};

namespace {

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
  auto pass = begin(std::move(gray), categories, options);
  if (!pass) return pass.error();
  while (!(*pass)->done()) CONVLAB_TRY((*pass)->step());
  return (*pass)->finish();
}

Result<std::unique_ptr<GpuPass>> GpuModel::begin(GpuTensor gray, std::span<const int64_t> categories,
                                                 const GpuRunOptions& options) {
  // Shapes and categories are checked on the host, with the CPU runner's rules.
  auto shapes = check_model_inputs(model_, gray.shape(), categories);
  if (!shapes) return shapes.error();
  auto g_categories = GpuTensor::upload_ints(categories);
  if (!g_categories) return g_categories.error();
  std::unique_ptr<GpuPass> pass(new GpuPass(*this, options));
  pass->shapes_ = std::move(shapes).value();
  pass->steps_ = plan_steps(model_.graph, pass->shapes_, !options.keep_all);
  pass->last_ = last_uses(pass->steps_, model_.graph.outputs());
  pass->values_.emplace("gray", std::move(gray));
  pass->categories_ = std::move(g_categories).value();
  pass->timer_ = std::make_unique<StepTimer>(options.time_layers, pass->steps_.size());
  return pass;
}

GpuPass::GpuPass(GpuModel& model, const GpuRunOptions& options) : model_(model), options_(options) {}
GpuPass::~GpuPass() = default;

Result<GpuTensor*> GpuPass::pending_concat(const std::string& name) {
  auto it = pending_.find(name);
  if (it == pending_.end()) {
    auto t = GpuTensor::allocate(shapes_.at(name));
    if (!t) return t.error();
    it = pending_.emplace(name, std::move(t).value()).first;
  }
  return &it->second;
}

Status GpuPass::step() {
  if (done()) return Error{"the forward pass has already run every step"};
  const size_t i = next_;
  const PlanStep& step = steps_[i];
  const GraphNode& node = *step.node;
  GpuOps& ops = model_.ops_;
  auto get = [&](const std::string& name) -> const GpuTensor& { return values_.at(name); };
  auto weight = [&](const std::string& name) -> const GpuTensor& { return model_.weight(name); };
  Result<GpuTensor> value = Error{};
  bool into_slot = false;
  timer_->before_step(i);
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
                           ? ops.conv_transpose2d(get(node.inputs[0]), w, bias, node.tconv, epilogue, slot)
                           : ops.conv2d(get(node.inputs[0]), w, bias, node.conv, epilogue, slot);
      if (!s) return with_context("node " + node.name + ": ", s.error());
      into_slot = true;
    } else {
      value = transposed ? ops.conv_transpose2d(get(node.inputs[0]), w, bias, node.tconv, epilogue)
                         : ops.conv2d(get(node.inputs[0]), w, bias, node.conv, epilogue);
    }
  } else {
    switch (node.op) {
      case OpKind::BatchNorm2d:
        value = ops.batch_norm_apply(get(node.inputs[0]), weight(node.weights + ".running_mean"),
                                     weight(node.name + "#inv_std"), weight(node.weights + ".weight"),
                                     weight(node.weights + ".bias"));
        break;
      case OpKind::Relu:
        value = ops.relu(get(node.inputs[0]));
        break;
      case OpKind::EmbedBroadcast: {
        auto out = GpuTensor::allocate(shapes_.at(node.name));
        if (!out) return out.error();
        const Status s = ops.embed_broadcast(weight(node.weights + ".weight"), categories_, {&*out, 0});
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
          if (values_.count(input)) {
            const Status s = ops.copy_channels(get(input), {*target, offset});
            if (!s) return with_context("node " + node.name + ": ", s.error());
          }
          offset += static_cast<int>(shapes_.at(input)[1]);
        }
        value = std::move(**target);
        pending_.erase(node.name);
        break;
      }
      default:
        return make_error("node ", node.name, ": op ", op_name(node.op), " cannot run in a graph on the GPU");
    }
  }
  if (!into_slot) {
    if (!value) return with_context("node " + node.name + ": ", value.error());
    values_.insert_or_assign(step.result, std::move(value).value());
  }
  timer_->after_step(i);
  ++next_;
  if (options_.keep_all) return {};
  if (!into_slot && !last_.count(step.result)) values_.erase(step.result);  // nothing reads it
  for (const auto& input : node.inputs) {
    auto it = last_.find(input);
    if (it != last_.end() && it->second == i) values_.erase(input);
  }
  return {};
}

Result<GpuRun> GpuPass::finish() {
  if (!done())
    return make_error("the forward pass is at step ", next_, " of ", steps_.size(), "; it cannot finish yet");
  timer_->finish();
  GpuRun run;
  if (options_.time_layers)
    for (size_t i = 0; i < steps_.size(); ++i)
      run.layer_times.push_back({steps_[i].result, timer_->step_ms(i)});
  run.total_ms = timer_->total_ms();
  for (const GraphNode& node : model_.model_.graph.nodes())
    if (values_.count(node.name)) run.order.push_back(node.name);
  if (options_.keep_all && values_.count("gray")) run.order.insert(run.order.begin(), "gray");
  run.values = std::move(values_);
  return run;
}

}  // namespace convlab::gpu
