// Adam against torch.optim.Adam on a hand-sized example (the expected
// numbers were printed by PyTorch 1.13 with the same parameters and
// gradients), its state round trip, and the errors it gives.
#include "core/train/adam.h"

#include <doctest/doctest.h>

#include <string>

#include "core/train/loss.h"

namespace convlab {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Tensor vec(std::vector<float> values) {
  const auto size = static_cast<int64_t>(values.size());
  return Tensor::from_data({size}, std::move(values)).value();
}

// One float ulp at these magnitudes is ~1e-7; PyTorch's kernels may fuse a
// multiply-add we do not, so allow a few.
void check_values(const Tensor& actual, const std::vector<double>& expected, const std::string& what) {
  INFO(what);
  REQUIRE(actual.numel() == static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i)
    CHECK_MESSAGE(actual[static_cast<int64_t>(i)] == doctest::Approx(expected[i]).epsilon(1e-6),
                  "index " << i);
}

TEST_CASE("Adam: two steps with PyTorch's defaults match torch.optim.Adam") {
  // import torch; p = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5, 3.0])); opt = torch.optim.Adam([p])
  // then p.grad = g; opt.step() for g = [0.1, -0.2, 0.0, 1e-9] and g = [0.3, 0.1, -0.5, -2.0].
  train::TensorMap params{{"w", vec({1.0f, -2.0f, 0.5f, 3.0f})}};
  train::Adam adam;
  CHECK(adam.options().lr == 1e-3);
  CHECK(adam.step_count("w") == 0);
  REQUIRE(adam.step(params, {{"w", vec({0.1f, -0.2f, 0.0f, 1e-9f})}}).ok());
  // First step: m_hat / sqrt(v_hat) = g / |g|, so each weight moves by lr
  // against its gradient; a zero gradient leaves it; a gradient of 1e-9 is
  // damped by eps = 1e-8 to lr * 1e-9 / (1e-9 + 1e-8).
  check_values(params.at("w"), {0.9990000128746033, -1.9989999532699585, 0.5, 2.9999091625213623}, "step 1");
  CHECK(adam.step_count("w") == 1);
  REQUIRE(adam.step(params, {{"w", vec({0.3f, 0.1f, -0.5f, -2.0f})}}).ok());
  check_values(params.at("w"),
               {0.9980822205543518, -1.998733639717102, 0.5007441639900208, 3.0006532669067383}, "step 2");
  const train::TensorMap state = adam.state_tensors();
  check_values(state.at("w.exp_avg"),
               {0.039000000804662704, -0.00800000037997961, -0.05000000074505806, -0.20000000298023224},
               "exp_avg");
  check_values(state.at("w.exp_avg_sq"),
               {9.999000758398324e-05, 4.996000279788859e-05, 0.0002500000118743628, 0.004000000189989805},
               "exp_avg_sq");
  CHECK(state.at("w.step").shape().empty());
  CHECK(state.at("w.step")[0] == 2.0f);
}

TEST_CASE("Adam: lr, betas, eps and weight decay as torch.optim.Adam") {
  // torch.optim.Adam([q], lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), q = [1, -2],
  // gradients [0.5, 0.25] then [-0.5, 1.0].
  train::TensorMap params{{"q", vec({1.0f, -2.0f})}};
  train::Adam adam({0.01, 0.8, 0.99, 1e-6, 0.1});
  REQUIRE(adam.step(params, {{"q", vec({0.5f, 0.25f})}}).ok());
  check_values(params.at("q"), {0.9900000095367432, -2.0099997520446777}, "step 1");
  REQUIRE(adam.step(params, {{"q", vec({-0.5f, 1.0f})}}).ok());
  check_values(params.at("q"), {0.9891391396522522, -2.0182132720947266}, "step 2");
}

TEST_CASE("Adam: parameters without a gradient keep their value and step count") {
  train::TensorMap params{{"a", vec({1.0f})}, {"b", vec({2.0f})}};
  train::Adam adam;
  REQUIRE(adam.step(params, {{"a", vec({1.0f})}}).ok());
  REQUIRE(adam.step(params, {{"a", vec({1.0f})}, {"b", vec({-1.0f})}}).ok());
  CHECK(adam.step_count("a") == 2);
  CHECK(adam.step_count("b") == 1);
  CHECK(params.at("b")[0] == doctest::Approx(2.001).epsilon(1e-6));
}

TEST_CASE("Adam: the state survives a round trip and the next step is the same") {
  train::TensorMap start{{"w", vec({0.5f, -0.25f, 2.0f})}, {"v", vec({1.0f})}};
  const train::TensorMap g1{{"w", vec({0.3f, -0.1f, 0.2f})}, {"v", vec({4.0f})}};
  const train::TensorMap g2{{"w", vec({-0.2f, 0.4f, 0.1f})}, {"v", vec({-1.0f})}};
  train::TensorMap a = start, b = start;
  train::Adam first;
  REQUIRE(first.step(a, g1).ok());
  b = a;
  train::Adam resumed;
  REQUIRE(resumed.load_state_tensors(first.state_tensors()).ok());
  CHECK(resumed.step_count("w") == 1);
  REQUIRE(first.step(a, g2).ok());
  REQUIRE(resumed.step(b, g2).ok());
  CHECK(a.at("w").values() == b.at("w").values());
  CHECK(a.at("v").values() == b.at("v").values());
}

TEST_CASE("Adam: errors name the tensor and leave everything unchanged") {
  train::TensorMap params{{"w", vec({1.0f, 2.0f})}};
  train::Adam adam;
  auto unknown = adam.step(params, {{"x", vec({1.0f})}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(contains(unknown.message(), "x"));
  auto misshaped = adam.step(params, {{"w", vec({1.0f, 2.0f, 3.0f})}});
  REQUIRE_FALSE(misshaped.ok());
  CHECK(contains(misshaped.message(), "w"));
  CHECK(params.at("w")[0] == 1.0f);
  CHECK(adam.step_count("w") == 0);

  train::Adam bad_lr({-1.0});
  auto lr = bad_lr.step(params, {{"w", vec({1.0f, 1.0f})}});
  REQUIRE_FALSE(lr.ok());
  CHECK(contains(lr.message(), "lr"));

  // State maps with a missing piece, a bad step, or a stray tensor.
  REQUIRE(adam.step(params, {{"w", vec({1.0f, 1.0f})}}).ok());
  train::TensorMap state = adam.state_tensors();
  train::TensorMap missing = state;
  missing.erase("w.exp_avg_sq");
  auto m = adam.load_state_tensors(missing);
  REQUIRE_FALSE(m.ok());
  CHECK(contains(m.message(), "w.exp_avg_sq"));
  train::TensorMap fractional = state;
  fractional["w.step"] = Tensor(Shape{}, 1.5f);
  CHECK_FALSE(adam.load_state_tensors(fractional).ok());
  train::TensorMap stray = state;
  stray["v.exp_avg"] = vec({0.0f});
  auto s = adam.load_state_tensors(stray);
  REQUIRE_FALSE(s.ok());
  CHECK(contains(s.message(), "v.exp_avg"));
  CHECK(adam.step_count("w") == 1);  // untouched by the failed loads

  // A state whose shape no longer fits the parameter.
  train::TensorMap other{{"w", vec({1.0f, 2.0f, 3.0f})}};
  auto shape = adam.step(other, {{"w", vec({1.0f, 1.0f, 1.0f})}});
  REQUIRE_FALSE(shape.ok());
  CHECK(contains(shape.message(), "state of w"));
}

TEST_CASE("mse loss: errors name both shapes") {
  auto loss = train::mse_loss(Tensor({1, 2, 4, 4}), Tensor({1, 2, 4, 5}));
  REQUIRE_FALSE(loss.ok());
  CHECK(contains(loss.message(), "1x2x4x4"));
  CHECK(contains(loss.message(), "1x2x4x5"));
  CHECK_FALSE(train::mse_loss_backward(Tensor({2}), Tensor({3})).ok());
}

}  // namespace
}  // namespace convlab
