#include "app/colorizer_model.h"

#include <filesystem>

#include "core/base/i18n.h"
#include "core/io/asset_paths.h"

namespace convlab::app {

void ColorizerModel::set_label(const char* format_english, const std::string& argument) {
  label_format = format_english;
  label_argument = argument;
  label = format(format_english, argument.c_str());
}

std::string ColorizerModel::shown_label() const { return format(tr(label_format), label_argument.c_str()); }

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
    loaded->set_label(tr_noop("trained weights (%s)"), std::filesystem::path(*path).filename().string());
    loaded->trained = true;
  } else {
    loaded->model = random_model(graph.value(), 1);
    loaded->set_label(tr_noop("random weights: no trained model is installed (%s)"),
                      "assets/models/ecnn_advanced.safetensors");
  }
  cached = std::move(loaded);
  return cached;
}

}  // namespace convlab::app
