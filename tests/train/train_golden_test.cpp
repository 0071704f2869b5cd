// Two whole training steps against PyTorch (tests/golden/make_train_golden.py):
// the same random_model weights, batches, MSE loss and torch.optim.Adam; the
// losses, the gradients of step 1, and the weights and running statistics
// after each step must agree.
//
// Tolerances, and why:
//  loss: rel 1e-4. Both sum float products in different orders (ours in
//    batched sgemm, PyTorch's in oneDNN); measured ~1e-6.
//  gradients: max|ours - torch| <= 1e-3 * max|torch| per tensor (measured ~1e-5).
//  weights after step 1: Adam's first step moves each weight by
//    lr * g / (|g| + eps), i.e. by +-lr: the update depends on the sign of g
//    only, so weights agree to float rounding (atol 1e-5) wherever the sign
//    of g is certain. It is not where |g| is within the gradient tolerance of
//    0 (|g| < 1e-3 * max|g|): there both sides may move a weight by lr in
//    opposite directions, so those elements are held to 2*lr (+1e-5).
//    That includes whole tensors: the bias of a convolution followed by a
//    training-mode batch norm has an exact gradient of 0 (the batch mean
//    removes it), so both computed values are rounding noise.
//  weights after step 2, continuing from our own step 1: the models already
//    differ in the uncertain elements of step 1 (a few weights by 2*lr), so
//    the step-2 gradients differ by more than rounding, and so do some
//    updates (measured: ~1% of elements, by up to 0.16*lr, around the
//    bottleneck). Checked: every weight within Adam's bound (each step moves
//    a weight by at most ~1.002*lr, so 4.1*lr apart after two), and at least
//    90% of the certain elements within 1e-5; a wrong bias correction or a
//    reset state would miss nearly all of them.
//  weights after step 2 from PyTorch's own step-1 state (basic, whose golden
//    data has all of it: its weights, statistics, and the Adam state rebuilt
//    from its step-1 gradients): atol 1e-5, except where the step-2 first
//    moment m is within 1e-3 * max|m| of 0 (sign uncertain again: 2*lr).
//  running statistics: relative 1e-5 (float conv outputs summed in double).
//    After step 2 (continuing) the running_mean of a batch norm behind a
//    convolution also carries momentum (0.1) times that convolution's
//    uncertain bias: 0.1 * 2*lr.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

#include "core/model/model.h"
#include "core/train/trainer_model.h"
#include "test_support.h"

