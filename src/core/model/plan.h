// The inference plan both graph runners (CPU fast path, GPU) follow, so the
// fusion rules live in one place:
//  - a conv whose only consumer is an eval batch norm gets it folded into a
//    per-channel scale/shift (fold_batch_norm),
//  - a ReLU that is the chain's only consumer is applied in the same pass,
//  - when the chain's only consumer is a concat, the result is written
//    straight into the concat's channels (no copy).
// Without fusion the plan has one step per node, so every node's value is
// its own op's result (what a panel inspecting a layer needs).
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace convlab {

using Shapes = std::map<std::string, Shape>;

struct PlanStep {
  const GraphNode* node = nullptr;
  const GraphNode* bn = nullptr;  // batch norm folded into this conv
  bool relu = false;              // ReLU applied in the conv's epilogue, or after an elementwise op
  std::string result;             // name the value is stored under (last node of the chain)
  std::string slot;               // concat this result is written into directly, or empty
  int slot_offset = 0;            // first channel of the result inside that concat
};

// Checks gray (N,1,H,W), one category per image in range, and that every
// weight is present with its shape; returns every node's output shape.
Result<Shapes> check_model_inputs(const Model& model, const Shape& gray, std::span<const int64_t> categories);
// Any graph: each input given with a shape the graph accepts, and every
// constant in the weights with its shape.
Result<Shapes> check_model_inputs(const Model& model, const std::map<std::string, Tensor>& inputs);

std::vector<PlanStep> plan_steps(const Graph& graph, const Shapes& shapes, bool fuse);

// For each value, the index of the last step that reads it (the graph output:
// kKeptToTheEnd), so runners free activations as soon as they are dead.
inline constexpr size_t kKeptToTheEnd = static_cast<size_t>(-1);
std::map<std::string, size_t> last_uses(const std::vector<PlanStep>& steps,
                                        const std::vector<std::string>& outputs);

// Eval batch norm after a conv with bias b, as one multiply-add per channel:
// scale = gamma / sqrt(var + eps), shift = (b - mean) * scale + beta (in double).
void fold_batch_norm(const Model& model, const GraphNode& bn, const Tensor& conv_bias,
                     std::vector<float>& scale, std::vector<float>& shift);

}  // namespace convlab
