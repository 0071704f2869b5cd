// The classifier ConvLab trains and ships to teach with: a small VGG-style
// network in the spirit of CNN Explainer's TinyVGG. Two blocks of
// conv-ReLU-conv-ReLU-max pool (3x3 convolutions with padding 1 keep the
// size, each pool halves it), then flatten and one linear layer to the
// class scores (logits; softmax turns them into shares). Built as a Graph
// like any model read from a file, so every runner and panel shows it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/model/model.h"

namespace convlab {

struct TinyVggOptions {
  int in_channels = 3;  // RGB
  int channels = 16;    // the first block's filters; the second block has twice as many
  int classes = 7;
  int side = 64;  // input H = W, a multiple of 4
};

// Nodes conv1_1, relu1_1, conv1_2, relu1_2, pool1, conv2_1 ... pool2, flatten,
// fc (the logits); input "image" (N, in_channels, side, side); the linear
// layer's weight and bias are the constants fc.weight (classes, K) and
// fc.bias, K = 2 * channels * (side / 4)^2.
Result<Graph> tiny_vgg_graph(const TinyVggOptions& options);

// PyTorch's default initialization (nn.Conv2d and nn.Linear: uniform in
// +-1/sqrt(fan_in) for weights and biases), from a seeded generator so a
// run is repeatable.
Model tiny_vgg_initial_model(const Graph& graph, uint64_t seed);

// The classifier as safetensors, for builds without an ONNX reader (the
// browser): every weight under its name, and in the metadata the convlab.*
// keys of the ONNX file (preprocessing, labels) plus convlab.arch = tinyvgg,
// convlab.in_channels, convlab.channels and convlab.classes, which rebuild
// the graph (convlab.image_size is its side).
SafeTensors tiny_vgg_safetensors(const Model& model, const TinyVggOptions& options,
                                 std::map<std::string, std::string> metadata);
// Reads that back; every missing or mis-shaped weight and bad key is
// reported with `source`.
Result<Model> tiny_vgg_from_safetensors(const SafeTensors& file, const std::string& source);

}  // namespace convlab
