#include "core/model/graph_text.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/model/graph.h"

using namespace convlab;

TEST_CASE("every description of the built-in models is listed for translation") {
  const auto& listed = builtin_graph_texts();
  const auto has = [&](const std::string& text) {
    return std::any_of(listed.begin(), listed.end(), [&](const char* t) { return text == t; });
  };
  for (const std::string& arch : Graph::builtin_names()) {
    auto graph = Graph::builtin(arch);
    REQUIRE(graph.ok());
    CHECK_MESSAGE(has(graph->description()), arch << ": " << graph->description());
    for (const GraphNode& node : graph->nodes())
      if (!node.description.empty()) CHECK_MESSAGE(has(node.description), arch << " " << node.name);
  }
  // Without a catalog a description is shown as written.
  CHECK(std::string(graph_text("Batch normalization of the 64 channels.")) ==
        "Batch normalization of the 64 channels.");
  CHECK(std::string(graph_text("")).empty());
}
