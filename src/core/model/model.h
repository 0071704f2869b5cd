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
// Exactly (uint64 arithmetic wraps):
//   u_i = (splitmix64(seed ^ fnv1a64(name) ^ (i * 0x9E3779B97F4A7C15)) >> 40) * 2^-24   (double)
//   splitmix64(x): x += 0x9E3779B97F4A7C15; z = x; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
//                  z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)
//   fnv1a64(name): h = 0xCBF29CE484222325; per byte: h ^= byte; h *= 0x100000001B3
// and value i, computed in double and rounded to float32 once:
//   conv / transposed conv weight (2u-1) * b, b = (1/sqrt(shape[1]*K*K)) * sqrt(3)
//   conv bias (2u-1)*0.1; batch norm weight 0.75+0.5u, bias (2u-1)*0.2,
//   running_mean (2u-1)*0.2, running_var 0.5+u; embedding (2u-1);
//   num_batches_tracked 0.
Model random_model(const Graph& graph, uint64_t seed);

}  // namespace convlab
