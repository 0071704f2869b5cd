#include "app/model_opener.h"

#include <algorithm>

#include "core/base/i18n.h"
#include "core/io/asset_paths.h"
#include "core/io/safetensors.h"
#include "core/model/classifier.h"

namespace convlab::app {

namespace {
ModelOpener& opener() {
  static ModelOpener installed;
  return installed;
}
}  // namespace

void set_model_opener(ModelOpener o) { opener() = std::move(o); }

RecipeMemory& recipe_memory() {
  static RecipeMemory memory;
  return memory;
}

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

Result<OpenedModel> open_classifier_twin(const std::string& path) {
  auto file = read_safetensors(path);
  if (!file) return file.error();
  auto model = tiny_vgg_from_safetensors(*file, path);
  if (!model) return model.error();
  OpenedModel opened;
  opened.model = std::make_shared<const Model>(std::move(model).value());
  opened.metadata = file->metadata();
  opened.format = "ConvLab TinyVGG";
  return opened;
}

}  // namespace

bool reads_onnx() { return static_cast<bool>(opener()); }

Result<OpenedModel> open_model_file(const std::string& path) {
  if (ends_with(path, ".safetensors")) return open_classifier_twin(path);
  if (!opener())
    return Error{format(tr("%s: this build reads no ONNX files; it opens the bundled models (%s) and "
                           "classifiers saved as .safetensors by convlab train"),
                        path.c_str(), "tinyvgg")};
  return opener()(path);
}

std::vector<std::string> bundled_model_names() { return {"tinyvgg"}; }

Result<std::string> bundled_model_path(const std::string& name) {
  const auto names = bundled_model_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string valid;
    for (const auto& n : names) valid += (valid.empty() ? "" : ", ") + n;
    return Error{format(tr("'%s' is not a bundled model; bundled: %s (or a file's path)"), name.c_str(),
                        valid.c_str())};
  }
  const std::string relative = "models/" + name + (reads_onnx() ? ".onnx" : ".safetensors");
  std::string searched;
  auto found = find_asset(relative, &searched);
  if (!found)
    return Error{format(tr("the bundled model %s is missing: looked for %s in %s"), name.c_str(),
                        relative.c_str(), searched.c_str())};
  return *found;
}

Result<std::string> model_file_for(const std::string& path_or_name) {
  if (path_or_name.find('/') == std::string::npos && path_or_name.find('.') == std::string::npos)
    return bundled_model_path(path_or_name);
  return path_or_name;
}

}  // namespace convlab::app
