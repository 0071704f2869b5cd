// A whole training run on a folder of photos: the data held in memory as L
// and a,b planes, epochs in a seeded order with seeded horizontal flips (so
// a run and a resumed run see exactly the same batches), checkpoints that
// hold everything needed to continue (weights, running statistics, Adam's
// state, where the run stands), and one callback per step for progress.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/model/dataset.h"
#include "core/model/model.h"
#include "core/train/adam.h"

namespace convlab::train {

struct TrainingData {
  Tensor L;   // (N, 1, S, S)
  Tensor ab;  // (N, 2, S, S)
  std::vector<int64_t> categories;
  std::vector<std::string> skipped;  // images that could not be read, with why
  int side = 0;
};
// Reads every image of the listing (both cores); unreadable ones are listed
// in `skipped`. Fails when none is left.
Result<TrainingData> load_training_data(const DatasetListing& listing, int side);

struct TrainingOptions {
  int batch = 32;
  int epochs = 1;
  double lr = 1e-3;
  uint64_t seed = 1;
  bool flip = true;  // random horizontal flips
};

// Where a run stands; saved in checkpoints.
struct TrainingState {
  int epoch = 0;          // epochs completed
  int step_in_epoch = 0;  // batches done in the current epoch
  int64_t steps = 0;      // batches done in total
  double seconds = 0;     // training time so far
};

// Image order of an epoch: a permutation of 0..n-1 fixed by (seed, epoch).
std::vector<int> epoch_order(int n, uint64_t seed, int epoch);
// Whether image `index` is flipped in `epoch`: fixed by (seed, epoch, index).
bool flipped(uint64_t seed, int epoch, int index);
int steps_per_epoch(int images, int batch);  // whole batches; a last partial batch is left out

struct StepReport {
  int epoch = 0;  // 1-based, the epoch this step belongs to
  int step_in_epoch = 0, steps_per_epoch = 0;
  int64_t steps = 0;
  double seconds = 0;
  float loss = 0;
};

// Trains from `state` until options.epochs are complete. After each step
// on_step gets the report; returning false stops (the state then says where,
// so a checkpoint can be saved and resumed exactly). on_epoch runs after
// each completed epoch (checkpoints). Errors stop the run with the state
// still consistent (the failed step is not counted).
Status run_training(Model& model, Adam& adam, TrainingState& state, const TrainingData& data,
                    const TrainingOptions& options, const std::function<bool(const StepReport&)>& on_step,
                    const std::function<Status(const TrainingState&, double epoch_mean_loss)>& on_epoch);

// Checkpoints: the model's tensors under their state_dict names, Adam's
// under "optimizer.<name>.exp_avg" etc., and the state and options in the
// metadata. Written atomically.
Status save_checkpoint(const std::string& path, const Model& model, const Adam& adam,
                       const TrainingState& state, const TrainingOptions& options);
struct Checkpoint {
  Model model;
  Adam adam;
  TrainingState state;
  TrainingOptions options;  // as saved (epochs: the total asked for then)
};
Result<Checkpoint> load_checkpoint(const std::string& path, const Graph& graph);

}  // namespace convlab::train
