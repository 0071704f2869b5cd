// Inside core/onnx: reading a model file into libonnx's ModelProto, checked,
// with its opset in range and ONNX's shape inference run, for both the
// summary (`convlab model info`) and the graph reader.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>

#include "core/base/result.h"

namespace convlab::onnx_model {

inline constexpr int64_t kMinOpset = 6;
inline constexpr int64_t kMaxOpset = 17;

struct CheckedModel {
  onnx::ModelProto proto;
  int64_t opset = 0;  // of the default ("ai.onnx") domain
};

// `path`: the file the bytes came from, where the checker looks for external
// data files (empty for bytes from elsewhere: external data is then refused).
Result<CheckedModel> parse_checked_model(const std::string& bytes, const std::string& source,
                                         const std::string& path = {});
// The bytes of a model file, refusing files over protobuf's 2 GiB limit.
Result<std::string> read_model_file(const std::string& path);

}  // namespace convlab::onnx_model
