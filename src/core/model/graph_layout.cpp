#include "core/model/graph_layout.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace convlab {

namespace {

std::string conv_summary(const GraphNode& node) {
  std::string text = (node.op == OpKind::Conv2d ? "conv " : "tconv ") + std::to_string(node.kernel) + "x" +
                     std::to_string(node.kernel);
  const int stride = node.op == OpKind::Conv2d ? node.conv.stride_h : node.tconv.stride_h;
  const int padding = node.op == OpKind::Conv2d ? node.conv.padding.top : node.tconv.padding_h;
  const int dilation = node.op == OpKind::Conv2d ? node.conv.dilation_h : node.tconv.dilation_h;
  text += " stride " + std::to_string(stride) + " pad " + std::to_string(padding);
  if (dilation > 1) text += " dilation " + std::to_string(dilation);
  return text + ", " + std::to_string(node.out_channels) + " filters";
}

// "4×4 /2 p1", "4×4 d2 p3", "T 4×4 ×2 p1": what fits in a diagram box.
std::string conv_brief(const GraphNode& node) {
  const bool transposed = node.op == OpKind::ConvTranspose2d;
  const int stride = transposed ? node.tconv.stride_h : node.conv.stride_h;
  const int padding = transposed ? node.tconv.padding_h : node.conv.padding.top;
  const int dilation = transposed ? node.tconv.dilation_h : node.conv.dilation_h;
  std::string text = std::to_string(node.kernel) + "×" + std::to_string(node.kernel);
  if (stride > 1) text += (transposed ? " ×" : " /") + std::to_string(stride);
  if (dilation > 1) text += " d" + std::to_string(dilation);
  return text + " p" + std::to_string(padding);
}

}  // namespace

const LayoutBlock* GraphLayout::find(const std::string& name) const {
  for (const LayoutBlock& block : blocks)
    if (block.name == name) return &block;
  return nullptr;
}

Result<GraphLayout> layout_graph(const Graph& graph, int64_t side) {
  auto shapes = graph.infer_shapes(1, side, side);
  if (!shapes.ok()) return shapes.error();
  // How many nodes read each activation: a batch norm or ReLU joins the
  // block before it only when that block's value goes nowhere else.
  std::map<std::string, int> readers;
  for (const GraphNode& node : graph.nodes())
    for (const std::string& input : node.inputs) ++readers[input];

  GraphLayout layout;
  std::map<std::string, size_t> block_of;  // activation -> block index
  for (const char* input : {"gray", "category"}) {
    LayoutBlock block;
    block.name = input;
    block.kind = BlockKind::Input;
    block.summary = std::string(input) == "gray" ? "L channel of the photo" : "category id";
    block.shape = shapes->at(input);
    block.column = 0;
    block_of[input] = layout.blocks.size();
    layout.blocks.push_back(block);
  }
  for (const GraphNode& node : graph.nodes()) {
    const bool follows = !layout.blocks.empty() &&
                         (node.op == OpKind::BatchNorm2d || node.op == OpKind::Relu) &&
                         node.inputs.size() == 1 && layout.blocks.back().name == node.inputs[0] &&
                         (layout.blocks.back().kind == BlockKind::Conv ||
                          layout.blocks.back().kind == BlockKind::TransposedConv) &&
                         readers[node.inputs[0]] == 1;
    if (follows) {
      LayoutBlock& block = layout.blocks.back();
      block.nodes.push_back(node.name);
      block.summary += node.op == OpKind::BatchNorm2d ? " + BN" : " + ReLU";
      block_of.erase(block.name);
      block.name = node.name;
      block.shape = shapes->at(node.name);
      block_of[node.name] = layout.blocks.size() - 1;
      continue;
    }
    LayoutBlock block;
    block.name = node.name;
    block.nodes = {node.name};
    block.shape = shapes->at(node.name);
    block.column = static_cast<int>(layout.blocks.size()) - 1;
    switch (node.op) {
      case OpKind::Conv2d:
        block.kind = BlockKind::Conv;
        block.summary = conv_summary(node);
        block.brief = conv_brief(node);
        break;
      case OpKind::ConvTranspose2d:
        block.kind = BlockKind::TransposedConv;
        block.summary = conv_summary(node);
        block.brief = conv_brief(node);
        break;
      case OpKind::EmbedBroadcast:
        block.kind = BlockKind::Embedding;
        block.summary = "category embedding " + std::to_string(node.rows) + "x" + std::to_string(node.dim);
        break;
      case OpKind::Concat:
        block.kind = BlockKind::Join;
        block.summary = "concat (channels)";
        break;
      default:
        block.kind = BlockKind::Activation;
        block.summary = std::string(op_name(node.op));
        break;
    }
    // Edges into the block. An embedding reads only the category (the map
    // it is sized to is not data); a join's first input is the main flow and
    // the rest are skips or embeddings.
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const std::string& input = node.inputs[i];
      if (node.op == OpKind::EmbedBroadcast && input != "category") continue;
      const auto source = block_of.find(input);
      if (source == block_of.end())
        return Error{"graph layout: node '" + node.name + "' reads unknown '" + input + "'"};
      const LayoutBlock& from = layout.blocks[source->second];
      EdgeKind kind = EdgeKind::Flow;
      if (from.kind == BlockKind::Embedding)
        kind = EdgeKind::Embedding;
      else if (node.op == OpKind::Concat && i > 0)
        kind = EdgeKind::Skip;
      layout.edges.push_back({from.name, node.name, kind});
    }
    block_of[node.name] = layout.blocks.size();
    layout.blocks.push_back(block);
  }
  // Edges point at a block's first node; name them by the block instead.
  std::map<std::string, std::string> block_name;
  for (const LayoutBlock& block : layout.blocks)
    for (const std::string& node : block.nodes) block_name[node] = block.name;
  for (LayoutEdge& edge : layout.edges) {
    if (auto it = block_name.find(edge.to); it != block_name.end()) edge.to = it->second;
    if (auto it = block_name.find(edge.from); it != block_name.end()) edge.from = it->second;
  }
  for (LayoutBlock& block : layout.blocks) {
    if (block.shape.size() == 4 && block.shape[2] > 0)
      block.level = static_cast<int>(
          std::lround(std::log2(static_cast<double>(side) / static_cast<double>(block.shape[2]))));
    layout.deepest = std::max(layout.deepest, block.level);
  }
  return layout;
}

}  // namespace convlab
