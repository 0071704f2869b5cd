// The whole-graph trainer: gradients of the full basic model against
// central differences of its loss, the bookkeeping of a step (running
// statistics, num_batches_tracked, Adam's step counts), that training lowers
// the loss, and the errors bad input gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "core/train/loss.h"
#include "core/train/trainer_model.h"
#include "train_test_support.h"

namespace convlab {
namespace {

using testing::random_tensor;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Graph builtin(const std::string& arch) {
  auto graph = Graph::builtin(arch);
  REQUIRE_MESSAGE(graph.ok(), (graph.ok() ? std::string() : graph.message()));
  return std::move(graph).value();
}

struct Batch {
  Tensor gray;
  std::vector<int64_t> categories;
  Tensor target;
};

Batch random_batch(int64_t n, int64_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  Batch b{random_tensor({n, 1, size, size}, rng, 0.0f, 100.0f),
          {},
          random_tensor({n, 2, size, size}, rng, -40.0f, 40.0f)};
  for (int64_t i = 0; i < n; ++i) b.categories.push_back(static_cast<int64_t>(rng() % 8));
  return b;
}

TEST_CASE("trainable parameters are PyTorch's model.parameters()") {
  for (const std::string arch : {"advanced", "basic"}) {
    const Graph graph = builtin(arch);
    const auto names = train::trainable_parameters(graph);
    int64_t total = 0;
    const Model model = random_model(graph, 1);
    for (const auto& name : names) {
      CHECK_FALSE(contains(name, "running_"));
      total += model.weight(name).numel();
    }
    CHECK(total == graph.parameter_count());
  }
  const auto advanced = train::trainable_parameters(builtin("advanced"));
  for (const char* name : {"embd.weight", "conv1.weight", "conv1.bias", "conv1_bn.weight", "conv1_bn.bias",
                           "dilat2.weight", "tconv0.bias", "tconv_out.weight"})
    CHECK(std::find(advanced.begin(), advanced.end(), name) != advanced.end());
}

// A small graph with no ReLU, so its loss is smooth and central differences
// are accurate: one embedding table feeding two injections, concats, a value
// read by two nodes (conv1_bn), a dilated conv with asymmetric padding, a
// batch norm that is not fused (its consumers are not one ReLU), and a
// transposed conv. (ECNN's own gradients are checked against PyTorch in
// train_golden_test.cpp; through its ReLUs a difference quotient crosses
// kinks and is only good to a few percent.)
constexpr const char* kSmoothGraph = R"({
  "name": "smooth", "output": "tconv1", "size_multiple": 2,
  "nodes": [
    {"name": "e0", "op": "embed", "inputs": ["category", "gray"], "weights": "emb", "rows": 4, "dim": 2},
    {"name": "x0", "op": "concat", "inputs": ["gray", "e0"]},
    {"name": "conv1", "op": "conv2d", "inputs": ["x0"], "weights": "conv1", "in_channels": 3, "out_channels": 4,
     "kernel": 3, "stride": 2, "padding": [1, 0, 1, 0], "dilation": 1},
    {"name": "conv1_bn", "op": "batch_norm", "inputs": ["conv1"], "weights": "conv1_bn", "channels": 4},
    {"name": "e1", "op": "embed", "inputs": ["category", "conv1_bn"], "weights": "emb", "rows": 4, "dim": 2},
    {"name": "x1", "op": "concat", "inputs": ["conv1_bn", "e1"]},
    {"name": "conv2", "op": "conv2d", "inputs": ["x1"], "weights": "conv2", "in_channels": 6, "out_channels": 3,
     "kernel": 3, "stride": 1, "padding": [1, 3, 2, 0], "dilation": [2, 1]},
    {"name": "x2", "op": "concat", "inputs": ["conv2", "conv1_bn"]},
    {"name": "tconv1", "op": "conv_transpose2d", "inputs": ["x2"], "weights": "tconv1", "in_channels": 7,
     "out_channels": 2, "kernel": 4, "stride": 2, "padding": 1, "dilation": 1, "output_padding": 0}
  ]
})";

