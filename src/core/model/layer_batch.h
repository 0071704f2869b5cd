// Real activations for the teaching panels: a batch of photos through the
// colorizer, and what a batch-norm layer of it holds (its parameters and
// running statistics) next to the statistics of the batch that reaches it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model.h"
#include "core/model/runner.h"

namespace convlab {

// Photos as the colorizer sees them: the L channel of each, center-cropped
// to a square and resized to side x side, with its category.
struct PhotoBatch {
  Tensor gray;                      // (N, 1, side, side), L in [0, 100]
  std::vector<int64_t> categories;  // from the file name's first word ("animals_cat.jpg" -> animals), else 0
  std::vector<std::string> names;   // file names
};
// side: a positive multiple of `multiple` (the graph's size multiple), at
// most 512. Errors name the file that failed and why.
Result<PhotoBatch> load_photo_batch(const std::vector<std::string>& paths, int side, int multiple);

// A batch-norm node with its weights.
struct BatchNormLayer {
  std::string name;   // "conv1_bn"
  std::string input;  // the activation it normalizes ("conv1")
  int channels = 0;
  float eps = 1e-5f, momentum = 0.1f;
  Tensor gamma, beta, running_mean, running_var;  // (C) each
};
std::vector<std::string> batch_norm_layer_names(const Graph& graph);  // in execution order
// Errors list the graph's batch-norm layers.
Result<BatchNormLayer> batch_norm_layer(const Model& model, const std::string& name);

// One batch-norm layer: stored running statistics against the statistics of
// the activations that reached it in a run, each averaged over channels
// (per-channel values are in the layer and in reference::batch_norm_statistics).
struct BatchNormLayerSummary {
  std::string name;
  int channels = 0;
  double stored_mean = 0, stored_var = 0;  // mean over channels of running_mean / running_var
  double batch_mean = 0, batch_var = 0;    // mean over channels of the batch's mean / biased variance
};
// `activations` from run_model_cpu with keep_all = true.
Result<std::vector<BatchNormLayerSummary>> summarize_batch_norm_layers(const Model& model,
                                                                       const Activations& activations);

}  // namespace convlab
