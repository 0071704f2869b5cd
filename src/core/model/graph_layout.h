// The architecture as a diagram, computed from the loaded graph (never
// hard-coded): nodes grouped into the blocks a person names (conv + batch
// norm + ReLU is "conv1"), each block's depth in the U (how many times the
// image was halved), and the edges between blocks: the main flow, the U-Net
// skips, the category embedding injections, residual joins (Add) and
// concatenations; pools and classifier heads (flatten, linear, softmax) get
// boxes of their own. Residual blocks (from the fork to the Add that joins
// the two paths) are recorded as groups, which fold_layout() draws as one
// box each, so a 70-node ResNet reads at a glance. The network panel draws
// this; it lays out once per model or fold change, never per frame.
#pragma once

#include <string>
#include <vector>

#include "core/model/graph.h"

namespace convlab {

enum class BlockKind {
  Input,
  Embedding,
  Join,
  Conv,
  TransposedConv,
  Activation,
  Pool,         // max / average / global average pooling
  Head,         // flatten, linear (Gemm, MatMul), softmax: a classifier's end
  Group,        // a folded residual block (fold_layout)
  Unsupported,  // the node the model loader stopped at (drawn red)
};

struct LayoutBlock {
  std::string name;  // the activation it ends with ("c1", "x0", "out"); inputs: "gray", "category"
  std::vector<std::string> nodes;  // its graph nodes in order ("conv1", "conv1_bn", "c1")
  BlockKind kind = BlockKind::Conv;
  std::string summary;  // "conv 4x4 stride 2 pad 1 + BN + ReLU" (block_summary() when laid out)
  std::string brief;    // convolutions: "4×4 /2 p1" (kernel, stride, dilation, padding), for a small box
  std::string label;    // the short name a box shows ("conv1" for "/layer1/conv1/Conv_output_0")
  Shape shape;          // output shape for the example input
  int column = 0;       // execution order (inputs first)
  int level = 0;        // log2(input height / this height): 0 at full size
};

enum class EdgeKind { Flow, Skip, Embedding };

struct LayoutEdge {
  std::string from, to;  // block names
  EdgeKind kind = EdgeKind::Flow;
};

// A residual block: the blocks from just after the fork to the join (Add)
// where its two paths meet, with what follows the join in the same block
// (its ReLU).
struct LayoutGroup {
  std::string name;                 // "layer1.0" (the nodes' common path), else "block 3"
  std::vector<std::string> blocks;  // block names, in column order; the last is the group's output
};

struct GraphLayout {
  std::vector<LayoutBlock> blocks;
  std::vector<LayoutEdge> edges;
  std::vector<LayoutGroup> groups;
  int deepest = 0;  // the largest level
  const LayoutBlock* find(const std::string& name) const;
  const LayoutGroup* group(const std::string& name) const;
};

// `side`: the example input size for the shapes (a multiple of the graph's
// size multiple) where the graph's inputs leave H and W free.
Result<GraphLayout> layout_graph(const Graph& graph, int64_t side = 256);

// A graph that stopped at an unsupported node (core/onnx): that node as a
// red box after the block that makes its first input (or the last block).
void add_unsupported_block(GraphLayout& layout, const std::string& node, const std::string& op,
                           const std::string& input);

// The layout with the named groups drawn as one box each (kind Group, named
// by the group, holding all its nodes, shaped as its output); edges into and
// out of a group go to its box, edges inside it vanish, columns close up.
GraphLayout fold_layout(const GraphLayout& layout, const std::vector<std::string>& folded);
// The group a block belongs to, or nullptr.
const LayoutGroup* group_of(const GraphLayout& layout, const std::string& block);

// A node's name as a box shows it: exporters write paths such as
// "/layer1/layer1.0/conv1/Conv_output_0"; the part that names the layer
// ("conv1") is kept, other names are left as they are.
std::string short_node_name(const std::string& name);

// The block's summary in the UI language now ("conv 4x4 stride 2 pad 1, 32
// filters + BN + ReLU"): a panel asks each frame, so it follows a language
// change.
std::string block_summary(const Graph& graph, const LayoutBlock& block);

}  // namespace convlab