TEST_CASE("whole-graph gradients match central differences on a smooth graph") {
  auto graph = Graph::from_json(kSmoothGraph, "smooth graph");
  REQUIRE_MESSAGE(graph.ok(), (graph.ok() ? "" : graph.message()));
  Model model = random_model(*graph, 9);
  std::mt19937 rng(25);
  const Tensor gray = random_tensor({3, 1, 6, 8}, rng, -1.0f, 1.0f);
  const std::vector<int64_t> categories = {2, 0, 2};  // row 2 twice, rows 1 and 3 unused
  const Tensor target = random_tensor({3, 2, 6, 8}, rng, -1.0f, 1.0f);
  auto step = train::loss_and_gradients(model, gray, categories, target);
  REQUIRE_MESSAGE(step.ok(), (step.ok() ? "" : step.message()));
  // The loss in double from the float prediction; running statistics do
  // not matter in train mode.
  const auto loss = [&] {
    auto forward = train::forward_train(model, gray, categories);
    REQUIRE(forward.ok());
    const Tensor& out = forward->values.at(forward->output);
    double sum = 0.0;
    for (int64_t i = 0; i < out.numel(); ++i) {
      const double d = static_cast<double>(out[i]) - target[i];
      sum += d * d;
    }
    return sum / static_cast<double>(out.numel());
  };
  std::map<std::string, Tensor> numeric;
  float scale = 0.0f;
  for (const auto& name : train::trainable_parameters(model.graph)) {
    numeric[name] = testing::numeric_gradient(model.weights.at(name), 1e-2, loss);
    scale = std::max(scale, max_abs(numeric[name]));
  }
  // Batch norm makes the loss nonlinear: truncation O(h^2) plus rounding,
  // measured <= 6e-5 of the largest gradient. conv1.bias has an exact gradient
  // of 0 (the batch norm removes it), hence the floor at the overall scale.
  for (const auto& name : train::trainable_parameters(model.graph)) {
    const Tensor& ours = step->gradients.at(name);
    const float err = max_abs_difference(ours, numeric[name]);
    CHECK_MESSAGE(err <= 1e-3f * std::max(max_abs(numeric[name]), 0.1f * scale),
                  name << ": max error " << err << ", max |gradient| " << max_abs(numeric[name]));
  }
  for (int64_t row : {1, 3})
    for (int64_t d = 0; d < 2; ++d) CHECK(step->gradients.at("emb.weight")[row * 2 + d] == 0.0f);
}

TEST_CASE("a train step updates running statistics, num_batches_tracked and Adam's step counts") {
  Model model = random_model(builtin("basic"), 4);
  const Model before = model;
  const Batch batch = random_batch(3, 8, 22);
  train::Adam adam;
  auto loss = train::train_step(model, batch.gray, batch.categories, batch.target, adam);
  REQUIRE_MESSAGE(loss.ok(), (loss.ok() ? "" : loss.message()));
  CHECK(model.num_batches_tracked == 1);
  CHECK(max_abs_difference(model.weight("conv1_bn.running_mean"), before.weight("conv1_bn.running_mean")) >
        0.0f);
  CHECK(max_abs_difference(model.weight("tconv1_bn.running_var"), before.weight("tconv1_bn.running_var")) >
        0.0f);
  for (const auto& name : train::trainable_parameters(model.graph)) {
    CHECK(adam.step_count(name) == 1);
    if (name != "embb.weight") CHECK(max_abs_difference(model.weight(name), before.weight(name)) > 0.0f);
  }
  // Only the embedding rows of the batch's categories move.
  const Tensor& table = model.weight("embb.weight");
  for (int64_t row = 0; row < 8; ++row) {
    const bool used =
        std::find(batch.categories.begin(), batch.categories.end(), row) != batch.categories.end();
    bool moved = false;
    for (int64_t d = 0; d < 10; ++d)
      moved |= table[row * 10 + d] != before.weight("embb.weight")[row * 10 + d];
    CHECK_MESSAGE(moved == used, "row " << row);
  }
  // The loss is the model's MSE before the update.
  Model again = before;
  auto forward = train::forward_train(again, batch.gray, batch.categories);
  REQUIRE(forward.ok());
  CHECK(*loss == train::mse_loss(forward->values.at(forward->output), batch.target).value());
}

