// Training speed, skipped in normal runs. Run it with
//   build/tests/train_tests -tc='bench*' --no-skip
// and optionally CONVLAB_BENCH="arch N size steps" (default "advanced 32 128 5").
// After 3 untimed steps, prints the median time of one train_step and its
// forward / backward / Adam parts, and images per second; compare with PyTorch on the same
// machine (torch.set_num_threads to the same thread count).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>

#include "core/base/allocator.h"
#include "core/fast/fast_ops.h"
#include "core/train/loss.h"
#include "core/train/trainer_model.h"
#include "train_test_support.h"

namespace convlab {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST_CASE("bench: train_step speed" * doctest::skip()) {
  std::string arch = "advanced";
  int64_t n = 32, size = 128;
  int steps = 5;
  if (const char* env = std::getenv("CONVLAB_BENCH")) std::istringstream(env) >> arch >> n >> size >> steps;
  keep_freed_memory_for_reuse();
  auto graph = Graph::builtin(arch);
  REQUIRE(graph.ok());
  Model model = random_model(*graph, 7);
  std::mt19937 rng(1);
  const Tensor gray = testing::random_tensor({n, 1, size, size}, rng, 0.0f, 100.0f);
  const Tensor target = testing::random_tensor({n, 2, size, size}, rng, -40.0f, 40.0f);
  std::vector<int64_t> categories;
  for (int64_t i = 0; i < n; ++i) categories.push_back(i % 8);
  train::Adam adam;
  std::vector<double> total, forward, backward, update;
  constexpr int kWarmUp = 3;  // not timed: first-touch page faults, scratch buffers
  for (int step = 0; step < kWarmUp + steps; ++step) {
    const auto t0 = std::chrono::steady_clock::now();
    auto fwd = train::forward_train(model, gray, categories);
    REQUIRE(fwd.ok());
    const Tensor& out = fwd->values.at(fwd->output);
    const float loss = train::mse_loss(out, target).value();
    const double t_forward = seconds_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    auto grads = train::backward_train(model, *fwd, train::mse_loss_backward(out, target).value());
    REQUIRE(grads.ok());
    const double t_backward = seconds_since(t1);
    const auto t2 = std::chrono::steady_clock::now();
    REQUIRE(adam.step(model.weights, *grads).ok());
    const double t_update = seconds_since(t2);
    const double t_total = seconds_since(t0);
    std::printf("step %d: %.1f ms (forward %.1f, backward %.1f, adam %.1f), loss %.3f\n", step, t_total * 1e3,
                t_forward * 1e3, t_backward * 1e3, t_update * 1e3, loss);
    if (step < kWarmUp) continue;
    total.push_back(t_total);
    forward.push_back(t_forward);
    backward.push_back(t_backward);
    update.push_back(t_update);
  }
  const double med = median(total);
  std::printf(
      "convlab %s threads=%d N=%lld %lldx%lld: median %.1f ms/step (forward %.1f, backward %.1f, adam %.1f), "
      "%.1f img/s\n",
      arch.c_str(), fast::threads(), static_cast<long long>(n), static_cast<long long>(size),
      static_cast<long long>(size), med * 1e3, median(forward) * 1e3, median(backward) * 1e3,
      median(update) * 1e3, static_cast<double>(n) / med);
}

}  // namespace
}  // namespace convlab
