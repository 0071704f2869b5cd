// The training loop's bookkeeping: seeded epoch orders and flips, and a run
// split by a checkpoint ends exactly where an unbroken run does.
#include "core/train/training_run.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/io/safetensors.h"
#include "core/model/evaluate.h"
#include "core/model/runner.h"
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

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".safetensors"))
      .string();
}

bool same_weights(const Model& a, const Model& b) {
  if (a.weights.size() != b.weights.size()) return false;
  for (const auto& [name, tensor] : a.weights)
    if (b.weight(name).values() != tensor.values()) return false;
  return true;
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
  CHECK(straight_state.best_epoch == 0);  // no validation sets: nothing scored
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

TEST_CASE("scale crops are seeded and in range; factor 1 copies, factor 2 enlarges a ramp") {
  const ScaleCrop off = scale_crop(3, 0, 5, 1.0, 32);
  CHECK(off.factor == 1.0);
  CHECK(off.x == 0.0);
  CHECK(off.y == 0.0);
  double smallest = 9, largest = 0;
  for (int i = 0; i < 300; ++i) {
    const ScaleCrop c = scale_crop(3, 1, i, 2.0, 32);
    REQUIRE(c.factor >= 1.0);
    REQUIRE(c.factor <= 2.0);
    CHECK(c.x >= 0.0);
    CHECK(c.x <= 32 * (c.factor - 1) + 1e-9);
    CHECK(c.y >= 0.0);
    CHECK(c.y <= 32 * (c.factor - 1) + 1e-9);
    smallest = std::min(smallest, c.factor);
    largest = std::max(largest, c.factor);
  }
  CHECK(smallest < 1.05);
  CHECK(largest > 1.95);
  CHECK(scale_crop(3, 1, 7, 2.0, 32).factor == scale_crop(3, 1, 7, 2.0, 32).factor);
  CHECK(scale_crop(3, 1, 7, 2.0, 32).factor != scale_crop(3, 2, 7, 2.0, 32).factor);
  CHECK(scale_crop(3, 1, 7, 2.0, 32).factor != scale_crop(4, 1, 7, 2.0, 32).factor);

  // An 8x8 ramp, value x + 10y.
  std::vector<float> ramp(64), out(64);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) ramp[static_cast<size_t>(y * 8 + x)] = static_cast<float>(x + 10 * y);
  rescale_crop_plane(ramp.data(), out.data(), 8, ScaleCrop{}, false);
  CHECK(out == ramp);
  rescale_crop_plane(ramp.data(), out.data(), 8, ScaleCrop{}, true);
  CHECK(out[0] == 7.0f);
  CHECK(out[8 * 3 + 2] == 35.0f);  // row 3, column 2 shows column 5
  // Twice as big from the corner: output x samples x / 2 - 0.25 (clamped at 0).
  rescale_crop_plane(ramp.data(), out.data(), 8, ScaleCrop{2.0, 0.0, 0.0}, false);
  CHECK(out[0] == 0.0f);
  CHECK(out[1] == doctest::Approx(0.25));
  CHECK(out[8 * 3 + 4] == doctest::Approx(1.75 + 12.5));
  CHECK(out[63] == doctest::Approx(3.25 + 32.5));
  // Offset by 3 enlarged pixels: column 0 samples (3.5) / 2 - 0.5 = 1.25.
  rescale_crop_plane(ramp.data(), out.data(), 8, ScaleCrop{2.0, 3.0, 0.0}, false);
  CHECK(out[0] == doctest::Approx(1.25));
  CHECK(out[7] == doctest::Approx(4.75));
}

TEST_CASE("validation scores are eval-mode MSE and chroma ratio, whatever the batch") {
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  const Model model = random_model(graph.value(), 4);
  const TrainingData data = synthetic_data(5, 16);
  auto scores = validate(model, data);
  auto small_batches = validate(model, data, 2);
  REQUIRE(scores.ok());
  REQUIRE(small_batches.ok());
  auto acts = run_model_cpu(model, data.L, data.categories, CpuPath::Fast, false);
  REQUIRE(acts.ok());
  const Tensor& predicted = acts->output(graph.value());
  double squared = 0, chroma_predicted = 0, chroma_true = 0;
  for (int64_t i = 0; i < data.ab.numel(); ++i) {
    const double d = static_cast<double>(predicted[i]) - data.ab[i];
    squared += d * d;
  }
  for (int64_t k = 0; k < 5; ++k) {
    chroma_predicted += chroma_sum(predicted.data() + k * 2 * 256, 256);
    chroma_true += chroma_sum(data.ab.data() + k * 2 * 256, 256);
  }
  CHECK(scores->mse_ab == doctest::Approx(squared / static_cast<double>(data.ab.numel())).epsilon(1e-9));
  CHECK(scores->chroma_ratio == doctest::Approx(chroma_predicted / chroma_true).epsilon(1e-9));
  CHECK(small_batches->mse_ab == doctest::Approx(scores->mse_ab).epsilon(1e-6));
  CHECK(small_batches->chroma_ratio == doctest::Approx(scores->chroma_ratio).epsilon(1e-6));
  TrainingData empty;
  empty.side = 16;
  CHECK_FALSE(validate(model, empty).ok());
}

