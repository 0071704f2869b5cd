// The architecture as a diagram, computed from the loaded graph (never
// hard-coded): nodes grouped into the blocks a person names (conv + batch
// norm + ReLU is "conv1"), each block's depth in the U (how many times the
// image was halved), and the edges between blocks: the main flow, the U-Net
// skips, the category embedding injections. The network panel draws this.
#pragma once

#include <string>
#include <vector>

#include "core/model/graph.h"

namespace convlab {

enum class BlockKind { Input, Embedding, Join, Conv, TransposedConv, Activation };

struct LayoutBlock {
  std::string name;  // the activation it ends with ("c1", "x0", "out"); inputs: "gray", "category"
  std::vector<std::string> nodes;  // its graph nodes in order ("conv1", "conv1_bn", "c1")
  BlockKind kind = BlockKind::Conv;
  std::string summary;  // "conv 4x4 stride 2 pad 1 + BN + ReLU" (block_summary() when laid out)
  std::string brief;    // convolutions: "4×4 /2 p1" (kernel, stride, dilation, padding), for a small box
  Shape shape;          // output shape for the example input
  int column = 0;       // execution order (inputs first)
  int level = 0;        // log2(input height / this height): 0 at full size
};

enum class EdgeKind { Flow, Skip, Embedding };

struct LayoutEdge {
  std::string from, to;  // block names
  EdgeKind kind = EdgeKind::Flow;
};

struct GraphLayout {
  std::vector<LayoutBlock> blocks;
  std::vector<LayoutEdge> edges;
  int deepest = 0;  // the largest level
  const LayoutBlock* find(const std::string& name) const;
};

// `side`: the example input size for the shapes (a multiple of the graph's
// size multiple).
Result<GraphLayout> layout_graph(const Graph& graph, int64_t side = 256);

// The block's summary in the UI language now ("conv 4x4 stride 2 pad 1, 32
// filters + BN + ReLU"): a panel asks each frame, so it follows a language
// change.
std::string block_summary(const Graph& graph, const LayoutBlock& block);

}  // namespace convlab
