#include "cli/model_args.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "cli/cli_common.h"

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
  const std::string file = "models/ecnn_" + arch + ".safetensors";
  std::vector<std::filesystem::path> roots;
  if (const char* env = std::getenv("CONVLAB_ASSETS"); env && *env) {
    // An explicit choice: look only there, so a stale copy elsewhere cannot win.
    roots.emplace_back(env);
  } else {
    const std::string exe = executable_dir();
    if (!exe.empty()) {
      roots.push_back(std::filesystem::path(exe) / ".." / "share" / "convlab" / "assets");
      roots.push_back(std::filesystem::path(exe) / ".." / ".." / "assets");
    }
#ifdef CONVLAB_SOURCE_ASSETS
    roots.emplace_back(CONVLAB_SOURCE_ASSETS);
#endif
  }
  std::string places;
  for (const auto& root : roots) {
    const auto candidate = (root / file).lexically_normal();
    if (!places.empty()) places += ", ";
    places += candidate.string();
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
  }
  if (searched) *searched = places;
  return std::nullopt;
}

}  // namespace convlab::cli