TEST_CASE("validation keeps the best weights and stops by patience; a resume restores them exactly") {
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  const TrainingData data = synthetic_data(8, 16);
  // Held-out photos whose colours the training photos do not predict well.
  std::vector<TrainingData> validation{synthetic_data(4, 16)};
  for (int64_t i = 0; i < validation[0].ab.numel(); ++i) validation[0].ab[i] = 25.0f - validation[0].ab[i];
  TrainingOptions options{2, 30, 1e-2, 5, true};
  options.scale_max = 1.5;
  options.patience = 2;

  Model straight = random_model(graph.value(), 5), straight_best;
  Adam adam;
  TrainingState state;
  std::vector<EpochReport> reports;
  REQUIRE(run_training(
              straight, adam, state, data, options, nullptr,
              [&](const TrainingState&, const EpochReport& r) {
                reports.push_back(r);
                return Status{};
              },
              validation, &straight_best)
              .ok());
  REQUIRE(!reports.empty());
  INFO("stopped after epoch " << state.epoch << ", best " << state.best_epoch << " (" << state.best_score
                              << ")");
  // It stopped early, by the rule: two epochs in a row without a better score.
  REQUIRE(state.epoch < 30);
  CHECK(state.epochs_since_best == 2);
  CHECK(state.epoch == state.best_epoch + 2);
  CHECK(reports.back().stopping);
  CHECK(reports.size() == static_cast<size_t>(state.epoch));
  size_t argmin = 0;
  for (size_t e = 0; e < reports.size(); ++e) {
    REQUIRE(reports[e].validation.size() == 1);
    CHECK(reports[e].score == reports[e].validation[0].mse_ab);
    CHECK(reports[e].improved == (e == 0 || reports[e].score < reports[argmin].score));
    if (reports[e].score < reports[argmin].score) argmin = e;
  }
  CHECK(state.best_epoch == static_cast<int>(argmin) + 1);
  CHECK(state.best_score == reports[argmin].score);
  // The kept weights are those after the best epoch: an unbroken run of that
  // many epochs ends with them, and scores the same.
  {
    TrainingOptions shorter = options;
    shorter.epochs = state.best_epoch;
    Model rerun = random_model(graph.value(), 5);
    Adam rerun_adam;
    TrainingState rerun_state;
    REQUIRE(run_training(rerun, rerun_adam, rerun_state, data, shorter, nullptr, nullptr, validation).ok());
    CHECK(same_weights(rerun, straight_best));
    auto scored = validate(straight_best, validation[0]);
    REQUIRE(scored.ok());
    CHECK(scored->mse_ab == state.best_score);
  }

  // Stopped mid-epoch after the best was found, saved, loaded and finished:
  // the same best, counters, end and weights.
  const int64_t stop_at = static_cast<int64_t>(state.best_epoch) * 4 + 1;
  Model split = random_model(graph.value(), 5), split_best;
  Adam split_adam;
  TrainingState split_state;
  REQUIRE(run_training(
              split, split_adam, split_state, data, options,
              [&](const StepReport& r) { return r.steps < stop_at; }, nullptr, validation, &split_best)
              .ok());
  REQUIRE(split_state.steps == stop_at);
  CHECK(split_state.best_epoch == state.best_epoch);
  const std::string path = temp_path("convlab-ckpt-best");
  REQUIRE(save_checkpoint(path, split, split_adam, split_state, options, &split_best).ok());
  auto loaded = load_checkpoint(path, graph.value());
  std::filesystem::remove(path);
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.message()));
  REQUIRE(loaded->has_best);
  CHECK(loaded->state.best_score == split_state.best_score);
  CHECK(loaded->state.best_epoch == split_state.best_epoch);
  CHECK(loaded->state.epochs_since_best == split_state.epochs_since_best);
  CHECK(loaded->options.patience == 2);
  CHECK(loaded->options.scale_max == 1.5);
  REQUIRE(run_training(loaded->model, loaded->adam, loaded->state, data, loaded->options, nullptr, nullptr,
                       validation, &loaded->best)
              .ok());
  CHECK(loaded->state.epoch == state.epoch);
  CHECK(loaded->state.steps == state.steps);
  CHECK(loaded->state.best_epoch == state.best_epoch);
  CHECK(loaded->state.best_score == state.best_score);
  CHECK(loaded->state.epochs_since_best == state.epochs_since_best);
  CHECK(same_weights(loaded->best, straight_best));
  CHECK(same_weights(loaded->model, straight));
  // A finished run resumed does nothing more.
  const int64_t steps_before = loaded->state.steps;
  REQUIRE(run_training(loaded->model, loaded->adam, loaded->state, data, loaded->options, nullptr, nullptr,
                       validation, &loaded->best)
              .ok());
  CHECK(loaded->state.steps == steps_before);
  CHECK(training_done(loaded->state, loaded->options, true));
  CHECK_FALSE(training_done(loaded->state, loaded->options, false));  // without validation, epochs rule
}

