// ONNX model files: a model (its graph and weights, or the node it stops at)
// or an error naming the file; a graph that loads is run on zeros when it
// is small, and runs or is refused, never a crash.
#include "core/model/runner.h"
#include "core/onnx/onnx_graph.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto loaded = convlab::onnx_model::load_onnx_bytes(bytes, "fuzz.onnx", "");
  if (!loaded.ok()) {
    FUZZ_REQUIRE(!loaded.message().empty());
    return 0;
  }
  if (loaded->unsupported) FUZZ_REQUIRE(!loaded->unsupported->why.empty());
  const convlab::Graph& graph = loaded->model.graph;
  // Inputs of the graph's shapes, a free dimension as 1; only small ones run.
  std::map<std::string, convlab::Tensor> inputs;
  std::map<std::string, convlab::Shape> shapes;
  for (const auto& input : graph.inputs()) {
    convlab::Shape shape = input.shape;
    for (int64_t& d : shape)
      if (d < 1) d = 1;
    shapes[input.name] = shape;
  }
  auto inferred = graph.infer_shapes(shapes);
  if (!inferred.ok()) return 0;
  int64_t total = 0;
  for (const auto& [name, shape] : *inferred) {
    for (int64_t d : shape)
      if (d > 4096) return 0;
    total += convlab::shape_numel(shape);
    if (total > (1 << 20)) return 0;
  }
  for (const auto& [name, shape] : shapes) inputs[name] = convlab::Tensor(shape);
  auto acts = convlab::run_graph_cpu(loaded->model, inputs, convlab::CpuPath::Reference);
  if (!acts.ok()) FUZZ_REQUIRE(!acts.message().empty());
  return 0;
}
