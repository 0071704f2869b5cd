// ECNN as ONNX (tools/export_ecnn_onnx.py) gives the built-in description's
// a,b. Skipped in the plain onnx_tests run: ctest's "onnx: ECNN exported from
// PyTorch ..." exports the file first (it needs python3-torch) and runs this
// case with the file's path in CONVLAB_ECNN_ONNX.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "core/model/runner.h"
#include "core/onnx/onnx_graph.h"
#include "test_support.h"

using namespace convlab;

TEST_CASE("ECNN exported to ONNX gives the built-in graph's a,b" * doctest::skip()) {
  const char* path = std::getenv("CONVLAB_ECNN_ONNX");
  REQUIRE_MESSAGE(path != nullptr, "set CONVLAB_ECNN_ONNX to a file tools/export_ecnn_onnx.py wrote");
  auto onnx = onnx_model::load_onnx_file(path);
  REQUIRE_MESSAGE(onnx.ok(), (onnx.ok() ? "" : onnx.message()));
  REQUIRE_FALSE(onnx->unsupported);
  const Graph& g = onnx->model.graph;
  REQUIRE(g.inputs().size() == 2);
  CHECK(g.inputs()[1].integer);
  const int64_t size = g.inputs()[0].shape[2];

  auto graph = Graph::builtin("advanced");
  REQUIRE(graph.ok());
  auto builtin =
      load_model(*graph, std::string(CONVLAB_SOURCE_DIR) + "/assets/models/ecnn_advanced.safetensors");
  REQUIRE_MESSAGE(builtin.ok(), (builtin.ok() ? "" : builtin.message()));

  // An L plane with structure (edges and gradients), every category.
  Tensor gray({1, 1, size, size});
  for (int64_t y = 0; y < size; ++y)
    for (int64_t x = 0; x < size; ++x)
      gray.at(0, 0, y, x) = static_cast<float>(
          50.0 + 40.0 * std::sin(0.21 * static_cast<double>(x)) * std::cos(0.13 * static_cast<double>(y)) +
          (x > y ? 5 : -5));
  for (int64_t category = 0; category < 8; ++category) {
    CAPTURE(category);
    const std::vector<int64_t> categories = {category};
    auto expected = run_model_cpu(*builtin, gray, categories, CpuPath::Fast, false);
    REQUIRE(expected.ok());
    auto got =
        run_graph_cpu(onnx->model, {{"gray", gray}, {"category", Tensor({1}, static_cast<float>(category))}});
    REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.message()));
    const Tensor& a = got->values.at("ab");
    const Tensor& b = expected->output(builtin->graph);
    REQUIRE(a.shape() == b.shape());
    CHECK(max_abs_difference(a, b) <= 1e-4f);
    MESSAGE("category " << category << ": max |ab| " << max_abs(b) << ", max difference "
                        << max_abs_difference(a, b));
  }
}
