#include "core/onnx/onnx_load.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <exception>

#include "core/io/safetensors.h"

namespace convlab::onnx_model {

Result<CheckedModel> parse_checked_model(const std::string& bytes, const std::string& source) {
  CheckedModel checked;
  onnx::ModelProto& model = checked.proto;
  if (bytes.empty() || !model.ParseFromString(bytes))
    return make_error(source, " is not an ONNX model: its bytes do not parse as an ONNX ModelProto (",
                      bytes.empty() ? "the file is empty" : "a truncated file, or another format", ")");
  try {
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
