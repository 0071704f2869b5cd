// Writing a Model as ONNX: what `convlab train` ships must open in ConvLab
// (and pass ONNX's checker) and compute exactly what the model in memory did.
#include "core/onnx/onnx_write.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/model/classifier.h"
#include "core/model/runner.h"
#include "core/onnx/onnx_graph.h"

namespace convlab {
namespace {

Tensor test_image(int side) {
  Tensor x({2, 3, side, side});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = static_cast<float>((i * 37) % 101) / 50.0f - 1.0f;
  return x;
}

TEST_CASE("a TinyVGG written as ONNX reads back to the same graph, weights, metadata and logits") {
  auto graph = tiny_vgg_graph({3, 4, 7, 32});
  REQUIRE(graph.ok());
  const Model model = tiny_vgg_initial_model(*graph, 5);
  const std::map<std::string, std::string> metadata = {{"convlab.labels", "a\nb\nc\nd\ne\nf\ng"},
                                                       {"convlab.image_size", "32"}};
  auto bytes = onnx_model::onnx_bytes(model, metadata, "a test classifier");
  REQUIRE_MESSAGE(bytes.ok(), (bytes.ok() ? "" : bytes.message()));
  auto read = onnx_model::load_onnx_bytes(*bytes, "tinyvgg.onnx", ".");
  REQUIRE_MESSAGE(read.ok(), (read.ok() ? "" : read.message()));
  CHECK_FALSE(read->unsupported.has_value());
  CHECK(read->opset == 17);
  CHECK(read->metadata == metadata);
  CHECK(read->model.graph.nodes().size() == graph->nodes().size());
  CHECK(read->model.graph.inputs().at(0).shape == Shape{-1, 3, 32, 32});

  const Tensor x = test_image(32);
  auto want = run_graph_cpu(model, {{"image", x}});
  auto got = run_graph_cpu(read->model, {{read->model.graph.inputs()[0].name, x}});
  REQUIRE(want.ok());
  REQUIRE(got.ok());
  const Tensor& a = want->values.at("fc");
  const Tensor& b = got->output(read->model.graph);
  REQUIRE(a.shape() == Shape{2, 7});
  REQUIRE(b.shape() == a.shape());
  for (int64_t i = 0; i < a.numel(); ++i) CHECK(b[i] == doctest::Approx(a[i]).epsilon(1e-6));
}

TEST_CASE("writing ONNX refuses an op it cannot write, and leaves no file behind") {
  auto graph = tiny_vgg_graph({3, 2, 3, 8});
  REQUIRE(graph.ok());
  Graph::Parts parts;
  parts.name = "odd";
  parts.inputs = {GraphInput{"x", {1, 3, 8, 8}}};
  GraphNode pool;
  pool.name = "gap";
  pool.op = OpKind::GlobalAveragePool;
  pool.inputs = {"x"};
  parts.nodes = {pool};
  parts.outputs = {"gap"};
  auto odd = Graph::assemble(parts, "odd");
  REQUIRE(odd.ok());
  Model model;
  model.graph = *odd;
  const std::string path = (std::filesystem::temp_directory_path() / "convlab_odd.onnx").string();
  std::remove(path.c_str());
  auto written = onnx_model::write_onnx_file(path, model, {});
  REQUIRE_FALSE(written.ok());
  CHECK(written.message().find("global_average_pool") != std::string::npos);
  CHECK(written.message().find(path) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace convlab

namespace convlab {
namespace {

TEST_CASE("the classifier's safetensors twin rebuilds the same network for builds without ONNX") {
  const TinyVggOptions options{3, 2, 5, 16};
  auto graph = tiny_vgg_graph(options);
  REQUIRE(graph.ok());
  const Model model = tiny_vgg_initial_model(*graph, 9);
  const SafeTensors file = tiny_vgg_safetensors(model, options, {{"convlab.labels", "a\nb\nc\nd\ne"}});
  auto back = tiny_vgg_from_safetensors(file, "twin.safetensors");
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.message()));
  CHECK(back->graph.nodes().size() == graph->nodes().size());
  for (const auto& [name, tensor] : model.weights) CHECK(back->weights.at(name).values() == tensor.values());

  SafeTensors wrong = file;
  wrong.metadata()["convlab.channels"] = std::string("3");
  auto mismatch = tiny_vgg_from_safetensors(wrong, "twin.safetensors");
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.message().find("twin.safetensors: conv1_1.bias has shape") != std::string::npos);
  wrong.metadata()["convlab.channels"] = std::string(1, 'x');
  CHECK(tiny_vgg_from_safetensors(wrong, "twin.safetensors").message().find("not a whole number") !=
        std::string::npos);
  wrong.metadata().erase("convlab.arch");
  CHECK(tiny_vgg_from_safetensors(wrong, "twin.safetensors").message().find("convlab.arch") != std::string::npos);
}

}  // namespace
}  // namespace convlab
