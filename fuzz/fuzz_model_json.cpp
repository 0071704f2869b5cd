// Model descriptions (JSON): a graph or an error; a graph's shapes are
// inferred or refused, never a crash.
#include "core/model/graph.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto graph = convlab::Graph::from_json(fuzz_text(data, size), "fuzz.json");
  if (!graph.ok()) {
    FUZZ_REQUIRE(!graph.message().empty());
    return 0;
  }
  (void)graph->infer_shapes(1, 64, 64);
  return 0;
}
