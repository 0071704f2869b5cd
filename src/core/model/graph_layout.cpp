#include "core/model/graph_layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

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

// "max 3×3 /2", "avg 2×2", "global avg".
std::string pool_brief(const GraphNode& node) {
  if (node.op == OpKind::GlobalAveragePool) return "global avg";
  const PoolOptions& p = node.pool;
  std::string text = std::string(p.kind == PoolKind::Max ? "max " : "avg ") + std::to_string(p.kernel.h) +
                     "×" + std::to_string(p.kernel.w);
  if (p.params.window.stride_h > 1) text += " /" + std::to_string(p.params.window.stride_h);
  return text;
}

// What a block of this op is, for the diagram's colors and shapes.
BlockKind kind_of(const Graph& graph, const GraphNode& node) {
  switch (node.op) {
    case OpKind::Conv2d:
      return BlockKind::Conv;
    case OpKind::ConvTranspose2d:
      return BlockKind::TransposedConv;
    case OpKind::EmbedBroadcast:
      return BlockKind::Embedding;
    case OpKind::Concat:
      return BlockKind::Join;
    case OpKind::Pool2d:
    case OpKind::GlobalAveragePool:
      return BlockKind::Pool;
    case OpKind::Gemm:
    case OpKind::MatMul:
    case OpKind::Reshape:
    case OpKind::Softmax:
      return BlockKind::Head;
    case OpKind::Elementwise: {
      // Two computed values added: a residual join. Adding a constant (a
      // bias, a mean) is an ordinary step.
      int computed = 0;
      for (const std::string& input : node.inputs) computed += graph.is_constant(input) ? 0 : 1;
      return node.binary == reference::BinaryOp::Add && computed >= 2 ? BlockKind::Join
                                                                      : BlockKind::Activation;
    }
    default:
      return BlockKind::Activation;
  }
}

bool is_activation(const GraphNode& node) {
  return node.op == OpKind::Relu ||
         (node.op == OpKind::Activation && node.unary.op != reference::UnaryOp::Identity);
}

// The shapes of every node for an example input: ECNN's (1, 1, side, side);
// any other graph's inputs with free sizes set to 1 (batch) and `side`.
Result<std::map<std::string, Shape>> example_shapes(const Graph& graph, int64_t side) {
  bool gray = false;
  for (const GraphInput& input : graph.inputs()) gray = gray || input.name == "gray";
  if (gray) return graph.infer_shapes(1, side, side);
  std::map<std::string, Shape> inputs;
  for (const GraphInput& input : graph.inputs()) {
    Shape shape = input.shape;
    for (size_t d = 0; d < shape.size(); ++d)
      if (shape[d] < 0) shape[d] = d == 0 ? 1 : side;
    inputs[input.name] = shape;
  }
  return graph.infer_shapes(inputs);
}

// Every block a block's value comes from (through edges), itself excluded.
std::set<std::string> ancestors(const GraphLayout& layout, const std::string& block) {
  std::set<std::string> seen;
  std::vector<std::string> todo = {block};
  while (!todo.empty()) {
    const std::string at = todo.back();
    todo.pop_back();
    for (const LayoutEdge& e : layout.edges)
      if (e.to == at && seen.insert(e.from).second) todo.push_back(e.from);
  }
  return seen;
}

// The path the nodes share ("/layer1/layer1.0/conv1/Conv" and
// "/layer1/layer1.0/Add" -> "layer1.0"), or empty.
std::string common_path(const std::vector<std::string>& nodes) {
  if (nodes.empty() || nodes.front().empty() || nodes.front()[0] != '/') return {};
  std::string prefix = nodes.front().substr(0, nodes.front().rfind('/') + 1);
  for (const std::string& n : nodes)
    while (!prefix.empty() && n.compare(0, prefix.size(), prefix) != 0)
      prefix = prefix.substr(0, prefix.rfind('/', prefix.size() - 2) + 1);
  if (prefix.size() < 2) return {};
  prefix.pop_back();
  return prefix.substr(prefix.rfind('/') + 1);
}

