#include "gpu/gpu_accelerator.h"

#include <epoxy/gl.h>

#include "gpu/gl_context.h"
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

class GpuAcceleratedPass final : public session::AcceleratedPass {
 public:
  GpuAcceleratedPass(std::unique_ptr<GpuPass> pass, std::string output)
      : pass_(std::move(pass)), output_(std::move(output)) {}
  size_t step_count() const override { return pass_->step_count(); }
  size_t steps_done() const override { return pass_->steps_done(); }
  std::string next_result() const override { return pass_->next_result(); }
  Status step() override {
    CONVLAB_TRY(pass_->step());
    glFinish();
    return {};
  }
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

 private:
  std::unique_ptr<GpuPass> pass_;
  std::string output_;
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

 private:
  std::shared_ptr<const Model> model_;
  ProgramCache programs_;
  std::unique_ptr<GpuOps> ops_;
  std::unique_ptr<GpuModel> gpu_model_;
};

}  // namespace

Result<std::unique_ptr<session::Accelerator>> make_gpu_accelerator(std::shared_ptr<const Model> model) {
  auto context = GlContext::adopt_current();
  if (!context) return context.error();
  return std::unique_ptr<session::Accelerator>(std::make_unique<GpuAccelerator>(std::move(model)));
}

}  // namespace convlab::gpu
