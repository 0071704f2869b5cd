// The desktop app's model reader: ONNX files through core/onnx, with the
// labels.txt beside the file (app/model_opener.h).
#include "cli/app_model_opener.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/model_opener.h"
#include "core/onnx/onnx_graph.h"

namespace convlab::cli {

namespace {

Result<app::OpenedModel> open_onnx(const std::string& path) {
  auto loaded = onnx_model::load_onnx_file(path);
  if (!loaded) return loaded.error();
  auto held = std::make_shared<onnx_model::OnnxModel>(std::move(loaded).value());
  app::OpenedModel opened;
  opened.model = std::shared_ptr<const Model>(held, &held->model);
  opened.metadata = held->metadata;
  opened.format =
      "ONNX opset " + std::to_string(held->opset) + (held->producer.empty() ? "" : ", " + held->producer);
  if (held->unsupported) {
    opened.unsupported_node = held->unsupported->node;
    opened.unsupported_op = held->unsupported->op;
    opened.unsupported_why = held->unsupported->why;
  }
  const auto labels = std::filesystem::path(path).parent_path() / "labels.txt";
  std::error_code ec;
  if (std::filesystem::is_regular_file(labels, ec)) {
    std::ifstream in(labels);
    std::ostringstream text;
    text << in.rdbuf();
    opened.labels_text = text.str();
  }
  return opened;
}

}  // namespace

void install_app_model_opener() { app::set_model_opener(open_onnx); }

}  // namespace convlab::cli