// Residual blocks: for each Add join, the blocks after the latest block both
// its paths come from, up to the join and the activations that follow it.
void find_groups(const Graph& graph, GraphLayout& layout) {
  std::map<std::string, int> column;
  for (const LayoutBlock& b : layout.blocks) column[b.name] = b.column;
  int unnamed = 0;
  for (const LayoutBlock& join : layout.blocks) {
    if (join.kind != BlockKind::Join || join.nodes.empty()) continue;
    const GraphNode* add = graph.find(join.nodes.front());
    if (!add || add->op != OpKind::Elementwise) continue;  // concatenations are U-Net skips, not blocks
    std::vector<std::string> sources;
    for (const LayoutEdge& e : layout.edges)
      if (e.to == join.name) sources.push_back(e.from);
    if (sources.size() != 2) continue;
    auto first = ancestors(layout, sources[0]), second = ancestors(layout, sources[1]);
    first.insert(sources[0]);
    second.insert(sources[1]);
    std::string fork;
    for (const std::string& a : first)
      if (second.count(a) && (fork.empty() || column[a] > column[fork])) fork = a;
    if (fork.empty()) continue;
    const std::set<std::string> before = ancestors(layout, join.name);
    LayoutGroup group;
    std::vector<std::string> nodes;
    for (const LayoutBlock& b : layout.blocks)
      if ((b.name == join.name || (before.count(b.name) && column[b.name] > column[fork])) &&
          b.kind != BlockKind::Input) {
        group.blocks.push_back(b.name);
        nodes.insert(nodes.end(), b.nodes.begin(), b.nodes.end());
      }
    // A block already in another group (a U-Net's concat around a nested
    // residual) keeps its first group: groups never overlap.
    bool overlaps = false;
    for (const LayoutGroup& g : layout.groups)
      for (const std::string& b : g.blocks)
        overlaps = overlaps || std::find(group.blocks.begin(), group.blocks.end(), b) != group.blocks.end();
    if (overlaps || group.blocks.size() < 2) continue;
    ++unnamed;
    group.name = common_path(nodes);
    if (group.name.empty() || layout.find(group.name) || layout.group(group.name))
      group.name = "block " + std::to_string(unnamed);
    layout.groups.push_back(std::move(group));
  }
}

}  // namespace

