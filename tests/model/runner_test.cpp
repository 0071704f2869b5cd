// The CPU runner against PyTorch (tests/golden/make_model_golden.py): both
// ECNN models, reference and fast paths, with and without keep_all (the
// fused path), plus the input checks and what Activations hold.
#include "core/model/runner.h"

#include <doctest/doctest.h>

#include <string>

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

}  // namespace
}  // namespace convlab
