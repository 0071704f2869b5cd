#include "core/onnx/onnx_load.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <exception>

#include "core/io/safetensors.h"

namespace convlab::onnx_model {

namespace {

bool has_external_data(const onnx::GraphProto& graph) {
  for (const auto& init : graph.initializer())
    if (init.data_location() == onnx::TensorProto::EXTERNAL) return true;
  return false;
}

}  // namespace

Result<CheckedModel> parse_checked_model(const std::string& bytes, const std::string& source,
                                         const std::string& path) {
  CheckedModel checked;
  onnx::ModelProto& model = checked.proto;
  if (bytes.empty() || !model.ParseFromString(bytes))
    return make_error(source, " is not an ONNX model: its bytes do not parse as an ONNX ModelProto (",
                      bytes.empty() ? "the file is empty" : "a truncated file, or another format", ")");
  // The checker looks for external data files beside the model file, which
  // only the variant that reads the file knows.
  const bool external = has_external_data(model.graph());
  if (external && path.empty())
    return make_error(source, " keeps weights in external data files, which need the model opened as a file");
  try {
    if (external)
      onnx::checker::check_model(path);
    else
      onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    return make_error(source, " fails ONNX's model checker: ", e.what());
  }
  for (const auto& opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx") checked.opset = opset.version();
  if (checked.opset < kMinOpset || checked.opset > kMaxOpset)
    return make_error(source, " uses ONNX opset ", checked.opset, "; ConvLab reads opsets ", kMinOpset,
                      " to ", kMaxOpset,
                      ": export it again with an opset in that range (PyTorch: opset_version=17)");
  try {
    onnx::shape_inference::InferShapes(model);
  } catch (const std::exception& e) {
    return make_error(source, ": ONNX's shape inference fails: ", e.what());
  }
  return checked;
}

Result<std::string> read_model_file(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes.ok()) return bytes.error();
  if (bytes->size() > static_cast<size_t>(INT_MAX))
    return make_error(
        path, " is ", bytes->size(),
        " bytes; an ONNX file holds at most 2 GiB (larger models keep their weights in external "
        "data files)");
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace convlab::onnx_model