std::string short_node_name(const std::string& name) {
  if (name.empty() || name[0] != '/') return name;
  std::string path = name;
  if (const size_t cut = path.rfind("_output_"); cut != std::string::npos) path.resize(cut);
  std::vector<std::string> parts;
  size_t at = 1;
  while (at <= path.size()) {
    const size_t end = std::min(path.find('/', at), path.size());
    if (end > at) parts.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  if (parts.empty()) return name;
  // The last part is the op ("Conv", "Relu_1") when it starts in capitals.
  const bool op_last = parts.size() >= 2 && std::isupper(static_cast<unsigned char>(parts.back()[0]));
  return op_last ? parts[parts.size() - 2] : parts.back();
}

std::string block_summary(const Graph& graph, const LayoutBlock& block) {
  if (block.kind == BlockKind::Input) {
    if (block.name == "gray") return tr("L channel of the photo");
    if (block.name == "category") return tr("category id");
    return tr("the photo, prepared as the model expects");
  }
  if (block.kind == BlockKind::Group)
    return format(tr("residual block: %d layers whose sum with the block's input goes on"),
                  static_cast<int>(block.nodes.size()));
  if (block.kind == BlockKind::Unsupported)
    return format(tr("%s: not supported; the run stops before it"), block.brief.c_str());
  std::string text;
  for (size_t i = 0; i < block.nodes.size(); ++i) {
    const GraphNode* node = graph.find(block.nodes[i]);
    if (!node) continue;
    if (i > 0) {
      // The op names stay as the code writes them.
      text += node->op == OpKind::BatchNorm2d ? " + BN"
              : node->op == OpKind::Relu      ? " + ReLU"
                                              : " + " + std::string(reference::unary_op_name(node->unary.op));
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
      case OpKind::Pool2d:
      case OpKind::GlobalAveragePool:
        text = format(tr("pooling %s"), pool_brief(*node).c_str());
        break;
      case OpKind::Gemm:
      case OpKind::MatMul:
        text = tr("fully connected (every input times a weight, summed, per output)");
        break;
      case OpKind::Reshape:
        text = tr("flatten (the same numbers in one row)");
        break;
      case OpKind::Softmax:
        text = tr("softmax (scores to shares that add up to 100%)");
        break;
      case OpKind::Elementwise:
        text = block.kind == BlockKind::Join ? std::string(tr("add (the residual join)"))
                                             : std::string(reference::binary_op_name(node->binary));
        break;
      case OpKind::Activation:
        text = reference::unary_op_name(node->unary.op);
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

const LayoutGroup* GraphLayout::group(const std::string& name) const {
  for (const LayoutGroup& g : groups)
    if (g.name == name) return &g;
  return nullptr;
}

Result<GraphLayout> layout_graph(const Graph& graph, int64_t side) {
  auto shapes = example_shapes(graph, side);
  if (!shapes.ok()) return shapes.error();
  // How many nodes read each activation: a batch norm or ReLU joins the
  // block before it only when that block's value goes nowhere else.
  std::map<std::string, int> readers;
  for (const GraphNode& node : graph.nodes())
    for (const std::string& input : node.inputs) ++readers[input];

  GraphLayout layout;
  std::map<std::string, size_t> block_of;  // activation -> block index
  for (const GraphInput& input : graph.inputs()) {
    LayoutBlock block;
    block.name = block.label = input.name;
    block.kind = BlockKind::Input;
    block.shape = shapes->at(input.name);
    block.column = 0;
    block_of[input.name] = layout.blocks.size();
    layout.blocks.push_back(block);
  }
  for (const GraphNode& node : graph.nodes()) {
    // A batch norm or activation right after a convolution belongs to it;
    // so does the activation after a residual Add.
    const LayoutBlock* last = layout.blocks.empty() ? nullptr : &layout.blocks.back();
    const bool after_conv = last &&
                            (last->kind == BlockKind::Conv || last->kind == BlockKind::TransposedConv) &&
                            (node.op == OpKind::BatchNorm2d || is_activation(node));
    const GraphNode* last_node = last && !last->nodes.empty() ? graph.find(last->nodes.front()) : nullptr;
    const bool after_add = last && last->kind == BlockKind::Join && last_node &&
                           last_node->op == OpKind::Elementwise && is_activation(node);
    const bool follows = (after_conv || after_add) && node.inputs.size() == 1 &&
                         last->name == node.inputs[0] && readers[node.inputs[0]] == 1;
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
    block.column = layout.blocks.empty() ? 1 : layout.blocks.back().column + 1;
    block.kind = kind_of(graph, node);
    if (block.kind == BlockKind::Conv || block.kind == BlockKind::TransposedConv)
      block.brief = conv_brief(node);
    if (block.kind == BlockKind::Pool) block.brief = pool_brief(node);
    if (node.op == OpKind::Gemm || node.op == OpKind::MatMul)
      block.brief = "fc " + std::to_string(block.shape.empty() ? 0 : block.shape.back());
    if (node.op == OpKind::Reshape) block.brief = "flatten";
    if (node.op == OpKind::Softmax) block.brief = "softmax";
    // Edges into the block. An embedding reads only the category (the map
    // it is sized to is not data); a join's first input is the main flow and
    // the rest are skips or embeddings.
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const std::string& input = node.inputs[i];
      if (node.op == OpKind::EmbedBroadcast && input != "category") continue;
      if (graph.is_constant(input)) continue;  // weights and constants are not data flow
      const auto source = block_of.find(input);
      if (source == block_of.end())
        return Error{"graph layout: node '" + node.name + "' reads unknown '" + input + "'"};
      const LayoutBlock& from = layout.blocks[source->second];
      EdgeKind kind = EdgeKind::Flow;
      if (from.kind == BlockKind::Embedding)
        kind = EdgeKind::Embedding;
      else if (block.kind == BlockKind::Join && i > 0)
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
  // Levels from the first image input's height (ECNN's gray: `side`).
  int64_t top = side;
  for (const LayoutBlock& block : layout.blocks)
    if (block.kind == BlockKind::Input && block.shape.size() == 4 && block.shape[2] > 0) {
      top = block.shape[2];
      break;
    }
  for (LayoutBlock& block : layout.blocks) {
    // An exporter's block is named by its last node (the ReLU); the box by its first (the conv).
    block.label = short_node_name(
        block.name.find('/') == std::string::npos || block.nodes.empty() ? block.name : block.nodes.front());
    block.summary = block_summary(graph, block);
    if (block.shape.size() == 4 && block.shape[2] > 0)
      block.level = std::max(0, static_cast<int>(std::lround(std::log2(
                                    static_cast<double>(top) / static_cast<double>(block.shape[2])))));
    layout.deepest = std::max(layout.deepest, block.level);
  }
  // A classifier's head (vectors, no image) sits on the deepest row.
  for (LayoutBlock& block : layout.blocks)
    if (block.kind != BlockKind::Input && block.shape.size() != 4) block.level = layout.deepest;
  find_groups(graph, layout);
  return layout;
}

void add_unsupported_block(GraphLayout& layout, const std::string& node, const std::string& op,
                           const std::string& input) {
  const LayoutBlock* from = nullptr;
  for (const LayoutBlock& b : layout.blocks)
    if (b.name == input || std::find(b.nodes.begin(), b.nodes.end(), input) != b.nodes.end()) from = &b;
  if (!from && !layout.blocks.empty()) from = &layout.blocks.back();
  LayoutBlock block;
  block.name = node;
  block.label = short_node_name(node);
  block.kind = BlockKind::Unsupported;
  block.brief = op;
  block.summary = op;
  int column = 0;
  for (const LayoutBlock& b : layout.blocks) column = std::max(column, b.column + 1);
  block.column = column;
  block.level = from ? from->level : 0;
  if (from) layout.edges.push_back({from->name, node, EdgeKind::Flow});
  layout.blocks.push_back(std::move(block));
}

const LayoutGroup* group_of(const GraphLayout& layout, const std::string& block) {
  for (const LayoutGroup& g : layout.groups)
    if (std::find(g.blocks.begin(), g.blocks.end(), block) != g.blocks.end()) return &g;
  return nullptr;
}

GraphLayout fold_layout(const GraphLayout& layout, const std::vector<std::string>& folded) {
  // Each member of a folded group is drawn as its group's box.
  std::map<std::string, std::string> box_of;
  for (const LayoutGroup& g : layout.groups)
    if (std::find(folded.begin(), folded.end(), g.name) != folded.end())
      for (const std::string& b : g.blocks) box_of[b] = g.name;
  const auto box = [&](const std::string& block) {
    auto it = box_of.find(block);
    return it == box_of.end() ? block : it->second;
  };
  GraphLayout out;
  out.deepest = layout.deepest;
  std::map<std::string, size_t> group_at;  // group name -> its index in out.blocks
  int column = -1, last_old = -1;
  for (const LayoutBlock& b : layout.blocks) {
    const std::string name = box(b.name);
    if (name != b.name) {
      if (auto at = group_at.find(name); at != group_at.end()) {
        LayoutBlock& group = out.blocks[at->second];
        group.nodes.insert(group.nodes.end(), b.nodes.begin(), b.nodes.end());
        group.shape = b.shape;  // the group's output: its last block's
        group.level = b.level;
        continue;
      }
      group_at[name] = out.blocks.size();
      LayoutBlock group;
      group.name = group.label = name;
      group.kind = BlockKind::Group;
      group.nodes = b.nodes;
      group.shape = b.shape;
      group.level = b.level;
      group.column = ++column;
      last_old = b.column;
      out.blocks.push_back(std::move(group));
      continue;
    }
    LayoutBlock copy = b;
    // Inputs share column 0; every other block its own column.
    if (b.column != last_old || column < 0) ++column;
    last_old = b.column;
    copy.column = column;
    out.blocks.push_back(std::move(copy));
  }
  for (LayoutBlock& b : out.blocks)
    if (b.kind == BlockKind::Group)
      b.summary = format(tr("residual block: %d layers whose sum with the block's input goes on"),
                         static_cast<int>(b.nodes.size()));
  std::set<std::pair<std::string, std::string>> seen;
  for (const LayoutEdge& e : layout.edges) {
    const std::string from = box(e.from), to = box(e.to);
    if (from == to || !seen.insert({from, to}).second) continue;
    out.edges.push_back({from, to, from != e.from || to != e.to ? EdgeKind::Flow : e.kind});
  }
  for (const LayoutGroup& g : layout.groups)
    if (std::find(folded.begin(), folded.end(), g.name) == folded.end()) out.groups.push_back(g);
  return out;
}

}  // namespace convlab
