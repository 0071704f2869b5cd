// What `convlab model info` shows of an ONNX model (a CNN exported from
// PyTorch or Keras): its inputs and outputs, and a layer table as torchinfo
// prints one: each node's op, its settings in a short form ("3x3 /2 p1 d2"),
// its output shape, the parameters it reads and its multiply-adds.
//
// The file is read with Debian's libonnx: parsed, checked by
// onnx::checker::check_model and given shapes by ONNX's own shape inference,
// so every shape here is ONNX's answer, not ConvLab's. A file that is not a
// model, fails the checker, or uses an opset outside 9..17 is refused with
// a message naming the file and what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace convlab::onnx_model {

// A tensor's name and shape as text: "1x3x224x224"; a symbolic dimension by
// its name ("batch_size"), an unknown one as "?".
struct TensorInfo {
  std::string name;
  std::string shape;
};

struct LayerInfo {
  std::string name;  // the node's name, or its first output's when it has none
  std::string op;    // op_type: "Conv", "MaxPool", "Gemm", ...
  // "3 -> 8, 3x3 /2 p1 d2 g4 op1" (channels, kernel, stride, padding, dilation,
  // groups, output_padding), "2x2 /2 ceil", "512 -> 7", "axis 1"; empty for ops without any.
  std::string settings;
  std::string output;         // the first output's shape
  int64_t parameters = 0;     // elements of the initializers it reads (each counted once in the model)
  int64_t multiply_adds = 0;  // Conv, ConvTranspose, Gemm and MatMul; 0 for the others
};

struct ModelSummary {
  std::string producer;                     // "pytorch 1.13.1"
  int64_t opset = 0;                        // of the default ("ai.onnx") domain
  std::vector<TensorInfo> inputs, outputs;  // the graph's, initializers left out
  std::vector<LayerInfo> layers;            // in the graph's (topological) order
  int64_t parameters = 0;
  int64_t multiply_adds = 0;
};

Result<ModelSummary> summarize_file(const std::string& path);
// The same for a model already in memory; `source` names it in messages.
Result<ModelSummary> summarize_bytes(const std::string& bytes, const std::string& source);

}  // namespace convlab::onnx_model
