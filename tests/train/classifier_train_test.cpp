// Training the classifier against PyTorch (tests/golden/make_classifier_golden.py):
// the same weights and batches, F.cross_entropy and torch.optim.Adam. The
// logits, loss and every step-1 gradient must agree (max pool's choice,
// flatten, the linear layer and the softmax cross-entropy included), and the
// weights after two Adam steps.
//
// Tolerances: logits and loss relative 1e-5 (float sums in other orders;
// measured ~1e-7); gradients 1e-4 of each tensor's largest (the script
// checked float32 against float64 to that); weights after two steps: Adam
// moves a weight by about lr per step whatever the gradient's size, so where
// a gradient is within rounding of 0 its sign, and the move, may differ:
// every weight within 2 steps of 2 lr, and at least 95% within 1e-5.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/model/classifier.h"
#include "core/train/classifier_ops.h"
#include "core/train/trainer_model.h"
#include "test_support.h"

namespace convlab {
namespace {

SafeTensors golden() {
  auto file = read_safetensors(std::string(CONVLAB_GOLDEN_DIR) + "/train_step_tinyvgg.safetensors");
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.message()));
  return std::move(file).value();
}

std::vector<int64_t> ints(const SafeTensors& file, const std::string& name) {
  auto v = file.get_ints(name);
  REQUIRE_MESSAGE(v.ok(), name);
  return std::move(v).value();
}

Model golden_start(const SafeTensors& file) {
  auto graph = tiny_vgg_graph({3, 4, 5, 16});
  REQUIRE(graph.ok());
  Model model = tiny_vgg_initial_model(*graph, 1);
  for (auto& [name, tensor] : model.weights) tensor = testing::golden_tensor(file, "init." + name);
  return model;
}

TEST_CASE("classifier training: logits, loss and gradients match PyTorch") {
  const SafeTensors file = golden();
  Model model = golden_start(file);
  const Tensor image = testing::golden_tensor(file, "batch0.image");
  const auto labels = ints(file, "batch0.label");

  auto forward = train::forward_train(model, "image", image);
  REQUIRE(forward.ok());
  const Tensor& logits = forward->values.at("fc");
  const Tensor want_logits = testing::golden_tensor(file, "step1.logits");
  REQUIRE(logits.shape() == want_logits.shape());
  for (int64_t i = 0; i < logits.numel(); ++i)
    CHECK(logits[i] == doctest::Approx(want_logits[i]).epsilon(1e-5).scale(max_abs(want_logits)));

  auto step = train::classifier_loss_and_gradients(model, image, labels);
  REQUIRE(step.ok());
  CHECK(step->loss == doctest::Approx(testing::golden_tensor(file, "step1.loss")[0]).epsilon(1e-5));
  const auto params = train::trainable_parameters(model.graph);
  CHECK(params.size() == 10);  // 4 convolutions and the linear layer, weight and bias each
  for (const std::string& name : params) {
    CAPTURE(name);
    REQUIRE(step->gradients.count(name) == 1);
    const Tensor& got = step->gradients.at(name);
    const Tensor want = testing::golden_tensor(file, "step1.grad." + name);
    REQUIRE(got.shape() == want.shape());
    const float tolerance = 1e-4f * max_abs(want);
    float worst = 0.0f;
    for (int64_t i = 0; i < got.numel(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]));
    CHECK(worst <= tolerance);
  }
}

TEST_CASE("classifier training: two Adam steps land where PyTorch's do") {
  const SafeTensors file = golden();
  Model model = golden_start(file);
  train::Adam adam;
  for (int b = 0; b < 2; ++b) {
    const std::string batch = "batch" + std::to_string(b);
    auto loss = train::classifier_train_step(model, testing::golden_tensor(file, batch + ".image"),
                                             ints(file, batch + ".label"), adam);
    REQUIRE(loss.ok());
    CHECK(*loss == doctest::Approx(testing::golden_tensor(file, "step" + std::to_string(b + 1) + ".loss")[0])
                       .epsilon(1e-5));
  }
  int64_t close = 0, total = 0;
  for (const auto& [name, got] : model.weights) {
    CAPTURE(name);
    const Tensor want = testing::golden_tensor(file, "step2." + name);
    for (int64_t i = 0; i < got.numel(); ++i) {
      const float d = std::abs(got[i] - want[i]);
      CHECK(d <= 4.1e-3f);
      close += d <= 1e-5f ? 1 : 0;
      ++total;
    }
  }
  CHECK(static_cast<double>(close) >= 0.95 * static_cast<double>(total));
}

TEST_CASE("max pool backward: each window's gradient goes to the input it picked") {
  Tensor x({1, 1, 2, 4});
  const float values[] = {1, 5, 2, 2, 3, 4, 7, 2};  // windows {1,5,3,4} and {2,2,7,2}
  for (int i = 0; i < 8; ++i) x[i] = values[i];
  PoolOptions pool;
  pool.params.window.stride_h = pool.params.window.stride_w = 2;
  auto y = train::max_pool2d_train(x, pool);
  REQUIRE(y.ok());
  CHECK(y->output[0] == 5.0f);
  CHECK(y->output[1] == 7.0f);
  Tensor dy({1, 1, 1, 2});
  dy[0] = 10.0f;
  dy[1] = -3.0f;
  auto dx = train::max_pool2d_backward(x.shape(), y->argmax, dy);
  REQUIRE(dx.ok());
  const float want[] = {0, 10, 0, 0, 0, 0, -3, 0};
  for (int i = 0; i < 8; ++i) CHECK((*dx)[i] == want[i]);
}

TEST_CASE("softmax cross-entropy refuses labels out of range and mismatched rows") {
  Tensor logits({2, 3});
  const int64_t bad[] = {0, 3};
  auto loss = train::softmax_cross_entropy(logits, bad);
  REQUIRE_FALSE(loss.ok());
  CHECK(loss.message().find("label 3") != std::string::npos);
  CHECK(loss.message().find("0 to 2") != std::string::npos);
  const int64_t one[] = {1};
  CHECK_FALSE(train::softmax_cross_entropy(logits, one).ok());
  // Equal logits: the loss is log K.
  const int64_t fine[] = {0, 2};
  auto uniform = train::softmax_cross_entropy(logits, fine);
  REQUIRE(uniform.ok());
  CHECK(*uniform == doctest::Approx(std::log(3.0f)));
}

}  // namespace
}  // namespace convlab
