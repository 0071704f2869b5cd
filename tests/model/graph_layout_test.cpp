// The architecture diagram's data, from the graphs themselves: blocks,
// depths in the U, skips and embedding injections.
#include "core/model/graph_layout.h"

#include <doctest/doctest.h>

using namespace convlab;

namespace {
bool has_edge(const GraphLayout& layout, const std::string& from, const std::string& to, EdgeKind kind) {
  for (const LayoutEdge& edge : layout.edges)
    if (edge.from == from && edge.to == to && edge.kind == kind) return true;
  return false;
}
}  // namespace

TEST_CASE("layout of ECNN advanced: the U, its skips and both embedding injections") {
  auto graph = Graph::builtin("advanced");
  REQUIRE(graph.ok());
  auto layout = layout_graph(graph.value(), 256);
  REQUIRE_MESSAGE(layout.ok(), (layout.ok() ? "" : layout.message()));
  // conv + batch norm + ReLU make one block named by its output.
  const LayoutBlock* c1 = layout->find("c1");
  REQUIRE(c1 != nullptr);
  CHECK(c1->nodes == std::vector<std::string>{"conv1", "conv1_bn", "c1"});
  CHECK(c1->kind == BlockKind::Conv);
  CHECK(c1->summary == "conv 4x4 stride 2 pad 1, 32 filters + BN + ReLU");
  CHECK(c1->shape == Shape{1, 32, 128, 128});
  CHECK(c1->level == 1);
  CHECK(layout->find("c4")->level == 4);
  CHECK(layout->find("d1")->summary.find("dilation 2") != std::string::npos);
  CHECK(layout->find("d2")->level == 4);
  CHECK(layout->find("r3")->kind == BlockKind::TransposedConv);
  CHECK(layout->find("r3")->level == 3);
  CHECK(layout->find("out")->level == 0);
  CHECK(layout->deepest == 4);
  CHECK(layout->find("conv1") == nullptr);  // inside c1, not a block of its own

  CHECK(has_edge(*layout, "c3", "t3", EdgeKind::Skip));
  CHECK(has_edge(*layout, "c2", "t2", EdgeKind::Skip));
  CHECK(has_edge(*layout, "c1", "t1", EdgeKind::Skip));
  CHECK(has_edge(*layout, "gray", "t0", EdgeKind::Skip));
  CHECK(has_edge(*layout, "e0", "x0", EdgeKind::Embedding));
  CHECK(has_edge(*layout, "e1", "x1", EdgeKind::Embedding));
  CHECK(has_edge(*layout, "category", "e0", EdgeKind::Flow));
  CHECK(has_edge(*layout, "x0", "c1", EdgeKind::Flow));
  CHECK(has_edge(*layout, "r3", "t3", EdgeKind::Flow));
  // Columns follow execution order.
  CHECK(layout->find("c1")->column < layout->find("c2")->column);
  CHECK(layout->find("t3")->column < layout->find("out")->column);
}

TEST_CASE("layout of ECNN basic: no skips, two embeddings, back to full size") {
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  auto layout = layout_graph(graph.value(), 64);
  REQUIRE(layout.ok());
  for (const LayoutEdge& edge : layout->edges)
    if (edge.kind == EdgeKind::Skip) CHECK(edge.from + "->" + edge.to == "no skip expected");
  CHECK(has_edge(*layout, "e1", "x1", EdgeKind::Embedding));
  CHECK(layout->find("c2")->level == 2);
  CHECK(layout->deepest == 2);
  const LayoutBlock* out = layout->find("out");
  REQUIRE(out != nullptr);
  CHECK(out->level == 0);
  CHECK(out->nodes == std::vector<std::string>{"tconv2", "out"});
  CHECK_FALSE(layout_graph(graph.value(), 30).ok());  // not a multiple of 4
}
