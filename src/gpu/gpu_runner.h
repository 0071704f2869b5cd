// Runs a Model's graph on the GPU: weights uploaded once, activations kept in
// GPU buffers from layer to layer (no CPU round trips), batch norm folded into
// the preceding conv and ReLU fused where the plan (core/model/plan.h) says,
// concat inputs written straight into their channel offsets, per-layer times
// from GL timer queries, and any layer's activation readable on request.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/model/model.h"
#include "core/model/plan.h"
#include "gpu/gpu_ops.h"

namespace convlab::gpu {

struct GpuLayerTime {
  std::string name;  // the step's result (e.g. "c1" for conv1 + conv1_bn + relu)
  double ms = 0;
};

struct GpuRun {
  std::vector<std::string> order;           // node names whose values are kept, in graph order
  std::map<std::string, GpuTensor> values;  // name -> activation on the GPU
  std::vector<GpuLayerTime> layer_times;    // when asked for: one per executed step
  double total_ms = 0;                      // GPU time of the whole pass (timer queries)
};

struct GpuRunOptions {
  bool keep_all = false;     // keep every node's value, unfused (for inspection)
  bool time_layers = false;  // a timer query around every step
};

class GpuModel;
class StepTimer;

// One forward pass, one plan step at a time: the network panel runs a step
// or a few per frame so the window never freezes on a slow GPU (llvmpipe).
// GpuModel::run is this, stepped to the end. Must not outlive its GpuModel.
class GpuPass {
 public:
  ~GpuPass();
  GpuPass(const GpuPass&) = delete;
  GpuPass& operator=(const GpuPass&) = delete;

  size_t step_count() const { return steps_.size(); }
  size_t steps_done() const { return next_; }
  bool done() const { return next_ == steps_.size(); }
  // The value the next step makes (e.g. "c1"); empty when done.
  std::string next_result() const { return done() ? std::string() : steps_[next_].result; }
  // Dispatches the next step (returns before the GPU has finished it).
  Status step();
  // After the last step: reads the timer queries and hands over the values.
  Result<GpuRun> finish();

 private:
  friend class GpuModel;
  GpuPass(GpuModel& model, const GpuRunOptions& options);
  Result<GpuTensor*> pending_concat(const std::string& name);

  GpuModel& model_;
  GpuRunOptions options_;
  std::map<std::string, Shape> shapes_;
  std::vector<PlanStep> steps_;
  std::map<std::string, size_t> last_;
  std::map<std::string, GpuTensor> values_;
  std::map<std::string, GpuTensor> pending_;  // concats that producers write into directly
  GpuTensor categories_;
  std::unique_ptr<StepTimer> timer_;
  size_t next_ = 0;
};

class GpuModel {
 public:
  // Uploads the weights and the folded batch-norm factors once.
  static Result<std::unique_ptr<GpuModel>> upload(const Model& model, GpuOps& ops);

  const Model& model() const { return model_; }
  Result<GpuRun> run(const Tensor& gray, std::span<const int64_t> categories,
                     const GpuRunOptions& options = {});
  // gray already on the GPU (N,1,H,W), e.g. the L plane of a GPU Lab conversion.
  Result<GpuRun> run(GpuTensor gray, std::span<const int64_t> categories, const GpuRunOptions& options = {});
  // A pass to step through (see GpuPass); inputs are checked here.
  Result<std::unique_ptr<GpuPass>> begin(GpuTensor gray, std::span<const int64_t> categories,
                                         const GpuRunOptions& options = {});

 private:
  friend class GpuPass;
  GpuModel(const Model& model, GpuOps& ops) : model_(model), ops_(ops) {}
  Status upload_weights();
  const GpuTensor& weight(const std::string& name) const { return weights_.at(name); }

  Model model_;
  GpuOps& ops_;
  std::map<std::string, GpuTensor>
      weights_;  // state_dict names, plus derived "<conv>#scale", "<conv>#shift",
                 // "<bn>#mean", "<bn>#inv_std"
};

}  // namespace convlab::gpu
