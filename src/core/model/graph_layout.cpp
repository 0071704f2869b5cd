#include "core/model/graph_layout.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/i18n.h"

namespace convlab {

namespace {

// "conv 4x4 stride 2 pad 1, 32 filters", in the UI language.
std::string conv_summary(const GraphNode& node) {
  const bool transposed = node.op == OpKind::ConvTranspose2d;
  const int stride = transposed ? node.tconv.stride_h : node.conv.stride_h;
  const int padding = transposed ? node.tconv.padding_h : node.conv.padding.top;
  const int dilation = transposed ? node.tconv.dilation_h : node.conv.dilation_h;
  const int k = node.kernel, filters = node.out_channels;
  if (dilation > 1)
    return transposed ? format(tr("tconv %dx%d stride %d pad %d dilation %d, %d filters"), k, k, stride,
                               padding, dilation, filters)
                      : format(tr("conv %dx%d stride %d pad %d dilation %d, %d filters"), k, k, stride,
                               padding, dilation, filters);
  return transposed ? format(tr("tconv %dx%d stride %d pad %d, %d filters"), k, k, stride, padding, filters)
                    : format(tr("conv %dx%d stride %d pad %d, %d filters"), k, k, stride, padding, filters);
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

std::string block_summary(const Graph& graph, const LayoutBlock& block) {
  if (block.kind == BlockKind::Input)
    return block.name == "gray" ? tr("L channel of the photo") : tr("category id");
  std::string text;
  for (size_t i = 0; i < block.nodes.size(); ++i) {
    const GraphNode* node = graph.find(block.nodes[i]);
    if (!node) continue;
    if (i > 0) {
      // The op names stay as the code writes them.
      text += node->op == OpKind::BatchNorm2d ? " + BN" : " + ReLU";
      continue;
    }
    switch (node->op) {
      case OpKind::Conv2d:
      case OpKind::ConvTranspose2d:
        text = conv_summary(*node);
        break;
      case OpKind::EmbedBroadcast:
        text = format(tr("category embedding %dx%d"), node->rows, node->dim);
        break;
      case OpKind::Concat:
        text = tr("concat (channels)");
        break;
      default:
        text = std::string(op_name(node->op));
        break;
    }
  }
  return text;
}

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
        block.brief = conv_brief(node);
        break;
      case OpKind::ConvTranspose2d:
        block.kind = BlockKind::TransposedConv;
        block.brief = conv_brief(node);
        break;
      case OpKind::EmbedBroadcast:
        block.kind = BlockKind::Embedding;
        break;
      case OpKind::Concat:
        block.kind = BlockKind::Join;
        break;
      default:
        block.kind = BlockKind::Activation;
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
    block.summary = block_summary(graph, block);
    if (block.shape.size() == 4 && block.shape[2] > 0)
      block.level = static_cast<int>(
          std::lround(std::log2(static_cast<double>(side) / static_cast<double>(block.shape[2]))));
    layout.deepest = std::max(layout.deepest, block.level);
  }
  return layout;
}

}  // namespace convlab
