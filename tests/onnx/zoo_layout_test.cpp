// The network panel's diagram of PyTorch-exported networks (tests/data/onnx/zoo):
// residual joins, concatenations, pools and classifier heads get boxes and
// edges, and ResNet's basic blocks are groups that fold into one box each.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/model/graph_layout.h"
#include "core/onnx/onnx_graph.h"

using namespace convlab;

namespace {

GraphLayout zoo_layout(const std::string& name) {
  auto loaded =
      onnx_model::load_onnx_file(std::string(CONVLAB_TEST_DATA_DIR) + "/onnx/zoo/" + name + "/model.onnx");
  REQUIRE_MESSAGE(loaded.ok(), loaded.message());
  auto layout = layout_graph(loaded->model.graph, 224);
  REQUIRE_MESSAGE(layout.ok(), layout.message());
  return std::move(layout).value();
}

int count(const GraphLayout& layout, BlockKind kind) {
  return static_cast<int>(std::count_if(layout.blocks.begin(), layout.blocks.end(),
                                        [&](const LayoutBlock& b) { return b.kind == kind; }));
}

int count(const GraphLayout& layout, EdgeKind kind) {
  return static_cast<int>(std::count_if(layout.edges.begin(), layout.edges.end(),
                                        [&](const LayoutEdge& e) { return e.kind == kind; }));
}

int columns(const GraphLayout& layout) {
  int n = 0;
  for (const LayoutBlock& b : layout.blocks) n = std::max(n, b.column + 1);
  return n;
}

// Every edge joins two blocks that exist, left to right.
void check_edges(const GraphLayout& layout) {
  for (const LayoutEdge& e : layout.edges) {
    const LayoutBlock *from = layout.find(e.from), *to = layout.find(e.to);
    REQUIRE_MESSAGE(from != nullptr, e.from);
    REQUIRE_MESSAGE(to != nullptr, e.to);
    CHECK(from->column < to->column);
  }
}

}  // namespace

TEST_CASE("layout of the zoo's ResNet-18: 8 residual joins, 3 downsampling branches, a pooled linear head") {
  const GraphLayout layout = zoo_layout("resnet18_opset17");
  check_edges(layout);
  CHECK(count(layout, BlockKind::Input) == 1);
  CHECK(count(layout, BlockKind::Join) == 8);
  CHECK(count(layout, EdgeKind::Skip) == 8);    // one into each join
  CHECK(count(layout, BlockKind::Conv) == 20);  // stem, 2 per block, 3 downsampling 1x1
  CHECK(count(layout, BlockKind::Pool) == 2);   // the stem's max pool, the global average
  CHECK(count(layout, BlockKind::Head) >= 2);   // flatten, linear
  REQUIRE(layout.groups.size() == 8);
  CHECK(layout.groups.front().name == "layers.0");
  // A block with a downsampling branch: conv1, conv2, the 1x1 conv, the join.
  const LayoutGroup* second_stage = layout.group("layers.2");
  REQUIRE(second_stage != nullptr);
  CHECK(second_stage->blocks.size() == 4);
  // A box's short name: the layer's own part of the exporter's path.
  std::vector<std::string> labels;
  for (const std::string& b : second_stage->blocks) labels.push_back(layout.find(b)->label);
  CHECK(std::find(labels.begin(), labels.end(), "conv1") != labels.end());
  CHECK(std::find(labels.begin(), labels.end(), "downsample.0") != labels.end());
  CHECK(layout.deepest >= 4);

  // Folded: one box per basic block, the stem and the head around them.
  std::vector<std::string> all;
  for (const LayoutGroup& g : layout.groups) all.push_back(g.name);
  const GraphLayout folded = fold_layout(layout, all);
  check_edges(folded);
  CHECK(count(folded, BlockKind::Group) == 8);
  CHECK(count(folded, BlockKind::Join) == 0);
  CHECK(folded.groups.empty());
  CHECK(columns(folded) <= 16);
  CHECK(columns(layout) > 30);
  const LayoutBlock* block = folded.find("layers.2");
  REQUIRE(block != nullptr);
  CHECK(block->nodes.size() >= 6);
  // Unfolding one again brings back its blocks only.
  std::vector<std::string> but_one(all.begin() + 1, all.end());
  const GraphLayout partly = fold_layout(layout, but_one);
  check_edges(partly);
  CHECK(count(partly, BlockKind::Group) == 7);
  CHECK(count(partly, BlockKind::Join) == 1);
  CHECK(partly.groups.size() == 1);
}

TEST_CASE("layout of the zoo's U-Net: concatenation joins with skips, transposed convs, no residual groups") {
  const GraphLayout layout = zoo_layout("unet_opset17");
  check_edges(layout);
  CHECK(count(layout, BlockKind::Join) == 2);
  CHECK(count(layout, EdgeKind::Skip) == 2);
  CHECK(count(layout, BlockKind::TransposedConv) == 2);
  CHECK(count(layout, BlockKind::Pool) == 2);
  CHECK(layout.groups.empty());
  CHECK(layout.deepest == 2);
}

TEST_CASE(
    "layout of the zoo's TinyVGG: conv + ReLU blocks, two pools, flatten, linear and softmax on the bottom "
    "row") {
  const GraphLayout layout = zoo_layout("tinyvgg_opset17");
  check_edges(layout);
  CHECK(count(layout, BlockKind::Conv) == 4);
  CHECK(count(layout, BlockKind::Pool) == 2);
  CHECK(count(layout, BlockKind::Head) == 3);
  CHECK(layout.groups.empty());
  for (const LayoutBlock& b : layout.blocks) {
    if (b.kind == BlockKind::Conv) CHECK(b.nodes.size() == 2);  // conv + ReLU
    if (b.kind == BlockKind::Head) CHECK(b.level == layout.deepest);
  }
  CHECK(layout.deepest == 2);  // 64 -> 16
  // A graph that stopped at an unsupported node: that node drawn after its input.
  GraphLayout stopped = layout;
  add_unsupported_block(stopped, "/weird/Einsum_output_0", "Einsum", layout.blocks.back().name);
  check_edges(stopped);
  CHECK(stopped.blocks.back().kind == BlockKind::Unsupported);
  CHECK(stopped.blocks.back().label == "weird");
}

TEST_CASE("short names of exported nodes") {
  CHECK(short_node_name("/layers/layers.0/conv1/Conv_output_0") == "conv1");
  CHECK(short_node_name("/stem/stem.0/Conv_output_0") == "stem.0");
  CHECK(short_node_name("/classifier/Gemm_output_0") == "classifier");
  CHECK(short_node_name("/Flatten_output_0") == "Flatten");
  CHECK(short_node_name("output") == "output");
  CHECK(short_node_name("c1") == "c1");
}
