// The output shape of one graph node from its inputs' shapes: the shape rules
// of every op a graph runs, for graphs of any input (those read from ONNX).
// ECNN's own Graph::infer_shapes(n, h, w) adds its size-multiple hint on top.
#pragma once

#include <vector>

#include "core/base/tensor.h"
#include "core/model/graph.h"

namespace convlab {

// `inputs` in the node's input order. Errors say what is wrong, without the
// node's name (the caller adds it).
Result<Shape> node_output_shape(const GraphNode& node, const std::vector<const Shape*>& inputs);

// What both graph runners (core/model/runner.cpp, core/backend/graph_on_backend.cpp)
// derive the same way at run time:
// a resize's per-axis scales: the node's own, or output / input when it gave sizes;
std::vector<double> resize_scales(const GraphNode& node, const Shape& input, const Shape& output);
// a gather's indices held in a tensor (an integer graph input, stored as exact floats).
std::vector<int64_t> indices_of(const Tensor& index);

}  // namespace convlab
