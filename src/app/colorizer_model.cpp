#include "app/colorizer_model.h"

#include <filesystem>

#include "core/io/asset_paths.h"

namespace convlab::app {

Result<std::shared_ptr<const ColorizerModel>> shared_colorizer() {
  static std::shared_ptr<const ColorizerModel> cached;
  if (cached) return cached;
  auto graph = Graph::builtin("advanced");
  if (!graph.ok()) return graph.error();
  auto loaded = std::make_shared<ColorizerModel>();
  if (auto path = find_asset("models/ecnn_advanced.safetensors")) {
    auto model = load_model(graph.value(), *path);
    if (!model.ok()) return model.error();
    loaded->model = std::move(model).value();
    loaded->label = "trained weights (" + std::filesystem::path(*path).filename().string() + ")";
    loaded->trained = true;
  } else {
    loaded->model = random_model(graph.value(), 1);
    loaded->label = "random weights: no trained model is installed (assets/models/ecnn_advanced.safetensors)";
  }
  cached = std::move(loaded);
  return cached;
}

}  // namespace convlab::app
