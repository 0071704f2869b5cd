// An ONNX model (a CNN exported from PyTorch or Keras) as a ConvLab Model:
// the same Graph the JSON descriptions build, plus its weights, so every
// runner and panel treats it as it treats ECNN.
//
// The file is parsed and checked with Debian's libonnx (checker, shape
// inference, opsets 6 to 17). Each node becomes a graph node (ops in
// kSupportedOps); the Shape/Gather/Unsqueeze/Concat chains exporters write to
// compute reshape sizes are folded into constants when the model loads, and
// Constant nodes become constants. Weights are the model's initializers,
// also when kept in external data files beside it. A node with any other op
// leaves the graph at the nodes before it and is reported in `unsupported`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace convlab::onnx_model {

// The ONNX op types a graph runs, for messages.
const std::vector<std::string>& supported_ops();

struct UnsupportedNode {
  std::string node;  // its name (or its first output's)
  std::string op;    // its op_type
  std::string why;   // e.g. "op Einsum is not supported; supported: ..."
};

struct OnnxModel {
  Model model;  // graph + weights and constants
  int64_t opset = 0;
  std::string producer;                         // "pytorch 2.1.2"
  std::map<std::string, std::string> metadata;  // metadata_props
  // The first node the graph stops at; the graph has the nodes before it
  // (none, and no inputs or outputs, when it is the first).
  std::optional<UnsupportedNode> unsupported;
};

// `bound_inputs`: graph inputs given now, read as constants (ONNX's test
// cases pass convolution weights as inputs; a model from an exporter keeps
// them in initializers and needs none).
Result<OnnxModel> load_onnx_file(const std::string& path,
                                 const std::map<std::string, Tensor>& bound_inputs = {});
// `base_dir` is where external data files are looked for; `source` names the model.
Result<OnnxModel> load_onnx_bytes(const std::string& bytes, const std::string& source,
                                  const std::string& base_dir,
                                  const std::map<std::string, Tensor>& bound_inputs = {});

// ONNX TensorProto files (.pb: ONNX's own test data format). Float tensors of
// any float type are read as float32; integer ones are converted exactly
// (|value| <= 2^24) so they can feed an index input.
Result<Tensor> read_tensor_pb(const std::string& path);
Result<Tensor> tensor_pb_from_bytes(const std::string& bytes, const std::string& source);
// The tensor's name inside a .pb file (empty when it has none).
Result<std::string> tensor_pb_name(const std::string& path);
Status write_tensor_pb(const std::string& path, const Tensor& tensor, const std::string& name);

}  // namespace convlab::onnx_model
