// The training loop's bookkeeping: seeded epoch orders and flips, and a run
// split by a checkpoint ends exactly where an unbroken run does.
#include "core/train/training_run.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/train/loss_plot.h"

using namespace convlab;
using namespace convlab::train;

namespace {

TrainingData synthetic_data(int images, int side) {
  TrainingData data;
  data.side = side;
  data.L = Tensor({images, 1, side, side});
  data.ab = Tensor({images, 2, side, side});
  for (int64_t i = 0; i < data.L.numel(); ++i) data.L[i] = static_cast<float>((i * 37) % 101);
  for (int64_t i = 0; i < data.ab.numel(); ++i) data.ab[i] = static_cast<float>((i * 13) % 41) - 20.0f;
  for (int i = 0; i < images; ++i) data.categories.push_back(i % 8);
  return data;
}

}  // namespace

TEST_CASE("epoch orders are seeded permutations; flips are about half") {
  const auto a = epoch_order(100, 7, 0), b = epoch_order(100, 7, 0), c = epoch_order(100, 7, 1);
  CHECK(a == b);
  CHECK(a != c);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 100; ++i) CHECK(sorted[static_cast<size_t>(i)] == i);
  int flips = 0;
  for (int i = 0; i < 1000; ++i) flips += flipped(7, 0, i) ? 1 : 0;
  CHECK(flips > 400);
  CHECK(flips < 600);
  CHECK(steps_per_epoch(10, 3) == 3);
}

TEST_CASE("a run interrupted and resumed from its checkpoint equals an unbroken run") {
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  const TrainingData data = synthetic_data(6, 16);
  const TrainingOptions options{2, 2, 1e-3, 5, true};

  Model straight = random_model(graph.value(), 5);
  Adam straight_adam;
  TrainingState straight_state;
  std::vector<float> losses;
  REQUIRE(run_training(
              straight, straight_adam, straight_state, data, options,
              [&](const StepReport& r) {
                losses.push_back(r.loss);
                return true;
              },
              nullptr)
              .ok());
  CHECK(straight_state.epoch == 2);
  CHECK(straight_state.steps == 6);

  // Stop after 4 steps (mid-epoch), save, load, finish.
  Model split = random_model(graph.value(), 5);
  Adam split_adam;
  TrainingState split_state;
  REQUIRE(run_training(
              split, split_adam, split_state, data, options, [](const StepReport& r) { return r.steps < 4; },
              nullptr)
              .ok());
  CHECK(split_state.steps == 4);
  CHECK(split_state.step_in_epoch == 1);
  const auto path = (std::filesystem::temp_directory_path() /
                     ("convlab-ckpt-" + std::to_string(::getpid()) + ".safetensors"))
                        .string();
  REQUIRE(save_checkpoint(path, split, split_adam, split_state, options).ok());
  auto loaded = load_checkpoint(path, graph.value());
  std::filesystem::remove(path);
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.message()));
  CHECK(loaded->state.steps == 4);
  CHECK(loaded->options.seed == 5);
  REQUIRE(
      run_training(loaded->model, loaded->adam, loaded->state, data, loaded->options, nullptr, nullptr).ok());
  for (const auto& [name, tensor] : straight.weights) {
    INFO(name);
    CHECK(loaded->model.weight(name).values() == tensor.values());
  }

  auto other = Graph::builtin("advanced");
  REQUIRE(other.ok());
  REQUIRE(save_checkpoint(path, split, split_adam, split_state, options).ok());
  auto wrong_arch = load_checkpoint(path, other.value());
  std::filesystem::remove(path);
  REQUIRE_FALSE(wrong_arch.ok());
  CHECK(wrong_arch.message().find("--arch") != std::string::npos);
}

TEST_CASE("batch larger than the data is refused; the loss plot has its size") {
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  Model model = random_model(graph.value(), 1);
  Adam adam;
  TrainingState state;
  Status refused = run_training(model, adam, state, synthetic_data(3, 16),
                                TrainingOptions{8, 1, 1e-3, 1, true}, nullptr, nullptr);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("--batch 3") != std::string::npos);
  const RgbImage plot = plot_loss_curve({300, 250, 200, 190, 185}, {3, 5}, 640, 360);
  CHECK(plot.width == 640);
  CHECK(plot.height == 360);
  const RgbImage empty = plot_loss_curve({}, {}, 320, 200);
  CHECK(empty.pixels.size() == 320u * 200u * 3u);
}
