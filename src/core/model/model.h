// A Graph with its weights, checked against what the graph expects.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/io/safetensors.h"
#include "core/model/graph.h"

namespace convlab {

struct Model {
  Graph graph;
  std::map<std::string, Tensor> weights;  // float32, PyTorch state_dict names
  int64_t num_batches_tracked = 0;        // informational, kept for round trips

  const Tensor& weight(const std::string& name) const { return weights.at(name); }
};

// Takes the weights the graph expects from `file`; every missing, extra or
// mis-shaped tensor is reported by name in one error message.
Result<Model> model_from_safetensors(const Graph& graph, const SafeTensors& file, const std::string& source);
Result<Model> load_model(const Graph& graph, const std::string& weights_path);
// Writes the weights (F32 or F16) with state_dict names, loadable by PyTorch.
Status save_model(const Model& model, const std::string& path, DType dtype = DType::F32);

// Deterministic random weights, identical to tests/golden/ecnn_random.py:
// each tensor's values come from splitmix64 over (seed, FNV-1a(name), index),
// so Python and C++ make the same model without shipping its weights.
Model random_model(const Graph& graph, uint64_t seed);

}  // namespace convlab
