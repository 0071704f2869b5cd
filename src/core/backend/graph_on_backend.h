// Runs any graph node by node on a Backend: each op through run_op(), so a
// graph read from ONNX runs on the GPU backend's compute shaders exactly as
// its ops are tested there (test_every_op_every_backend). The CPU graph
// runner (core/model/runner.h) is the fast way on the CPU; this is the way
// on any backend, one upload and download per op.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/backend/backend.h"
#include "core/model/model.h"

namespace convlab {

// The same, one node at a time: the network panel runs a few nodes per
// frame. The model and backend must outlive the pass.
class GraphOnBackendPass {
 public:
  static Result<std::unique_ptr<GraphOnBackendPass>> begin(Backend& backend, const Model& model,
                                                           std::map<std::string, Tensor> inputs,
                                                           std::vector<int64_t> categories = {});
  size_t step_count() const { return model_.graph.nodes().size(); }
  size_t steps_done() const { return next_; }
  bool done() const { return next_ == step_count(); }
  std::string next_result() const;  // the node the next step makes; empty when done
  Status step();
  // Every node's value by name, the inputs too (the pass is spent).
  std::map<std::string, Tensor> finish() { return std::move(values_); }

 private:
  GraphOnBackendPass(Backend& backend, const Model& model, std::map<std::string, Tensor> inputs,
                     std::vector<int64_t> categories, std::map<std::string, Shape> shapes);
  Backend& backend_;
  const Model& model_;
  std::vector<int64_t> categories_;
  std::map<std::string, Shape> shapes_;
  std::map<std::string, Tensor> values_;
  size_t next_ = 0;
};

// Every node's value by name (inputs as given). `categories` feed embed nodes.
Result<std::map<std::string, Tensor>> run_graph_on(Backend& backend, const Model& model,
                                                   const std::map<std::string, Tensor>& inputs,
                                                   const std::vector<int64_t>& categories = {});

}  // namespace convlab
