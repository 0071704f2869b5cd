// Runs any graph node by node on a Backend: each op through run_op(), so a
// graph read from ONNX runs on the GPU backend's compute shaders exactly as
// its ops are tested there (test_every_op_every_backend). The CPU graph
// runner (core/model/runner.h) is the fast way on the CPU; this is the way
// on any backend, one upload and download per op.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/backend/backend.h"
#include "core/model/model.h"

namespace convlab {

// Every node's value by name (inputs as given). `categories` feed embed nodes.
Result<std::map<std::string, Tensor>> run_graph_on(Backend& backend, const Model& model,
                                                   const std::map<std::string, Tensor>& inputs,
                                                   const std::vector<int64_t>& categories = {});

}  // namespace convlab
