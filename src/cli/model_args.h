// Model selection shared by `colorize`, `op model` and `bench`: the
// architecture (a built-in graph) and where its weights come from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/model/model.h"

namespace convlab::cli {

// "advanced" or "basic" -> the built-in graph; errors list the valid names.
Result<Graph> builtin_graph(const std::string& arch);

// Trained weights file (if a path is given) or random weights from a seed.
// Exactly one of the two must be set; the caller checks which.
Result<Model> load_or_random(const Graph& graph, const std::string& weights_path,
                             std::optional<int64_t> seed);

// The default weights for an architecture: assets/models/ecnn_<arch>.safetensors,
// searched (1) under $CONVLAB_ASSETS only, when it is set, else (2) next to
// the executable (installed: <exe>/../share/convlab/assets; build tree:
// <exe>/../../assets), then (3) the source tree's assets. Returns the file
// found, or nullopt; `searched` receives the places looked at.
std::optional<std::string> find_default_weights(const std::string& arch, std::string* searched);

}  // namespace convlab::cli
