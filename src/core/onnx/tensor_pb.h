// Inside core/onnx: a TensorProto's values as a float Tensor (integers
// converted exactly up to 2^24), from inline bytes, typed fields or an
// external data file beside the model. Every error names the tensor.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "core/base/tensor.h"

namespace convlab::onnx_model {

Result<Tensor> tensor_from_proto(const onnx::TensorProto& t, const std::string& base_dir,
                                 const std::string& what);
// Integer values as int64 (shape sizes, pads, axes, indices).
Result<std::vector<int64_t>> int64_values(const onnx::TensorProto& t, const std::string& base_dir,
                                          const std::string& what);
bool is_integer_type(int data_type);

}  // namespace convlab::onnx_model
