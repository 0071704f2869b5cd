// A classifier's top classes and its softmax in numbers.
#include "core/model/class_scores.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace convlab;

TEST_CASE("top-5 classes: labels, logits, exp(logit - max) and shares that add up with the rest") {
  const std::vector<float> logits = {1.0f, 3.0f, 0.5f, 3.0f, -2.0f, 2.0f, 0.0f};
  const std::vector<std::string> labels = {"a", "b", "c", "d", "e", "f"};  // one short
  const auto top = top_classes(logits, labels, 5);
  REQUIRE(top.size() == 5);
  // Ties by index: b before d.
  CHECK(top[0].index == 1);
  CHECK(top[0].label == "b");
  CHECK(top[1].index == 3);
  CHECK(top[2].index == 5);
  CHECK(top[3].index == 0);
  CHECK(top[4].index == 2);
  CHECK(top[0].logit == 3.0);
  CHECK(top[0].shifted == doctest::Approx(1.0));
  CHECK(top[2].shifted == doctest::Approx(std::exp(-1.0)));
  double sum = 0;
  for (float v : logits) sum += std::exp(static_cast<double>(v) - 3.0);
  CHECK(top[0].share == doctest::Approx(100.0 / sum));
  CHECK(top[4].share == doctest::Approx(100.0 * std::exp(-2.5) / sum));
  // The class without a label is named by its number.
  const auto all = top_classes(logits, labels, 10);
  REQUIRE(all.size() == 7);
  CHECK(all[5].label == "class 6");
  double total = 0;
  for (const ClassScore& s : all) total += s.share;
  CHECK(total == doctest::Approx(100.0));
}

TEST_CASE("top classes of huge, empty and non-finite logits stay finite") {
  CHECK(top_classes({}, {}).empty());
  const std::vector<float> huge = {1000.0f, 999.0f};
  const auto top = top_classes(huge, {}, 5);
  REQUIRE(top.size() == 2);
  CHECK(top[0].share == doctest::Approx(100.0 / (1.0 + std::exp(-1.0))));
  const std::vector<float> odd = {NAN, 1.0f, INFINITY};
  const auto ranked = top_classes(odd, {}, 3);
  REQUIRE(ranked.size() == 3);
  CHECK(ranked[0].index == 1);
  CHECK(ranked[0].share == doctest::Approx(100.0));
  CHECK(ranked[1].share == 0.0);
}

TEST_CASE("the logits of a classifier: the input of its final softmax, else its vector output") {
  Graph::Parts parts;
  parts.name = "head";
  parts.inputs = {GraphInput{"x", Shape{1, 7}, false}};
  GraphNode softmax;
  softmax.name = "probs";
  softmax.op = OpKind::Softmax;
  softmax.inputs = {"x"};
  parts.nodes = {softmax};
  parts.outputs = {"probs"};
  auto graph = Graph::assemble(parts, "test");
  REQUIRE_MESSAGE(graph.ok(), graph.message());
  CHECK(logits_node(*graph, {{"x", {1, 7}}, {"probs", {1, 7}}}) == "x");
  CHECK(logits_node(*graph, {{"x", {1, 3, 8, 8}}, {"probs", {1, 3, 8, 8}}}).empty());  // a map
}
