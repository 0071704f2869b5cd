// Runs a Model's graph forward on the CPU. Activations of every node are
// kept (by name) so panels and the CLI can inspect any layer.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/model/model.h"
#include "core/model/plan.h"

namespace convlab {

enum class CpuPath {
  Reference,  // the plain loops of reference.h
  Fast,       // im2col or Winograd + oneDNN sgemm, batch norm folded into convs
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

class PassExecutor;

// A forward pass that runs one plan step at a time. run_model_cpu steps it
// to the end; the network panel steps it a few steps per frame where there
// are no worker threads (the browser build), so no frame waits for the
// whole model. Arguments as run_model_cpu's; the model must outlive the pass.
class CpuPass {
 public:
  static Result<std::unique_ptr<CpuPass>> begin(const Model& model, Tensor gray,
                                                std::vector<int64_t> categories, CpuPath path = CpuPath::Fast,
                                                bool keep_all = true);
  // Any graph (one read from ONNX): a tensor for each of its inputs, by name.
  static Result<std::unique_ptr<CpuPass>> begin(const Model& model, std::map<std::string, Tensor> inputs,
                                                CpuPath path = CpuPath::Fast, bool keep_all = true);
  ~CpuPass();
  CpuPass(const CpuPass&) = delete;
  CpuPass& operator=(const CpuPass&) = delete;

  size_t step_count() const { return steps_.size(); }
  size_t steps_done() const { return next_; }
  bool done() const { return next_ == steps_.size(); }
  // The value the next step makes (e.g. "c1"); empty when done.
  std::string next_result() const { return done() ? std::string() : steps_[next_].result; }
  Status step();
  // After the last step: the activations (the pass is spent).
  Activations finish();

 private:
  CpuPass(const Model& model, std::map<std::string, Tensor> inputs, std::vector<int64_t> categories,
          Shapes shapes, CpuPath path, bool keep_all);
  const Model& model_;
  std::map<std::string, Tensor> inputs_;
  std::vector<int64_t> categories_;
  Shapes shapes_;
  bool keep_all_;
  std::vector<PlanStep> steps_;
  std::map<std::string, size_t> last_;
  std::unique_ptr<PassExecutor> executor_;
  std::vector<StepTime> times_;
  size_t next_ = 0;
};

// gray (N,1,H,W) with H, W multiples of graph.size_multiple(); categories (N)
// in [0, graph.categories()). keep_all=false frees activations no later node
// needs (the output is always kept).
Result<Activations> run_model_cpu(const Model& model, const Tensor& gray, std::span<const int64_t> categories,
                                  CpuPath path = CpuPath::Fast, bool keep_all = true,
                                  const StepCallback& on_step = {});

// Any graph, to the end: the activations (the outputs always kept).
Result<Activations> run_graph_cpu(const Model& model, std::map<std::string, Tensor> inputs,
                                  CpuPath path = CpuPath::Fast, bool keep_all = true);

}  // namespace convlab
