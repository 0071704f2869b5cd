// Runs a Model's graph forward on the CPU. Activations of every node are
// kept (by name) so panels and the CLI can inspect any layer.
#pragma once

#include <functional>
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

// Wall-clock time of one executed step (a conv with its fused batch norm and
// ReLU counts as one step when the path fuses).
struct StepTime {
  std::string name;  // the step's result
  double ms = 0;
};

struct Activations {
  std::vector<std::string> order;        // node names in execution order
  std::map<std::string, Tensor> values;  // name -> activation
  std::vector<StepTime> step_times;      // every executed step, in order
  const Tensor& output(const Graph& graph) const { return values.at(graph.output()); }
};

// Called after each step, on the thread that runs the model (the network
// panel's progress bar reads it from another thread: keep it cheap).
using StepCallback = std::function<void(size_t done, size_t total)>;

// gray (N,1,H,W) with H, W multiples of graph.size_multiple(); categories (N)
// in [0, graph.categories()). keep_all=false frees activations no later node
// needs (the output is always kept).
Result<Activations> run_model_cpu(const Model& model, const Tensor& gray, std::span<const int64_t> categories,
                                  CpuPath path = CpuPath::Fast, bool keep_all = true,
                                  const StepCallback& on_step = {});

}  // namespace convlab
