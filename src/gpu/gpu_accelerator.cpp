#include "gpu/gpu_accelerator.h"

#include <epoxy/gl.h>

#include "core/backend/graph_on_backend.h"
#include "gpu/gl_context.h"
#include "gpu/gpu_backend.h"
#include "gpu/gpu_ops.h"
#include "gpu/gpu_runner.h"
#include "gpu/programs.h"

namespace convlab::gpu {

namespace {

class GpuValues final : public session::DeviceValues {
 public:
  explicit GpuValues(GpuRun run) : run_(std::move(run)) {}
  Result<Tensor> download(const std::string& name) const override {
    auto it = run_.values.find(name);
    if (it == run_.values.end()) return make_error("the run has no layer '", name, "'");
    return it->second.download();
  }

 private:
  GpuRun run_;
};

// A pass that steps through the GPU: each step waits for the GPU to finish
// (glFinish), so that a step's time is its own and the UI can show it.
template <typename Pass>
class GpuSteppedPass : public session::AcceleratedPass {
 public:
  GpuSteppedPass(std::unique_ptr<Pass> pass, std::string output)
      : pass_(std::move(pass)), output_(std::move(output)) {}
  size_t step_count() const override { return pass_->step_count(); }
  size_t steps_done() const override { return pass_->steps_done(); }
  std::string next_result() const override { return pass_->next_result(); }
  Status step() override {
    CONVLAB_TRY(pass_->step());
    glFinish();
    return {};
  }

 protected:
  std::unique_ptr<Pass> pass_;
  std::string output_;
};

// ECNN through its fused GPU plan (gpu_runner.h).
class GpuAcceleratedPass final : public GpuSteppedPass<GpuPass> {
 public:
  using GpuSteppedPass::GpuSteppedPass;
  Result<session::AcceleratedRun> finish() override {
    auto finished = pass_->finish();
    if (!finished) return finished.error();
    session::AcceleratedRun run;
    run.order = finished->order;
    run.timer_ms = finished->total_ms;
    auto ab = finished->values.at(output_).download();
    if (!ab) return ab.error();
    run.ab = std::move(ab).value();
    run.values = std::make_shared<GpuValues>(std::move(finished).value());
    return run;
  }
};

// Values already on the host (the graph pass downloads each node's).
class HostValues final : public session::DeviceValues {
 public:
  explicit HostValues(std::map<std::string, Tensor> values) : values_(std::move(values)) {}
  Result<Tensor> download(const std::string& name) const override {
    auto it = values_.find(name);
    if (it == values_.end()) return make_error("the run has no layer '", name, "'");
    return it->second;
  }

 private:
  std::map<std::string, Tensor> values_;
};

// Any graph, node by node through the GPU backend's ops (each op's shader,
// as test_every_op_every_backend runs them).
class GraphAcceleratedPass final : public GpuSteppedPass<GraphOnBackendPass> {
 public:
  GraphAcceleratedPass(std::unique_ptr<GraphOnBackendPass> pass, std::vector<std::string> order,
                       std::string output)
      : GpuSteppedPass(std::move(pass), std::move(output)), order_(std::move(order)) {}
  Result<session::AcceleratedRun> finish() override {
    std::map<std::string, Tensor> values = pass_->finish();
    session::AcceleratedRun run;
    run.order = order_;
    auto out = values.find(output_);
    if (out == values.end()) return make_error("the run has no output '", output_, "'");
    run.ab = out->second;
    run.values = std::make_shared<HostValues>(std::move(values));
    return run;
  }

 private:
  std::vector<std::string> order_;
};

class GpuAccelerator final : public session::Accelerator {
 public:
  explicit GpuAccelerator(std::shared_ptr<const Model> model)
      : model_(std::move(model)), ops_(std::make_unique<GpuOps>(programs_)) {}

  Result<std::unique_ptr<session::AcceleratedPass>> begin(const Tensor& gray, int64_t category) override {
    if (!gpu_model_) {  // the first pass uploads the weights (and compiles the shaders)
      auto uploaded = GpuModel::upload(*model_, *ops_);
      if (!uploaded) return uploaded.error();
      gpu_model_ = std::move(uploaded).value();
    }
    auto device_gray = GpuTensor::upload(gray);
    if (!device_gray) return device_gray.error();
    auto pass = gpu_model_->begin(std::move(device_gray).value(), std::span<const int64_t>(&category, 1),
                                  GpuRunOptions{true, true});
    if (!pass) return pass.error();
    return std::unique_ptr<session::AcceleratedPass>(
        std::make_unique<GpuAcceleratedPass>(std::move(pass).value(), model_->graph.output()));
  }

  Result<std::unique_ptr<session::AcceleratedPass>> begin_graph(
      const std::map<std::string, Tensor>& inputs) override {
    if (!backend_) {
      auto backend = GpuBackend::on_current_context();
      if (!backend) return backend.error();
      backend_ = std::move(backend).value();
    }
    auto pass = GraphOnBackendPass::begin(*backend_, *model_, inputs);
    if (!pass) return pass.error();
    std::vector<std::string> order;
    for (const auto& [name, value] : inputs) order.push_back(name);
    for (const GraphNode& node : model_->graph.nodes()) order.push_back(node.name);
    return std::unique_ptr<session::AcceleratedPass>(std::make_unique<GraphAcceleratedPass>(
        std::move(pass).value(), std::move(order), model_->graph.output()));
  }

 private:
  std::shared_ptr<const Model> model_;
  ProgramCache programs_;
  std::unique_ptr<GpuOps> ops_;
  std::unique_ptr<GpuModel> gpu_model_;
  std::unique_ptr<GpuBackend> backend_;  // any graph, op by op
};

}  // namespace

Result<std::unique_ptr<session::Accelerator>> make_gpu_accelerator(std::shared_ptr<const Model> model) {
  auto context = GlContext::adopt_current();
  if (!context) return context.error();
  return std::unique_ptr<session::Accelerator>(std::make_unique<GpuAccelerator>(std::move(model)));
}

}  // namespace convlab::gpu
