#include "core/onnx/onnx_summary.h"

#include <onnx/onnx_pb.h>

#include <climits>
#include <exception>
#include <map>
#include <set>

#include "core/onnx/onnx_load.h"

namespace convlab::onnx_model {

namespace {

std::string dim_text(const onnx::TensorShapeProto_Dimension& d) {
  if (d.has_dim_value()) return std::to_string(d.dim_value());
  if (d.has_dim_param() && !d.dim_param().empty()) return d.dim_param();
  return "?";
}

std::string shape_text(const onnx::TypeProto& type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return "?";
  const auto& dims = type.tensor_type().shape().dim();
  if (dims.empty()) return "scalar";
  std::string text;
  for (const auto& d : dims) {
    if (!text.empty()) text += 'x';
    text += dim_text(d);
  }
  return text;
}

// Known dimensions; -1 for a symbolic or unknown one; empty without a shape.
std::vector<int64_t> dims_of(const onnx::TypeProto& type) {
  std::vector<int64_t> dims;
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return dims;
  for (const auto& d : type.tensor_type().shape().dim())
    dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return dims;
}

// The product of known dimensions; -1 when one is unknown.
int64_t count(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) return -1;
    n *= d;
  }
  return n;
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const char* name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::vector<int64_t> ints(const onnx::NodeProto& node, const char* name) {
  const onnx::AttributeProto* a = attribute(node, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
}

int64_t integer(const onnx::NodeProto& node, const char* name, int64_t fallback) {
  const onnx::AttributeProto* a = attribute(node, name);
  return a && a->has_i() ? a->i() : fallback;
}

std::string joined(const std::vector<int64_t>& values, const char* separator) {
  std::string text;
  for (int64_t v : values) text += (text.empty() ? "" : separator) + std::to_string(v);
  return text;
}

bool all_equal(const std::vector<int64_t>& values, int64_t value) {
  for (int64_t v : values)
    if (v != value) return false;
  return true;
}

// " /2" or " /2x1": nothing for stride 1 (and likewise d, g).
std::string pair_setting(const std::vector<int64_t>& values, const char* prefix, int64_t neutral) {
  if (values.empty() || all_equal(values, neutral)) return "";
  const bool same = all_equal(values, values.front());
  return std::string(" ") + prefix + (same ? std::to_string(values.front()) : joined(values, "x"));
}

// ONNX pads are [begin of each axis..., end of each axis...] ([top, left,
// bottom, right] in 2-D): "p1" when all sides agree, else every side.
std::string pads_setting(const onnx::NodeProto& node) {
  const onnx::AttributeProto* auto_pad = attribute(node, "auto_pad");
  if (auto_pad && auto_pad->s() != "NOTSET") return " " + auto_pad->s();
  const std::vector<int64_t> pads = ints(node, "pads");
  if (pads.empty() || all_equal(pads, 0)) return "";
  if (all_equal(pads, pads.front())) return " p" + std::to_string(pads.front());
  if (pads.size() == 4)
    return " p(t" + std::to_string(pads[0]) + " b" + std::to_string(pads[2]) + " l" +
           std::to_string(pads[1]) + " r" + std::to_string(pads[3]) + ")";
  return " p(" + joined(pads, ",") + ")";
}

// "3x3 /2 p1 d2 g4": the window of a convolution or a pool.
std::string window_settings(const onnx::NodeProto& node, std::vector<int64_t> kernel) {
  if (const std::vector<int64_t> shape = ints(node, "kernel_shape"); !shape.empty()) kernel = shape;
  std::string text = joined(kernel, "x");
  text += pair_setting(ints(node, "strides"), "/", 1) + pads_setting(node) +
          pair_setting(ints(node, "dilations"), "d", 1) + pair_setting(ints(node, "output_padding"), "op", 0);
  if (const int64_t group = integer(node, "group", 1); group != 1) text += " g" + std::to_string(group);
  if (integer(node, "ceil_mode", 0) != 0) text += " ceil";
  if (node.op_type() == "AveragePool" && integer(node, "count_include_pad", 0) != 0) text += " count pad";
  return text;
}

class Summarizer {
 public:
  Summarizer(const onnx::ModelProto& model) : graph_(model.graph()) {
    for (const auto& init : graph_.initializer()) {
      std::vector<int64_t> dims(init.dims().begin(), init.dims().end());
      initializers_[init.name()] = dims;
    }
    // Each list by reference: the types are kept as pointers into the graph.
    for (const auto& value : graph_.input()) types_[value.name()] = &value.type();
    for (const auto& value : graph_.value_info()) types_[value.name()] = &value.type();
    for (const auto& value : graph_.output()) types_[value.name()] = &value.type();
  }

  LayerInfo layer(const onnx::NodeProto& node) {
    LayerInfo info;
    info.name = !node.name().empty() ? node.name() : node.output_size() > 0 ? node.output(0) : node.op_type();
    info.op = node.op_type();
    const std::vector<int64_t> out = node.output_size() > 0 ? dims(node.output(0)) : std::vector<int64_t>{};
    info.output =
        node.output_size() > 0 && types_.count(node.output(0)) ? shape_text(*types_[node.output(0)]) : "?";
    for (const std::string& input : node.input())
      if (initializers_.count(input) && counted_.insert(input).second)
        info.parameters += count(initializers_[input]);
    const std::vector<int64_t> weight = node.input_size() > 1 ? dims(node.input(1)) : std::vector<int64_t>{};
    const std::string& op = node.op_type();
    if (op == "Conv" || op == "ConvTranspose") {
      // Conv weights are (out, in/group, kh, kw); ConvTranspose's (in, out/group, kh, kw).
      const int64_t group = integer(node, "group", 1);
      const bool conv = op == "Conv";
      std::vector<int64_t> kernel;
      if (weight.size() > 2) {
        kernel.assign(weight.begin() + 2, weight.end());
        info.settings = std::to_string(conv ? weight[1] * group : weight[0]) + " -> " +
                        std::to_string(conv ? weight[0] : weight[1] * group) + ", ";
      }
      info.settings += window_settings(node, kernel);
      // Each output (Conv) or input (ConvTranspose) value meets one weight
      // slice: the other side's channels per group times the kernel's taps.
      const int64_t per_value = weight.size() > 1 ? count({weight.begin() + 1, weight.end()}) : -1;
      const int64_t values = conv ? count(out) : count(dims(node.input(0)));
      if (per_value > 0 && values > 0) info.multiply_adds = values * per_value;
    } else if (op == "MaxPool" || op == "AveragePool") {
      info.settings = window_settings(node, {});
    } else if (op == "Gemm" && weight.size() == 2) {
      const bool trans_b = integer(node, "transB", 0) != 0;
      const int64_t k = trans_b ? weight[1] : weight[0], n = trans_b ? weight[0] : weight[1];
      info.settings = std::to_string(k) + " -> " + std::to_string(n);
      if (count(out) > 0) info.multiply_adds = count(out) * k;
    } else if (op == "MatMul") {
      const std::vector<int64_t> a = dims(node.input(0));
      if (!a.empty() && a.back() > 0 && count(out) > 0) info.multiply_adds = count(out) * a.back();
    } else if (op == "Flatten" || op == "Concat" || op == "Softmax" || op == "LogSoftmax") {
      info.settings = "axis " + std::to_string(integer(node, "axis", op == "Concat" ? 0 : 1));
    }
    return info;
  }

  std::vector<int64_t> dims(const std::string& name) const {
    if (auto it = initializers_.find(name); it != initializers_.end()) return it->second;
    if (auto it = types_.find(name); it != types_.end()) return dims_of(*it->second);
    return {};
  }

 private:
  const onnx::GraphProto& graph_;
  std::map<std::string, std::vector<int64_t>> initializers_;
  std::map<std::string, const onnx::TypeProto*> types_;
  std::set<std::string> counted_;  // initializers already counted (shared weights count once)
};

}  // namespace

namespace {

Result<ModelSummary> summarize(const std::string& bytes, const std::string& source, const std::string& path) {
  auto checked = parse_checked_model(bytes, source, path);
  if (!checked) return checked.error();
  const onnx::ModelProto& model = checked->proto;
  ModelSummary summary;
  summary.opset = checked->opset;
  summary.producer =
      model.producer_name() + (model.producer_version().empty() ? "" : " " + model.producer_version());
  const onnx::GraphProto& graph = model.graph();
  std::set<std::string> initializer_names;
  for (const auto& init : graph.initializer()) initializer_names.insert(init.name());
  for (const auto& input : graph.input())
    if (!initializer_names.count(input.name()))
      summary.inputs.push_back({input.name(), shape_text(input.type())});
  for (const auto& output : graph.output())
    summary.outputs.push_back({output.name(), shape_text(output.type())});
  Summarizer summarizer(model);
  for (const auto& node : graph.node()) {
    summary.layers.push_back(summarizer.layer(node));
    summary.parameters += std::max<int64_t>(summary.layers.back().parameters, 0);
    summary.multiply_adds += summary.layers.back().multiply_adds;
  }
  return summary;
}

}  // namespace

Result<ModelSummary> summarize_bytes(const std::string& bytes, const std::string& source) {
  return summarize(bytes, source, "");
}

Result<ModelSummary> summarize_file(const std::string& path) {
  auto bytes = read_model_file(path);
  if (!bytes) return bytes.error();
  return summarize(*bytes, path, path);
}

}  // namespace convlab::onnx_model
