#include "cli/model_args.h"

#include "cli/cli_common.h"
#include "core/io/asset_paths.h"

namespace convlab::cli {

Result<Graph> builtin_graph(const std::string& arch) {
  if (arch != "advanced" && arch != "basic")
    return make_error("--arch '", arch,
                      "' is not an architecture; valid: advanced (the full ECNN), basic (the small one)");
  auto graph = Graph::builtin(arch);
  if (!graph) return with_context("--arch " + arch + ": ", graph.error());
  return graph;
}

Result<Model> load_or_random(const Graph& graph, const std::string& weights_path,
                             std::optional<int64_t> seed) {
  if (seed) {
    if (*seed < 0) return make_error("--random-weights: the seed must be >= 0, got ", *seed);
    return random_model(graph, static_cast<uint64_t>(*seed));
  }
  auto model = load_model(graph, weights_path);
  if (!model) return model.error();
  return model;
}

std::optional<std::string> find_default_weights(const std::string& arch, std::string* searched) {
  return find_asset("models/ecnn_" + arch + ".safetensors", searched);
}

}  // namespace convlab::cli
