// The CPU runner against PyTorch (tests/golden/make_model_golden.py): both
// ECNN models, reference and fast paths, with and without keep_all (the
// fused path), plus the input checks and what Activations hold.
#include "core/model/runner.h"

#include <doctest/doctest.h>

#include <string>

#include "core/model/plan.h"
#include "test_support.h"

namespace convlab {
namespace {

constexpr float kTolerance = 1e-4f;

Graph builtin(const std::string& arch) {
  auto graph = Graph::builtin(arch);
  REQUIRE_MESSAGE(graph.ok(), (graph.ok() ? std::string() : graph.message()));
  return std::move(graph).value();
}

std::vector<int64_t> golden_ints(const SafeTensors& file, const std::string& name) {
  auto ints = file.get_ints(name);
  REQUIRE_MESSAGE(ints.ok(), name);
  return std::move(ints).value();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* path_name(CpuPath path) { return path == CpuPath::Fast ? "fast" : "reference"; }

TEST_CASE("run_model_cpu matches PyTorch on both models, both paths") {
  for (const std::string arch : {"advanced", "basic"}) {
    const auto golden = testing::load_golden("model_" + arch + ".safetensors");
    const Model model = random_model(builtin(arch), std::stoull(golden.metadata().at("seed")));
    const int cases = std::stoi(golden.metadata().at("cases"));
    for (int k = 0; k < cases; ++k) {
      const std::string prefix = "case" + std::to_string(k) + ".";
      const Tensor gray = testing::golden_tensor(golden, prefix + "gray");
      const auto category = golden_ints(golden, prefix + "category");
      const Tensor ab = testing::golden_tensor(golden, prefix + "ab");
      for (CpuPath path : {CpuPath::Reference, CpuPath::Fast}) {
        for (bool keep_all : {true, false}) {
          const std::string what = arch + " " + prefix + " gray " + shape_to_string(gray.shape()) + " path " +
                                   path_name(path) + (keep_all ? " keep_all" : " lean");
          auto acts = run_model_cpu(model, gray, category, path, keep_all);
          REQUIRE_MESSAGE(acts.ok(), what << ": " << (acts.ok() ? std::string() : acts.message()));
          testing::check_close(acts->output(model.graph), ab, kTolerance, what);
        }
      }
    }
  }
}

TEST_CASE("keep_all: every node has its own value, in graph order, on both paths") {
  const Model model = random_model(builtin("advanced"), 5);
  Tensor gray({1, 1, 32, 16}, 50.0f);
  for (int64_t i = 0; i < gray.numel(); ++i) gray[i] = static_cast<float>(i % 97);
  const std::vector<int64_t> category = {6};
  auto ref = run_model_cpu(model, gray, category, CpuPath::Reference, true);
  auto fast = run_model_cpu(model, gray, category, CpuPath::Fast, true);
  REQUIRE(ref.ok());
  REQUIRE(fast.ok());
  REQUIRE(ref->order.size() == model.graph.nodes().size());
  CHECK(fast->order == ref->order);
  auto shapes = model.graph.infer_shapes(1, 32, 16);
  REQUIRE(shapes.ok());
  for (size_t i = 0; i < ref->order.size(); ++i) {
    const std::string& name = ref->order[i];
    CHECK(name == model.graph.nodes()[i].name);
    CHECK(ref->values.at(name).shape() == shapes->at(name));
    testing::check_close(fast->values.at(name), ref->values.at(name), kTolerance, "node " + name);
  }
  // The pre-batch-norm conv output is its own tensor, not the fused result.
  CHECK(max_abs_difference(ref->values.at("conv1"), ref->values.at("conv1_bn")) > 0.0f);
}

TEST_CASE("lean run: only the output is kept") {
  const Model model = random_model(builtin("advanced"), 5);
  const Tensor gray({2, 1, 16, 32}, 40.0f);
  const std::vector<int64_t> category = {1, 2};
  for (CpuPath path : {CpuPath::Reference, CpuPath::Fast}) {
    auto acts = run_model_cpu(model, gray, category, path, false);
    REQUIRE(acts.ok());
    CHECK(acts->order == std::vector<std::string>{"out"});
    CHECK(acts->values.size() == 1);
    CHECK(acts->output(model.graph).shape() == Shape{2, 2, 16, 32});
  }
}

TEST_CASE("run_model_cpu: bad inputs give messages") {
  const Model model = random_model(builtin("advanced"), 5);
  const std::vector<int64_t> one = {0};
  for (CpuPath path : {CpuPath::Reference, CpuPath::Fast}) {
    INFO(path_name(path));
    auto rank = run_model_cpu(model, Tensor({1, 16, 16}), one, path);
    REQUIRE_FALSE(rank.ok());
    CHECK(contains(rank.message(), "(N, 1, H, W)"));
    auto channels = run_model_cpu(model, Tensor({1, 3, 16, 16}), one, path);
    REQUIRE_FALSE(channels.ok());
    CHECK(contains(channels.message(), "1x3x16x16"));
    auto count = run_model_cpu(model, Tensor({2, 1, 16, 16}), one, path);
    REQUIRE_FALSE(count.ok());
    CHECK(contains(count.message(), "one category per image"));
    const std::vector<int64_t> eight = {8};
    auto range = run_model_cpu(model, Tensor({1, 1, 16, 16}), eight, path);
    REQUIRE_FALSE(range.ok());
    CHECK(contains(range.message(), "valid are 0 to 7"));
    auto size = run_model_cpu(model, Tensor({1, 1, 24, 16}), one, path);
    REQUIRE_FALSE(size.ok());
    CHECK(contains(size.message(), "multiples of 16"));
  }
  Model partial = model;
  partial.weights.erase("dilat2.bias");
  auto missing = run_model_cpu(partial, Tensor({1, 1, 16, 16}), one);
  REQUIRE_FALSE(missing.ok());
  CHECK(contains(missing.message(), "dilat2.bias"));
}

// A depthwise conv (channel multiplier 2) + batch norm + ReLU into a concat
// with a 2-group 1x1 conv, then a grouped transposed conv: the fast path
// fuses the grouped convs as any other and matches the reference.
Graph grouped_graph() {
  Graph::Parts parts;
  parts.name = "grouped";
  parts.inputs = {{"x", {-1, 4, -1, -1}}};
  GraphNode dw;
  dw.name = dw.weights = "dw";
  dw.op = OpKind::Conv2d;
  dw.inputs = {"x"};
  dw.in_channels = 4, dw.out_channels = 8, dw.kernel = 3;
  dw.conv = Conv2dParams{1, 1, {1, 1, 1, 1}, 1, 1, 4};
  GraphNode bn;
  bn.name = bn.weights = "dw_bn";
  bn.op = OpKind::BatchNorm2d;
  bn.inputs = {"dw"};
  bn.channels = 8;
  GraphNode relu;
  relu.name = "dw_relu";
  relu.op = OpKind::Relu;
  relu.inputs = {"dw_bn"};
  GraphNode pointwise;
  pointwise.name = pointwise.weights = "pw";
  pointwise.op = OpKind::Conv2d;
  pointwise.inputs = {"x"};
  pointwise.in_channels = 4, pointwise.out_channels = 6, pointwise.kernel = 1;
  pointwise.conv.groups = 2;
  GraphNode concat;
  concat.name = "cat";
  concat.op = OpKind::Concat;
  concat.inputs = {"dw_relu", "pw"};
  GraphNode up;
  up.name = up.weights = "up";
  up.op = OpKind::ConvTranspose2d;
  up.inputs = {"cat"};
  up.in_channels = 14, up.out_channels = 7, up.kernel = 2;
  up.tconv = ConvTranspose2dParams{2, 2, 0, 0, 0, 0, 1, 1, 7};
  parts.nodes = {dw, bn, relu, pointwise, concat, up};
  parts.outputs = {"up"};
  auto graph = Graph::assemble(std::move(parts), "grouped test graph");
  REQUIRE_MESSAGE(graph.ok(), (graph.ok() ? std::string() : graph.message()));
  return std::move(graph).value();
}

TEST_CASE("grouped convs run on the fast path, fused with batch norm, ReLU and concat") {
  const Model model = random_model(grouped_graph(), 9);
  Tensor x({2, 4, 9, 11});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = static_cast<float>((i * 37) % 101) / 50.0f - 1.0f;
  auto shapes = model.graph.infer_shapes({{"x", x.shape()}});
  REQUIRE_MESSAGE(shapes.ok(), (shapes.ok() ? std::string() : shapes.message()));
  CHECK(shapes->at("up") == Shape{2, 7, 18, 22});

  // The plan folds the depthwise conv's batch norm and ReLU and writes it into the concat.
  const auto steps = plan_steps(model.graph, *shapes, true);
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].node->name == "dw");
  CHECK(steps[0].bn != nullptr);
  CHECK(steps[0].relu);
  CHECK(steps[0].slot == "cat");
  CHECK(steps[1].slot == "cat");
  CHECK(steps[1].slot_offset == 8);

  auto ref = run_graph_cpu(model, {{"x", x}}, CpuPath::Reference, true);
  REQUIRE_MESSAGE(ref.ok(), (ref.ok() ? std::string() : ref.message()));
  for (bool keep_all : {true, false}) {
    auto fast = run_graph_cpu(model, {{"x", x}}, CpuPath::Fast, keep_all);
    REQUIRE_MESSAGE(fast.ok(), (fast.ok() ? std::string() : fast.message()));
    testing::check_close(fast->values.at("up"), ref->values.at("up"), kTolerance,
                         keep_all ? "fast keep_all" : "fast fused");
  }
}

}  // namespace
}  // namespace convlab
