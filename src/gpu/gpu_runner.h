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

class GpuModel {
 public:
  // Uploads the weights and the folded batch-norm factors once.
  static Result<std::unique_ptr<GpuModel>> upload(const Model& model, GpuOps& ops);

  const Model& model() const { return model_; }
  Result<GpuRun> run(const Tensor& gray, std::span<const int64_t> categories,
                     const GpuRunOptions& options = {});
  // gray already on the GPU (N,1,H,W), e.g. the L plane of a GPU Lab conversion.
  Result<GpuRun> run(GpuTensor gray, std::span<const int64_t> categories, const GpuRunOptions& options = {});

 private:
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
