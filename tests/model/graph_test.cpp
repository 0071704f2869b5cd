// The model graph: the embedded ECNN descriptions, their shapes and weights,
// and the messages a broken description gives.
#include "core/model/graph.h"

#include <doctest/doctest.h>

#include <string>

#include "test_support.h"

namespace convlab {
namespace {

Graph builtin(const std::string& arch) {
  auto graph = Graph::builtin(arch);
  REQUIRE_MESSAGE(graph.ok(), (graph.ok() ? std::string() : graph.message()));
  return std::move(graph).value();
}

// A one-conv graph with `node` as its second node, for the error cases.
std::string graph_with(const std::string& node) {
  return R"({"name": "tiny", "output": "y", "nodes": [
    {"name": "x", "op": "conv2d", "inputs": ["gray"], "weights": "x", "in_channels": 1, "out_channels": 4,
     "kernel": 3, "stride": 1, "padding": 1, "dilation": 1},
    )" + node +
         "]}";
}

std::string error_of(const std::string& json) {
  auto graph = Graph::from_json(json, "tiny.json");
  REQUIRE_FALSE(graph.ok());
  return graph.message();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("builtin graphs: ECNN advanced and basic") {
  const Graph advanced = builtin("advanced");
  CHECK(advanced.name() == "advanced");
  CHECK(advanced.output() == "out");
  CHECK(advanced.emb_size() == 10);
  CHECK(advanced.categories() == 8);
  CHECK(advanced.size_multiple() == 16);
  CHECK(advanced.nodes().size() == 38);
  CHECK(advanced.parameter_count() == 3669194);
  for (const auto& node : advanced.nodes()) CHECK_MESSAGE(!node.description.empty(), node.name);

  const GraphNode* dilat1 = advanced.find("dilat1");
  REQUIRE(dilat1 != nullptr);
  CHECK(dilat1->op == OpKind::Conv2d);
  CHECK(dilat1->kernel == 4);
  CHECK(dilat1->conv.dilation_h == 2);
  CHECK(dilat1->conv.padding == Padding2d{3, 3, 3, 3});
  const GraphNode* tconv3 = advanced.find("tconv3");
  REQUIRE(tconv3 != nullptr);
  CHECK(tconv3->op == OpKind::ConvTranspose2d);
  CHECK(tconv3->in_channels == 266);
  CHECK(tconv3->tconv.stride_h == 2);
  CHECK(tconv3->tconv.padding_w == 1);
  CHECK(advanced.find("out")->weights == "tconv_out");
  CHECK(advanced.find("e1")->weights == "embd");

  const Graph basic = builtin("basic");
  CHECK(basic.output() == "out");
  CHECK(basic.parameter_count() == 77778);
  CHECK(basic.size_multiple() == 4);

  auto unknown = Graph::builtin("huge");
  REQUIRE_FALSE(unknown.ok());
  CHECK(contains(unknown.message(), "advanced, basic"));
  CHECK(Graph::builtin_names() == std::vector<std::string>{"advanced", "basic"});
}

TEST_CASE("the embedded description is the file in assets/models") {
  auto from_disk = Graph::load_file(std::string(CONVLAB_SOURCE_DIR) + "/assets/models/ecnn_advanced.json");
  REQUIRE_MESSAGE(from_disk.ok(), (from_disk.ok() ? std::string() : from_disk.message()));
  CHECK(from_disk->nodes().size() == builtin("advanced").nodes().size());
  auto missing = Graph::load_file("/nonexistent/model.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(contains(missing.message(), "/nonexistent/model.json"));
}

TEST_CASE("expected weights follow PyTorch's state_dict") {
  const auto specs = builtin("advanced").expected_weights();
  const auto find = [&](const std::string& name) -> const WeightSpec* {
    for (const auto& s : specs)
      if (s.name == name) return &s;
    return nullptr;
  };
  REQUIRE(find("embd.weight") != nullptr);
  CHECK(find("embd.weight")->shape == Shape{8, 10});
  CHECK(find("conv1.weight")->shape == Shape{32, 11, 4, 4});
  CHECK(find("conv1.bias")->shape == Shape{32});
  CHECK(find("tconv3.weight")->shape == Shape{266, 128, 4, 4});  // transposed: (in, out, k, k)
  CHECK(find("tconv_out.weight")->shape == Shape{2, 3, 3, 3});
  CHECK(find("conv1_bn.running_var")->shape == Shape{32});
  REQUIRE(find("conv1_bn.num_batches_tracked") != nullptr);
  CHECK(find("conv1_bn.num_batches_tracked")->integer);
  CHECK(find("conv1_bn.num_batches_tracked")->shape.empty());
  // 1 table + 7 convs * 2 + 4 transposed convs * 2 + 9 batch norms * 5.
  CHECK(specs.size() == 1 + 14 + 8 + 45);
}

TEST_CASE("infer_shapes: ECNN advanced at 256x256") {
  const Graph graph = builtin("advanced");
  auto shapes = graph.infer_shapes(1, 256, 256);
  REQUIRE_MESSAGE(shapes.ok(), (shapes.ok() ? std::string() : shapes.message()));
  const auto& s = *shapes;
  CHECK(s.at("gray") == Shape{1, 1, 256, 256});
  CHECK(s.at("e0") == Shape{1, 10, 256, 256});
  CHECK(s.at("x0") == Shape{1, 11, 256, 256});
  CHECK(s.at("conv1") == Shape{1, 32, 128, 128});
  CHECK(s.at("c1") == Shape{1, 32, 128, 128});
  CHECK(s.at("c2") == Shape{1, 64, 64, 64});
  CHECK(s.at("c3") == Shape{1, 128, 32, 32});
  CHECK(s.at("c4") == Shape{1, 256, 16, 16});
  CHECK(s.at("d1") == Shape{1, 256, 16, 16});
  CHECK(s.at("d2") == Shape{1, 256, 16, 16});
  CHECK(s.at("e1") == Shape{1, 10, 16, 16});
  CHECK(s.at("x1") == Shape{1, 266, 16, 16});
  CHECK(s.at("tconv3") == Shape{1, 128, 32, 32});
  CHECK(s.at("t3") == Shape{1, 256, 32, 32});
  CHECK(s.at("t2") == Shape{1, 128, 64, 64});
  CHECK(s.at("t1") == Shape{1, 64, 128, 128});
  CHECK(s.at("t0") == Shape{1, 3, 256, 256});
  CHECK(s.at("out") == Shape{1, 2, 256, 256});

  auto rect = graph.infer_shapes(3, 48, 64);
  REQUIRE(rect.ok());
  CHECK(rect->at("out") == Shape{3, 2, 48, 64});
  CHECK(rect->at("c4") == Shape{3, 256, 3, 4});
}

TEST_CASE("infer_shapes: sizes that are not multiples of 16 name the failing node") {
  const Graph graph = builtin("advanced");
  auto bad = graph.infer_shapes(1, 40, 64);  // 40 -> 20 -> 10 -> 5 -> 2 -> 4 != 5
  REQUIRE_FALSE(bad.ok());
  CHECK_MESSAGE(contains(bad.message(), "node t3"), bad.message());
  CHECK_MESSAGE(contains(bad.message(), "multiples of 16"), bad.message());
  auto tiny = graph.infer_shapes(1, 8, 8);  // conv4 gets a 1x1 input
  REQUIRE_FALSE(tiny.ok());
  CHECK_MESSAGE(contains(tiny.message(), "node conv4"), tiny.message());
  CHECK_FALSE(graph.infer_shapes(0, 16, 16).ok());
  // The basic model needs multiples of 4 only.
  CHECK(builtin("basic").infer_shapes(1, 20, 12).ok());
  auto basic_bad = builtin("basic").infer_shapes(1, 18, 12);
  REQUIRE_FALSE(basic_bad.ok());
  CHECK_MESSAGE(contains(basic_bad.message(), "multiples of 4"), basic_bad.message());
}

TEST_CASE("from_json: a minimal graph with defaults") {
  auto graph = Graph::from_json(graph_with(R"({"name": "y", "op": "relu", "inputs": ["x"]})"), "tiny.json");
  REQUIRE_MESSAGE(graph.ok(), (graph.ok() ? std::string() : graph.message()));
  CHECK(graph->size_multiple() == 1);
  CHECK(graph->categories() == 0);
  auto shapes = graph->infer_shapes(2, 5, 7);
  REQUIRE(shapes.ok());
  CHECK(shapes->at("y") == Shape{2, 4, 5, 7});
}

TEST_CASE("from_json: errors name the file, the node and what is valid") {
  struct Case {
    std::string node;
    std::vector<std::string> expect;
  };
  const std::vector<Case> cases = {
      {R"({"name": "y", "op": "hardmax", "inputs": ["x"]})",
       {"tiny.json: node y", "unknown op \"hardmax\"",
        "conv2d, conv_transpose2d, batch_norm, relu, concat, embed"}},
      // An op of ONNX graphs: known, but not one a JSON description builds.
      {R"({"name": "y", "op": "softmax", "inputs": ["x"]})",
       {"tiny.json: node y",
        "cannot be a graph node; graph ops: conv2d, conv_transpose2d, batch_norm, relu, concat, embed"}},
      {R"({"name": "y", "op": "lab_to_rgb", "inputs": ["x"]})", {"node y", "cannot be a graph node"}},
      {R"({"name": "x", "op": "relu", "inputs": ["x"]})", {"node x", "already used"}},
      {R"({"name": "gray", "op": "relu", "inputs": ["x"]})", {"node gray", "graph input"}},
      {R"({"name": "y", "op": "relu", "inputs": ["z"]})", {"node y", "\"z\" is not defined before"}},
      {R"({"name": "y", "op": "relu", "inputs": ["y"]})", {"node y", "\"y\" is not defined before"}},
      {R"({"op": "relu", "inputs": ["x"]})", {"node #1", "missing field \"name\""}},
      {R"({"name": "y", "inputs": ["x"]})", {"node y", "missing field \"op\""}},
      {R"({"name": "y", "op": "relu"})", {"node y", "missing field \"inputs\""}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "weights": "y", "out_channels": 2, "kernel": 3})",
       {"node y", "missing field \"in_channels\""}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "in_channels": 4, "out_channels": 2, "kernel": 3})",
       {"node y", "missing field \"weights\""}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "weights": "y", "in_channels": 32, "out_channels": 2,
           "kernel": 3})",
       {"node y: in_channels 32 but its input x has 4 channels"}},
      {R"({"name": "y", "op": "batch_norm", "inputs": ["x"], "weights": "y", "channels": 8})",
       {"node y: channels 8 but its input x has 4 channels"}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "weights": "y", "in_channels": 4, "out_channels": 2,
           "kernel": 0})",
       {"node y", "kernel must be >= 1"}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "weights": "y", "in_channels": 4, "out_channels": 2,
           "kernel": 3, "stride": 0})",
       {"node y", "stride must be >= 1"}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "weights": "y", "in_channels": 4, "out_channels": 2,
           "kernel": 3, "padding": -1})",
       {"node y", "padding must be >= 0"}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "weights": "y", "in_channels": 4, "out_channels": 2,
           "kernel": "3"})",
       {"node y", "\"kernel\" must be an integer"}},
      {R"({"name": "y", "op": "conv_transpose2d", "inputs": ["x"], "weights": "y", "in_channels": 4,
           "out_channels": 2, "kernel": 3, "stride": 2, "output_padding": 2})",
       {"node y", "output_padding", "smaller than stride or dilation"}},
      {R"({"name": "y", "op": "conv2d", "inputs": ["x"], "weights": "x", "in_channels": 4, "out_channels": 4,
           "kernel": 3})",
       {"node y", "already used by node x"}},
      {R"({"name": "y", "op": "relu", "inputs": ["category"]})",
       {"node y", "only as an embed's first input"}},
      {R"({"name": "y", "op": "embed", "inputs": ["x", "x"], "weights": "t", "rows": 8, "dim": 3})",
       {"node y", "first input must be \"category\""}},
      {R"({"name": "y", "op": "relu", "inputs": ["x", "x"]})", {"node y", "relu takes 1 input, got 2"}},
      {R"({"name": "y", "op": "relu", "inputs": ["x"], "weights": "y"})", {"node y", "has no weights"}},
  };
  for (const auto& c : cases) {
    const std::string message = error_of(graph_with(c.node));
    for (const auto& part : c.expect) CHECK_MESSAGE(contains(message, part), c.node << "\n -> " << message);
  }
}