TEST_CASE("training lowers the loss on a fixed batch") {
  for (const std::string arch : {"basic", "advanced"}) {
    Model model = random_model(builtin(arch), 5);
    const Batch batch = random_batch(4, 16, 23);
    train::Adam adam;
    std::vector<float> losses;
    for (int step = 0; step < 15; ++step) {
      auto loss = train::train_step(model, batch.gray, batch.categories, batch.target, adam);
      REQUIRE(loss.ok());
      losses.push_back(*loss);
    }
    // 15 steps of lr 1e-3 on one batch: a few percent at least (measured 7% for basic).
    CHECK_MESSAGE(losses.back() < 0.97f * losses.front(),
                  arch << ": " << losses.front() << " -> " << losses.back());
    for (size_t i = 1; i < losses.size(); ++i)
      CHECK_MESSAGE(losses[i] < losses[i - 1], arch << " step " << i);
  }
}

TEST_CASE("training errors name what is wrong and change nothing") {
  Model model = random_model(builtin("basic"), 6);
  const Model before = model;
  train::Adam adam;
  const Batch batch = random_batch(2, 8, 24);

  auto target = train::train_step(model, batch.gray, batch.categories, Tensor({2, 2, 8, 4}), adam);
  REQUIRE_FALSE(target.ok());
  CHECK(contains(target.message(), "2x2x8x4"));
  CHECK(contains(target.message(), "2x2x8x8"));

  const std::vector<int64_t> bad_category = {1, 9};
  auto category = train::train_step(model, batch.gray, bad_category, batch.target, adam);
  REQUIRE_FALSE(category.ok());
  CHECK(contains(category.message(), "category 9"));

  auto size = train::train_step(model, Tensor({2, 1, 6, 6}), batch.categories, Tensor({2, 2, 6, 6}), adam);
  REQUIRE_FALSE(size.ok());
  CHECK(contains(size.message(), "multiples of 4"));

  Model missing = model;
  missing.weights.erase("conv2.weight");
  auto weights = train::train_step(missing, batch.gray, batch.categories, batch.target, adam);
  REQUIRE_FALSE(weights.ok());
  CHECK(contains(weights.message(), "conv2.weight"));

  // One 16x16 image leaves 1x1 at advanced's bottleneck: batch norm cannot
  // train on one value, and the layers before it must not have run.
  Model advanced = random_model(builtin("advanced"), 6);
  const Model advanced_before = advanced;
  const Batch single = random_batch(1, 16, 26);
  auto one = train::train_step(advanced, single.gray, single.categories, single.target, adam);
  REQUIRE_FALSE(one.ok());
  CHECK(contains(one.message(), "conv4_bn"));
  CHECK(contains(one.message(), "1x256x1x1"));
  for (const auto& [name, w] : advanced_before.weights) CHECK(advanced.weight(name).values() == w.values());

  CHECK(model.num_batches_tracked == 0);
  for (const auto& [name, w] : before.weights) CHECK(model.weight(name).values() == w.values());
  CHECK(adam.state_tensors().empty());

  auto forward = train::forward_train(model, batch.gray, batch.categories);
  REQUIRE(forward.ok());
  auto grad = train::backward_train(model, *forward, Tensor({1, 2, 8, 8}));
  REQUIRE_FALSE(grad.ok());
  CHECK(contains(grad.message(), "1x2x8x8"));
}

}  // namespace
}  // namespace convlab
