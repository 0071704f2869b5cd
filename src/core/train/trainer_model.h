// Training a Model (graph + named weights) on the CPU: the forward pass in
// training mode (batch norm normalizes with the batch's statistics and
// updates its running statistics, as PyTorch's model.train()), the backward
// pass through the whole graph to every learnable parameter, and one Adam
// step. The graph is walked as data, like the inference runner: nothing here
// knows ECNN's layers.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/model/model.h"
#include "core/train/adam.h"
#include "core/train/forward.h"

namespace convlab::train {

// The learnable parameters of a graph, as PyTorch's model.parameters():
// every float weight except the batch-norm running statistics, and the
// graph's constants (a linear layer's weight and bias).
std::vector<std::string> trainable_parameters(const Graph& graph);

// One forward pass in training mode and what the backward pass reads.
struct TrainForward {
  // Each node's value by name, and the input "gray". A batch norm whose only
  // consumer is a ReLU runs fused with it: only the ReLU's value is kept.
  std::map<std::string, Tensor> values;
  std::map<std::string, BatchNormSaved> batch_norm;         // by batch-norm node name
  std::map<std::string, std::string> fused_relu;            // batch-norm node -> its ReLU node
  std::map<std::string, std::vector<int32_t>> pool_argmax;  // max-pool node -> the input each output took
  std::vector<int64_t> categories;
  std::string output;  // name of the graph's output value
};

// gray (N,1,H,W), H and W multiples of graph.size_multiple(); categories (N).
// Updates every batch norm's running_mean / running_var in model.weights
// and counts the batch in model.num_batches_tracked. Inputs, weights and
// every layer's shape are checked first: an error changes nothing.
Result<TrainForward> forward_train(Model& model, const Tensor& gray, std::span<const int64_t> categories);

// Any graph with one data input (a classifier's images), as above; the ops
// that train are conv, transposed conv, batch norm, ReLU, concat, max pool,
// flatten / reshape and a linear layer (a Gemm over constants).
Result<TrainForward> forward_train(Model& model, const std::string& input, const Tensor& images);

// Gradients of every learnable parameter (by state_dict name) reached from
// the output, given d loss / d output.
Result<TensorMap> backward_train(const Model& model, const TrainForward& forward, const Tensor& grad_output);

struct LossAndGradients {
  float loss = 0.0f;
  TensorMap gradients;
  Tensor output;  // classifier_loss_and_gradients: the logits (for the batch's accuracy)
};

// forward_train, the MSE loss against target_ab (the output's shape,
// (N,2,H,W) for ECNN) and backward_train. chroma_weight > 0 weights the
// loss by the true chroma (loss.h's chroma_weighted_loss).
Result<LossAndGradients> loss_and_gradients(Model& model, const Tensor& gray,
                                            std::span<const int64_t> categories, const Tensor& target_ab,
                                            float chroma_weight = 0.0f);

// One training step, PyTorch's zero_grad / loss.backward / optimizer.step:
// returns the loss before the update.
Result<float> train_step(Model& model, const Tensor& gray, std::span<const int64_t> categories,
                         const Tensor& target_ab, Adam& adam, float chroma_weight = 0.0f);

// A classifier (one input, logits (N, K) out): forward_train, softmax
// cross-entropy against labels in [0, K) (F.cross_entropy) and
// backward_train; and one Adam step on top.
Result<LossAndGradients> classifier_loss_and_gradients(Model& model, const Tensor& images,
                                                       std::span<const int64_t> labels);
Result<float> classifier_train_step(Model& model, const Tensor& images, std::span<const int64_t> labels,
                                    Adam& adam);

}  // namespace convlab::train
