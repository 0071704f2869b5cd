// A ConvLab Model written out as an ONNX file (opset 17), so what
// `convlab train` makes opens in ConvLab, Netron, onnxruntime or PyTorch
// tools alike. The ops a trained graph has: Conv, ConvTranspose,
// BatchNormalization, Relu, Concat, MaxPool / AveragePool, Flatten / Reshape
// and Gemm; any other op is refused by name. The written model passes
// ONNX's checker before it is saved (atomically: never half a file).
#pragma once

#include <map>
#include <string>

#include "core/model/model.h"

namespace convlab::onnx_model {

// `metadata`: the model's metadata_props (convlab.labels, convlab.mean, ...:
// see README, "Your own CNN (ONNX)"). `doc`: the graph's doc_string.
Result<std::string> onnx_bytes(const Model& model, const std::map<std::string, std::string>& metadata,
                               const std::string& doc = {});
Status write_onnx_file(const std::string& path, const Model& model,
                       const std::map<std::string, std::string>& metadata, const std::string& doc = {});

}  // namespace convlab::onnx_model
