// A whole training run on a folder of photos: the data held in memory as L
// and a,b planes, epochs in a seeded order with seeded horizontal flips and
// optional seeded rescale-and-crop (so a run and a resumed run see exactly
// the same batches), validation on held-out photos after every epoch (eval
// mode: batch norm with its running statistics) with the best weights kept
// and early stopping by patience, checkpoints that hold everything needed to
// continue (weights, running statistics, Adam's state, where the run stands,
// the best weights and score so far), and one callback per step for progress.
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
  bool flip = true;          // random horizontal flips
  double scale_max = 1.0;    // each image enlarged by a random factor in [1, scale_max], then a random
                             // side x side crop; 1 = off
  int patience = 0;          // stop after this many epochs without a better validation score; 0 = never
  double chroma_weight = 0;  // > 0: the loss weights pixels by their true chroma (loss.h)
  // Kept in checkpoints so a resumed run rebuilds the same validation sets;
  // run_training itself takes the sets as data.
  double val_fraction = 0;
  std::vector<int> val_sizes{};
};

// Where a run stands; saved in checkpoints.
struct TrainingState {
  int epoch = 0;          // epochs completed
  int step_in_epoch = 0;  // batches done in the current epoch
  int64_t steps = 0;      // batches done in total
  double seconds = 0;     // training time so far
  // Validation: the best score (mean validation MSE over the sets), the
  // epoch that reached it (0: none yet) and the epochs since then.
  double best_score = 0;
  int best_epoch = 0;
  int epochs_since_best = 0;
};

// Image order of an epoch: a permutation of 0..n-1 fixed by (seed, epoch).
std::vector<int> epoch_order(int n, uint64_t seed, int epoch);
// Whether image `index` is flipped in `epoch`: fixed by (seed, epoch, index).
bool flipped(uint64_t seed, int epoch, int index);
int steps_per_epoch(int images, int batch);  // whole batches; a last partial batch is left out

// Scale augmentation of one image in one epoch, fixed by (seed, epoch, index):
// the image is enlarged `factor` times (uniform in [1, scale_max]) and the
// side x side window at (x, y) of the enlarged image (uniform over the valid
// offsets) is kept.
struct ScaleCrop {
  double factor = 1, x = 0, y = 0;
};
ScaleCrop scale_crop(uint64_t seed, int epoch, int index, double scale_max, int side);
// One side x side plane through a ScaleCrop (bilinear, edges clamped), then
// mirrored left-right when `mirror`. factor 1 at (0, 0) copies the plane.
void rescale_crop_plane(const float* from, float* to, int side, const ScaleCrop& crop, bool mirror);

// Validation in eval mode (batch norm with its running statistics, as
// PyTorch's model.eval()): the MSE of (a,b) over every pixel, and the chroma
// ratio (mean |ab| predicted / mean |ab| true).
struct ValidationScores {
  double mse_ab = 0;
  double chroma_ratio = 0;
};
Result<ValidationScores> validate(const Model& model, const TrainingData& data, int batch = 16);

struct EpochReport {
  int epoch = 0;                             // 1-based, the epoch just completed
  double train_loss = 0;                     // mean over its steps
  std::vector<ValidationScores> validation;  // one per validation set; empty without validation
  double score = 0;                          // mean of the validation MSEs: what "best" compares
  bool improved = false;                     // this epoch's weights are the new best
  bool stopping = false;                     // patience ran out: the run stops after this epoch
};

struct StepReport {
  int epoch = 0;  // 1-based, the epoch this step belongs to
  int step_in_epoch = 0, steps_per_epoch = 0;
  int64_t steps = 0;
  double seconds = 0;
  float loss = 0;
};

// Trains from `state` until options.epochs are complete or, with validation
// sets and options.patience > 0, until the score has not improved for
// `patience` epochs. After each step on_step gets the report; returning false
// stops (the state then says where, so a checkpoint can be saved and resumed
// exactly). After each completed epoch the model is validated on every set of
// `validation` (one per working size, say), the best weights are copied to
// *best (when given), and on_epoch runs (checkpoints). Errors stop the run
// with the state still consistent (the failed step is not counted).
Status run_training(Model& model, Adam& adam, TrainingState& state, const TrainingData& data,
                    const TrainingOptions& options, const std::function<bool(const StepReport&)>& on_step,
                    const std::function<Status(const TrainingState&, const EpochReport&)>& on_epoch,
                    const std::vector<TrainingData>& validation = {}, Model* best = nullptr);
// Whether a run in `state` has nothing left to do.
bool training_done(const TrainingState& state, const TrainingOptions& options, bool validated);

// Checkpoints: the model's tensors under their state_dict names, Adam's
// under "optimizer.<name>.exp_avg" etc., the best weights (when given) under
// "best.<name>", and the state and options in the metadata. Written
// atomically. Checkpoints of older versions (no validation) still load.
Status save_checkpoint(const std::string& path, const Model& model, const Adam& adam,
                       const TrainingState& state, const TrainingOptions& options,
                       const Model* best = nullptr);
struct Checkpoint {
  Model model;
  Adam adam;
  TrainingState state;
  TrainingOptions options;  // as saved (epochs: the total asked for then)
  bool has_best = false;
  Model best;  // the best-validation weights, when has_best
};
Result<Checkpoint> load_checkpoint(const std::string& path, const Graph& graph);

}  // namespace convlab::train