TEST_CASE("checkpoints keep the validation settings; older ones load with the defaults") {
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  const Model model = random_model(graph.value(), 1), best = random_model(graph.value(), 2);
  TrainingOptions options{4, 200, 5e-4, 9, false};
  options.scale_max = 2.0;
  options.patience = 6;
  options.val_fraction = 0.08;
  options.val_sizes = {128, 256};
  TrainingState state{7, 3, 1234, 456.5, 150.125, 5, 2};
  const std::string path = temp_path("convlab-ckpt-meta");
  REQUIRE(save_checkpoint(path, model, Adam(), state, options, &best).ok());
  auto loaded = load_checkpoint(path, graph.value());
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.message()));
  CHECK(loaded->options.batch == 4);
  CHECK(loaded->options.lr == 5e-4);
  CHECK(loaded->options.scale_max == 2.0);
  CHECK(loaded->options.patience == 6);
  CHECK(loaded->options.val_fraction == 0.08);
  CHECK(loaded->options.val_sizes == std::vector<int>{128, 256});
  CHECK(loaded->state.epoch == 7);
  CHECK(loaded->state.steps == 1234);
  CHECK(loaded->state.best_score == 150.125);
  CHECK(loaded->state.best_epoch == 5);
  CHECK(loaded->state.epochs_since_best == 2);
  REQUIRE(loaded->has_best);
  CHECK(same_weights(loaded->best, best));
  CHECK(same_weights(loaded->model, model));

  // A checkpoint from before validation: no best tensors, no new metadata.
  auto file = read_safetensors(path);
  REQUIRE(file.ok());
  SafeTensors old;
  for (const auto& [name, stored] : file->tensors())
    if (name.rfind("best.", 0) != 0) old.put_stored(name, stored);
  old.metadata() = file->metadata();
  for (const char* key : {"scale_max", "patience", "val_fraction", "val_sizes", "best_score", "best_epoch",
                          "epochs_since_best"})
    old.metadata().erase(key);
  REQUIRE(write_safetensors(path, old).ok());
  auto older = load_checkpoint(path, graph.value());
  std::filesystem::remove(path);
  REQUIRE_MESSAGE(older.ok(), (older.ok() ? "" : older.message()));
  CHECK_FALSE(older->has_best);
  CHECK(older->options.scale_max == 1.0);
  CHECK(older->options.patience == 0);
  CHECK(older->options.val_fraction == 0.0);
  CHECK(older->options.val_sizes.empty());
  CHECK(older->state.best_epoch == 0);
  CHECK(older->state.epoch == 7);
  CHECK(same_weights(older->model, model));
}

TEST_CASE("the loss plot draws the validation points in green") {
  const auto green = [](const RgbImage& image) {
    int count = 0;
    for (size_t i = 0; i + 2 < image.pixels.size(); i += 3)
      count += image.pixels[i] == 20 && image.pixels[i + 1] == 150 && image.pixels[i + 2] == 60;
    return count;
  };
  const std::vector<float> steps{300, 250, 200, 190, 185, 180};
  CHECK(green(plot_loss_curve(steps, {2, 4, 6}, 640, 360)) == 0);
  const RgbImage with = plot_loss_curve(steps, {2, 4, 6}, 640, 360, {260.0, 210.0, 205.0});
  CHECK(green(with) > 3 * 81);  // three 9x9 markers, the lines between and the legend
  // Epochs without validation (NaN) are left out.
  const double nan = std::nan("");
  CHECK(green(plot_loss_curve(steps, {2, 4, 6}, 640, 360, {nan, nan, nan})) == 0);
}
