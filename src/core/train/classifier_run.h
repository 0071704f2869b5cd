// Training the classifier on a folder of categorized photos (colorize128's
// layout: images + categories.csv): the photos held in memory as RGB
// tensors, normalized per channel with the training set's mean and standard
// deviation, epochs in a seeded order with seeded flips and rescale-and-crop
// (the colorizer's augmentation, training_run.h), softmax cross-entropy and
// Adam, and scoring: accuracy and the confusion matrix.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/model/dataset.h"
#include "core/model/model.h"
#include "core/train/adam.h"

namespace convlab::train {

struct ClassifierData {
  Tensor images;                     // (N, 3, S, S), RGB in [0, 1]
  std::vector<int64_t> labels;       // category - first_category, in [0, classes)
  std::vector<std::string> skipped;  // images left out, with why
  int side = 0;
};
// Photos of categories first_category .. first_category + classes - 1
// (colorize128: 1 food .. 7 outdoor, as classes 0..6); others are skipped
// with a note. Center-cropped to a square and resized to side x side.
Result<ClassifierData> load_classifier_data(const DatasetListing& listing, int side, int first_category,
                                            int classes);

// The per-channel preprocessing the model expects: x = (pixel - mean) / std,
// pixels in [0, 1]. Written into the ONNX file's metadata (convlab.mean,
// convlab.std) so every reader prepares photos the same way.
struct Normalization {
  std::array<float, 3> mean{0, 0, 0}, std{1, 1, 1};
};
Normalization channel_statistics(const Tensor& images);
Tensor normalized(const Tensor& images, const Normalization& norm);

struct ClassifierOptions {
  int batch = 32;
  int epochs = 15;
  double lr = 1e-3;
  double final_lr = 1e-3;  // the rate falls linearly from lr to this over the run (epoch by epoch)
  uint64_t seed = 1;
  bool flip = true;
  double scale_max = 1.0;  // rescale-and-crop augmentation, as training_run.h; 1 = off
};

struct ClassifierScores {
  double accuracy = 0;                      // share of photos whose top class is right
  double loss = 0;                          // mean softmax cross-entropy
  std::vector<std::vector<int>> confusion;  // [true class][predicted class] counts
};
// Eval mode, batches of `batch`; images as load_classifier_data gives them.
Result<ClassifierScores> score_classifier(const Model& model, const ClassifierData& data,
                                          const Normalization& norm, int batch = 64);

struct ClassifierEpochReport {
  int epoch = 0;  // 1-based
  double lr = 0;
  double train_loss = 0, train_accuracy = 0;  // over the epoch's batches, as they were trained
  double seconds = 0;
};
// Trains `model` (initialized) for options.epochs. on_step(epoch, step,
// steps, loss) after every batch (return false to stop: the error says so);
// on_epoch after every epoch.
Status train_classifier(Model& model, Adam& adam, const ClassifierData& data, const Normalization& norm,
                        const ClassifierOptions& options,
                        const std::function<bool(int, int, int, float)>& on_step,
                        const std::function<Status(const ClassifierEpochReport&)>& on_epoch);

}  // namespace convlab::train
