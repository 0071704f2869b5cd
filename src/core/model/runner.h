// Runs a Model's graph forward on the CPU. Activations of every node are
// kept (by name) so panels and the CLI can inspect any layer.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace convlab {

enum class CpuPath {
  Reference,  // the plain loops of reference.h
  Fast,       // im2col + OpenBLAS sgemm, batch norm folded into convs
};

struct Activations {
  std::vector<std::string> order;        // node names in execution order
  std::map<std::string, Tensor> values;  // name -> activation
  const Tensor& output(const Graph& graph) const { return values.at(graph.output()); }
};

// gray (N,1,H,W) with H, W multiples of graph.size_multiple(); categories (N)
// in [0, graph.categories()). keep_all=false frees activations no later node
// needs (the output is always kept).
Result<Activations> run_model_cpu(const Model& model, const Tensor& gray, std::span<const int64_t> categories,
                                  CpuPath path = CpuPath::Fast, bool keep_all = true);

}  // namespace convlab