namespace convlab {
namespace {

constexpr float kLossTolerance = 1e-4f;
constexpr float kGradTolerance = 1e-3f;
constexpr float kWeightAtol = 1e-5f;
constexpr float kStatTolerance = 1e-5f;

struct Golden {
  SafeTensors file;
  int64_t subset = 0;         // values kept per advanced parameter (0: all)
  int64_t subset_stride = 1;  // a prime: kept index k is (k * stride) mod numel
  float lr = 1e-3f;
};

Tensor get(const Golden& g, const std::string& name) { return testing::golden_tensor(g.file, name); }

std::vector<int64_t> get_ints(const Golden& g, const std::string& name) {
  auto ints = g.file.get_ints(name);
  REQUIRE_MESSAGE(ints.ok(), name);
  return std::move(ints).value();
}

// The values the script stored: all, or (k * stride) mod numel for k < subset.
std::vector<float> stored_values(const Golden& g, const Tensor& t) {
  if (g.subset == 0 || t.numel() <= g.subset) return t.values();
  std::vector<float> out;
  for (int64_t k = 0; k < g.subset; ++k) out.push_back(t[(k * g.subset_stride) % t.numel()]);
  return out;
}

// Biases whose exact gradient is 0: a conv's, when a batch norm is its only consumer.
std::set<std::string> biases_before_batch_norm(const Graph& graph) {
  std::set<std::string> names;
  for (const auto& node : graph.nodes()) {
    if (node.op != OpKind::Conv2d && node.op != OpKind::ConvTranspose2d) continue;
    int consumers = 0;
    bool batch_norm = false;
    for (const auto& other : graph.nodes())
      for (const auto& input : other.inputs)
        if (input == node.name) {
          ++consumers;
          batch_norm = other.op == OpKind::BatchNorm2d;
        }
    if (consumers == 1 && batch_norm) names.insert(node.weights + ".bias");
  }
  return names;
}

float max_abs_of(const std::vector<float>& v) {
  float m = 0.0f;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m;
}

// Which stored elements of each parameter have a gradient sign both sides can trust.
using Uncertain = std::map<std::string, std::vector<bool>>;

Uncertain compare_gradients(const Golden& g, const Model& model, const train::TensorMap& grads) {
  Uncertain uncertain;
  const auto zero_grad = biases_before_batch_norm(model.graph);
  for (const auto& name : train::trainable_parameters(model.graph)) {
    INFO("gradient of " << name);
    REQUIRE(grads.count(name));
    const std::vector<float> ours = stored_values(g, grads.at(name));
    const std::vector<float> torch = get(g, "step1.grad." + name).values();
    REQUIRE(ours.size() == torch.size());
    const float scale = max_abs_of(torch);
    std::vector<bool>& flags = uncertain[name];
    float err = 0.0f;
    for (size_t i = 0; i < ours.size(); ++i) {
      err = std::max(err, std::fabs(ours[i] - torch[i]));
      flags.push_back(zero_grad.count(name) || std::fabs(torch[i]) < kGradTolerance * scale);
    }
    if (zero_grad.count(name)) {
      // Both are rounding noise around 0: only check ours is noise too,
      // against the scale of the same layer's weight gradient.
      const std::string weight = name.substr(0, name.size() - 4) + "weight";
      CHECK_MESSAGE(max_abs_of(ours) <= 1e-3f * max_abs(grads.at(weight)), "max " << max_abs_of(ours));
    } else {
      CHECK_MESSAGE(err <= kGradTolerance * scale, "max error " << err << " vs max |grad| " << scale);
    }
  }
  return uncertain;
}

// Counts of the certain elements that agree to kWeightAtol, over all parameters.
struct Agreement {
  size_t close = 0, total = 0;
};

// Every stored element within uncertain_atol (+ kWeightAtol) where flagged,
// and within kWeightAtol elsewhere (or, with `strict` off, only counted).
Agreement compare_weights(const Golden& g, const Model& model, const std::string& step,
                          const Uncertain& uncertain, float uncertain_atol, bool strict) {
  Agreement agreement;
  for (const auto& name : train::trainable_parameters(model.graph)) {
    INFO(step << " " << name);
    const std::vector<float> ours = stored_values(g, model.weight(name));
    const std::vector<float> torch = get(g, step + "." + name).values();
    REQUIRE(ours.size() == torch.size());
    const std::vector<bool>& flags = uncertain.at(name);
    float err = 0.0f, uncertain_err = 0.0f;
    size_t flagged = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
      const float d = std::fabs(ours[i] - torch[i]);
      if (flags[i]) {
        uncertain_err = std::max(uncertain_err, d);
        ++flagged;
      } else {
        err = std::max(err, d);
        ++agreement.total;
        if (d <= kWeightAtol) ++agreement.close;
      }
    }
    if (strict) CHECK_MESSAGE(err <= kWeightAtol, "max error " << err);
    CHECK_MESSAGE(
        std::max(err, uncertain_err) <= uncertain_atol + kWeightAtol,
        "max error " << std::max(err, uncertain_err) << " (" << flagged << " elements of uncertain sign)");
  }
  return agreement;
}

void compare_running_stats(const Golden& g, const Model& model, const std::string& step, float mean_atol) {
  for (const auto& node : model.graph.nodes()) {
    if (node.op != OpKind::BatchNorm2d) continue;
    for (const char* field : {".running_mean", ".running_var"}) {
      const std::string name = node.weights + field;
      INFO(step << " " << name);
      const Tensor& ours = model.weight(name);
      const Tensor torch = get(g, step + "." + name);
      REQUIRE(ours.shape() == torch.shape());
      const float atol = std::string(field) == ".running_mean" ? mean_atol : 0.0f;
      for (int64_t i = 0; i < ours.numel(); ++i)
        CHECK_MESSAGE(
            std::fabs(ours[i] - torch[i]) <= atol + kStatTolerance * std::max(1.0f, std::fabs(torch[i])),
            "channel " << i << ": " << ours[i] << " vs " << torch[i]);
    }
  }
}

void check_loss(float ours, const Golden& g, const std::string& step) {
  const float torch = get(g, step + ".loss")[0];
  CHECK_MESSAGE(std::fabs(ours - torch) <= kLossTolerance * std::fabs(torch),
                step << " loss " << ours << " vs " << torch);
}

Model start_model(const Golden& g, const std::string& arch) {
  auto graph = Graph::builtin(arch);
  REQUIRE(graph.ok());
  return random_model(*graph, std::stoull(g.file.metadata().at("seed")));
}

Golden load(const std::string& arch) {
  Golden g{testing::load_golden("train_step_" + arch + ".safetensors")};
  g.subset = std::stoll(g.file.metadata().at("subset"));
  g.subset_stride = std::stoll(g.file.metadata().at("subset_stride"));
  g.lr = std::stof(g.file.metadata().at("lr"));
  return g;
}

void run_golden(const std::string& arch) {
  INFO("arch " << arch);
  const Golden g = load(arch);
  Model model = start_model(g, arch);
  train::Adam adam;

  // Step 1, in parts so the gradients can be compared.
  const auto cat0 = get_ints(g, "batch0.category");
  auto step1 = train::loss_and_gradients(model, get(g, "batch0.gray"), cat0, get(g, "batch0.target"));
  REQUIRE_MESSAGE(step1.ok(), (step1.ok() ? "" : step1.message()));
  check_loss(step1->loss, g, "step1");
  const Uncertain uncertain = compare_gradients(g, model, step1->gradients);
  REQUIRE(adam.step(model.weights, step1->gradients).ok());
  compare_weights(g, model, "step1", uncertain, 2.0f * g.lr, true);
  compare_running_stats(g, model, "step1", 0.0f);
  CHECK(model.num_batches_tracked == get_ints(g, "step1.num_batches_tracked").at(0));

  // Step 2, the whole train_step, continuing from our own step 1.
  const auto cat1 = get_ints(g, "batch1.category");
  auto loss2 = train::train_step(model, get(g, "batch1.gray"), cat1, get(g, "batch1.target"), adam);
  REQUIRE_MESSAGE(loss2.ok(), (loss2.ok() ? "" : loss2.message()));
  check_loss(*loss2, g, "step2");
  const Agreement agreement = compare_weights(g, model, "step2", uncertain, 4.1f * g.lr, false);
  CHECK_MESSAGE(agreement.close >= agreement.total * 9 / 10,
                agreement.close << " of " << agreement.total << " certain elements agree to " << kWeightAtol);
  compare_running_stats(g, model, "step2", 0.1f * 2.0f * g.lr);
  CHECK(model.num_batches_tracked == get_ints(g, "step2.num_batches_tracked").at(0));
  for (const auto& name : train::trainable_parameters(model.graph)) CHECK(adam.step_count(name) == 2);
}

// Step 2 from exactly PyTorch's state after step 1 (needs every value: basic).
void run_step2_from_pytorch_state(const std::string& arch) {
  INFO("arch " << arch << ", step 2 from PyTorch's step-1 state");
  const Golden g = load(arch);
  REQUIRE(g.subset == 0);
  Model model = start_model(g, arch);
  // Adam's state after one step from zeros, in its float operations:
  // m = (1 - beta1) * g, v = ((1 - beta2) * g) * g.
  const train::AdamOptions defaults;
  const auto one_minus_beta1 = static_cast<float>(1.0 - defaults.beta1);
  const auto one_minus_beta2 = static_cast<float>(1.0 - defaults.beta2);
  train::TensorMap state;
  for (const auto& name : train::trainable_parameters(model.graph)) {
    Tensor& w = model.weights.at(name);
    w = get(g, "step1." + name).reshaped(w.shape()).value();
    const Tensor grad = get(g, "step1.grad." + name).reshaped(w.shape()).value();
    Tensor m(w.shape()), v(w.shape());
    for (int64_t i = 0; i < w.numel(); ++i) {
      m[i] = one_minus_beta1 * grad[i];
      v[i] = one_minus_beta2 * grad[i] * grad[i];
    }
    state[name + ".exp_avg"] = m;
    state[name + ".exp_avg_sq"] = v;
    state[name + ".step"] = Tensor(Shape{}, 1.0f);
  }
  for (const auto& node : model.graph.nodes())
    if (node.op == OpKind::BatchNorm2d)
      for (const char* field : {".running_mean", ".running_var"})
        model.weights.at(node.weights + field) = get(g, "step1." + node.weights + field);
  model.num_batches_tracked = 1;
  train::Adam adam;
  REQUIRE(adam.load_state_tensors(state).ok());

  const auto cat1 = get_ints(g, "batch1.category");
  auto loss2 = train::train_step(model, get(g, "batch1.gray"), cat1, get(g, "batch1.target"), adam);
  REQUIRE_MESSAGE(loss2.ok(), (loss2.ok() ? "" : loss2.message()));
  check_loss(*loss2, g, "step2");
  // Sign-uncertain at step 2: a first moment near 0 (and the biases whose gradient is exactly 0).
  const auto zero_grad = biases_before_batch_norm(model.graph);
  const train::TensorMap after = adam.state_tensors();
  Uncertain uncertain;
  for (const auto& name : train::trainable_parameters(model.graph)) {
    const Tensor& m = after.at(name + ".exp_avg");
    const float scale = max_abs(m);
    for (int64_t i = 0; i < m.numel(); ++i)
      uncertain[name].push_back(zero_grad.count(name) || std::fabs(m[i]) < kGradTolerance * scale);
  }
  compare_weights(g, model, "step2", uncertain, 2.0f * g.lr, true);
  compare_running_stats(g, model, "step2", 0.0f);
  CHECK(model.num_batches_tracked == 2);
}

TEST_CASE("two training steps match PyTorch: basic (2x32x32), every parameter") {
  run_golden("basic");
  run_step2_from_pytorch_state("basic");
}

TEST_CASE("two training steps match PyTorch: advanced (4x64x64), a fixed subset of every parameter") {
  run_golden("advanced");
}

}  // namespace
}  // namespace convlab
