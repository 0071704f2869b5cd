// A model is data: a Graph (nodes read from a JSON description such as
// assets/models/ecnn_advanced.json) plus named weights. The runners, the CLI
// and the network panel walk whatever graph is loaded; nothing hard-codes ECNN.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"
#include "core/ops/op_kind.h"
#include "core/ops/pool.h"
#include "core/ops/tensor_ops.h"

namespace convlab {

// One graph node. `name` is the activation's name; `weights` is the
// state_dict prefix ("conv1" -> "conv1.weight", "conv1.bias"). For weighted
// nodes the two are the same, except where a description says otherwise:
// ECNN's two embed nodes (e0, e1) share the table "embd", and its final conv
// is the node "out" with the weights "tconv_out".
//
// JSON (assets/models/ecnn_advanced.json): {"name", "op" (kOpNames), "inputs",
// "weights", "description"} plus, per op: conv2d / conv_transpose2d:
// in_channels, out_channels, kernel, stride (n or [h, w]), padding (n,
// [h, w], or for conv2d [top, bottom, left, right]), dilation (n or [h, w]),
// output_padding (transposed only, n or [h, w]); batch_norm: channels, eps,
// momentum; embed: rows, dim, inputs ["category", <tensor whose H x W to fill>].
struct GraphNode {
  std::string name;
  OpKind op = OpKind::Relu;
  std::vector<std::string> inputs;  // activation names; graph inputs are "gray" and "category"
  std::string weights;              // state_dict prefix, empty when the op has none
  // conv2d / conv_transpose2d
  int in_channels = 0, out_channels = 0;
  int kernel = 0;
  Conv2dParams conv;
  ConvTranspose2dParams tconv;
  // embed: the table is `weights + ".weight"` of shape (rows, dim)
  int rows = 0, dim = 0;
  // batch_norm
  int channels = 0;
  float eps = 1e-5f, momentum = 0.1f;
  std::string description;  // one sentence on what this layer does (for panels)

  // ---- graphs read from ONNX (core/onnx/onnx_graph.h) also use these ----
  // Inputs may also name the graph's inputs and its constants (tensors in the
  // model's weights: a Gemm's matrix, an Add's bias, a PRelu's slopes).
  int kernel_w = 0;  // a rectangular kernel's width (0: square, `kernel`)
  int kernel_width() const { return kernel_w > 0 ? kernel_w : kernel; }
  PoolOptions pool;                                       // pool2d
  reference::UnaryParams unary;                           // activation
  reference::BinaryOp binary = reference::BinaryOp::Add;  // elementwise
  reference::GemmParams gemm;                             // gemm: inputs A, B[, C]
  reference::SoftmaxParams softmax;                       // softmax
  int64_t axis = 1;                                       // concat (1: channels), gather
  // reshape: ONNX's target (0 copies, -1 infers; empty: flatten at `axis`);
  // expand: the shape the input is broadcast with.
  std::vector<int64_t> shape_spec;
  std::vector<int64_t> pads;  // pad: begins, then ends
  float pad_value = 0.0f;
  reference::ResizeParams resize;  // resize: to `sizes` or by `scales` (per axis)
  std::vector<double> scales;
  std::vector<int64_t> sizes;
  std::vector<int64_t> indices;  // gather: constant indices...
  Shape indices_shape;           // ...of this shape
};

// An input the caller supplies: "gray" (N,1,H,W) and "category" (N) for
// ECNN; an ONNX model's graph inputs. -1 marks a free dimension (batch, or
// a size the model accepts any of).
struct GraphInput {
  std::string name;
  Shape shape;
  bool integer = false;  // indices (categories), stored as exact floats
};

// A weight the graph expects: name and shape. num_batches_tracked is I64 scalar.
struct WeightSpec {
  std::string name;
  Shape shape;
  bool integer = false;
};

class Graph {
 public:
  // Parses and validates: unique names, known ops, inputs defined before use,
  // channel counts that agree along every edge. `source` names the file.
  static Result<Graph> from_json(const std::string& json_text, const std::string& source);
  static Result<Graph> load_file(const std::string& path);
  // The descriptions embedded in the binary: "advanced" or "basic".
  static Result<Graph> builtin(const std::string& arch);
  // Names builtin() accepts, and the embedded JSON text of one (empty if unknown).
  static std::vector<std::string> builtin_names();
  static std::string builtin_json(const std::string& arch);

  // A graph built by a reader (ONNX): nodes in execution order, the inputs
  // the caller gives, the constant tensors nodes may read by name, and the
  // outputs. Checks names (unique, defined before use) and that each node's
  // op is one a graph runs; `source` names the file in messages.
  struct Parts {
    std::string name, title, description;
    std::vector<GraphInput> inputs;
    std::map<std::string, Shape> constants;
    std::vector<GraphNode> nodes;
    std::vector<std::string> outputs;
  };
  static Result<Graph> assemble(Parts parts, const std::string& source);

  const std::string& name() const { return name_; }
  const std::string& title() const { return title_; }              // "ECNN NetworkAdvanced"
  const std::string& description() const { return description_; }  // a few sentences for panels
  const std::vector<GraphNode>& nodes() const { return nodes_; }
  const std::string& output() const { return output_; }  // the first output
  const std::vector<std::string>& outputs() const { return outputs_; }
  const std::vector<GraphInput>& inputs() const { return inputs_; }
  const std::map<std::string, Shape>& constants() const { return constants_; }
  bool is_constant(const std::string& name) const { return constants_.count(name) > 0; }
  int emb_size() const { return emb_size_; }
  int categories() const { return categories_; }
  // Spatial size multiple the model needs (16 for ECNN).
  int size_multiple() const { return size_multiple_; }
  const GraphNode* find(const std::string& name) const;

  // Every tensor the graph needs, in node order, each once (a table shared by
  // two embed nodes is listed once). Batch norm adds an integer scalar
  // num_batches_tracked, as PyTorch state_dicts have it.
  std::vector<WeightSpec> expected_weights() const;
  // Learnable parameters, as PyTorch's sum(p.numel() for p in
  // model.parameters()): every float tensor except the batch-norm running
  // statistics (3,669,194 for ECNN advanced), and the constants layers read
  // as weights (a linear layer's matrix and bias, a model read from ONNX).
  int64_t parameter_count() const;
  // Output shape of every node (and of the inputs "gray" (N,1,H,W) and
  // "category" (N)) for a (N,1,H,W) input, or an error naming the first node
  // that fails and the size multiple the graph needs.
  Result<std::map<std::string, Shape>> infer_shapes(int64_t n, int64_t h, int64_t w) const;
  // Any graph: the shape of every node for the given input shapes (each
  // matching its GraphInput, free dimensions any size >= 1), or an error
  // naming the node that fails and why.
  Result<std::map<std::string, Shape>> infer_shapes(const std::map<std::string, Shape>& input_shapes) const;

 private:
  std::string name_;
  std::string title_;
  std::string description_;
  std::vector<GraphNode> nodes_;
  std::string output_;
  std::vector<std::string> outputs_;
  std::vector<GraphInput> inputs_;
  std::map<std::string, Shape> constants_;
  int emb_size_ = 0;
  int categories_ = 0;
  int size_multiple_ = 1;
};

}  // namespace convlab