TEST_CASE("from_json: whole-file errors") {
  CHECK(contains(error_of("{"), "tiny.json: not valid JSON"));
  CHECK(contains(error_of("[]"), "must be a JSON object"));
  CHECK(contains(error_of(R"({"name": "t", "output": "y"})"), "missing field \"nodes\""));
  CHECK(contains(error_of(R"({"output": "y", "nodes": []})"), "missing field \"name\""));
  const std::string no_output = graph_with(R"({"name": "z", "op": "relu", "inputs": ["x"]})");
  CHECK(contains(error_of(no_output), "output \"y\" is not a node"));
  // The same table at two sizes.
  const std::string tables = R"({"name": "t", "output": "b", "nodes": [
    {"name": "a", "op": "embed", "inputs": ["category", "gray"], "weights": "emb", "rows": 8, "dim": 3},
    {"name": "b", "op": "embed", "inputs": ["category", "gray"], "weights": "emb", "rows": 8, "dim": 4}]})";
  CHECK(contains(error_of(tables), "table emb is 8x3 at node a but 8x4 here"));
}

TEST_CASE("from_json: concat sizes are checked when shapes are inferred") {
  const std::string json = R"({"name": "t", "output": "y", "nodes": [
    {"name": "x", "op": "conv2d", "inputs": ["gray"], "weights": "x", "in_channels": 1, "out_channels": 4,
     "kernel": 3, "stride": 2, "padding": 1},
    {"name": "y", "op": "concat", "inputs": ["x", "gray"]}]})";
  auto graph = Graph::from_json(json, "t.json");
  REQUIRE(graph.ok());
  auto shapes = graph->infer_shapes(1, 8, 8);
  REQUIRE_FALSE(shapes.ok());
  CHECK_MESSAGE(contains(shapes.message(), "node y: concat inputs differ in size: x is 4x4 but gray is 8x8"),
                shapes.message());
}

}  // namespace
}  // namespace convlab
