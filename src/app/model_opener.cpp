#include "app/model_opener.h"

#include "core/base/i18n.h"

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

Result<OpenedModel> open_model_file(const std::string& path) {
  if (!opener())
    return Error{
        format(tr("%s: this build opens no model files (the desktop app opens ONNX files)"), path.c_str())};
  return opener()(path);
}

}  // namespace convlab::app
