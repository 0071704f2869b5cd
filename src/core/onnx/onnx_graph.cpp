// ONNX ModelProto -> Graph + weights. One pass over the nodes in order:
// integer tensors that only size things (Shape -> Gather -> Unsqueeze ->
// Concat -> Reshape, Constant, Cast, Slice) are folded into constants; every
// other node becomes a graph node, its settings read from ONNX's attributes.
#include "core/onnx/onnx_graph.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <variant>

#include "core/onnx/onnx_load.h"
#include "core/onnx/tensor_pb.h"

namespace convlab::onnx_model {

const std::vector<std::string>& supported_ops() {
  static const std::vector<std::string> ops = {"Conv",
                                               "ConvTranspose",
                                               "BatchNormalization",
                                               "Relu",
                                               "LeakyRelu",
                                               "PRelu",
                                               "Sigmoid",
                                               "Tanh",
                                               "Clip",
                                               "MaxPool",
                                               "AveragePool",
                                               "GlobalAveragePool",
                                               "Flatten",
                                               "Gemm",
                                               "MatMul",
                                               "Add",
                                               "Sub",
                                               "Mul",
                                               "Div",
                                               "Concat",
                                               "Reshape",
                                               "Softmax",
                                               "LogSoftmax",
                                               "Resize",
                                               "Upsample",
                                               "Pad",
                                               "Dropout",
                                               "Identity",
                                               "Constant",
                                               "Shape",
                                               "Gather",
                                               "Unsqueeze",
                                               "Squeeze",
                                               "Cast",
                                               "Slice",
                                               "Expand",
                                               "ConstantOfShape",
                                               "Equal",
                                               "Where"};
  return ops;
}

namespace {

std::string supported_list() {
  std::string text;
  for (const std::string& op : supported_ops()) text += (text.empty() ? "" : ", ") + op;
  return text;
}

// An integer known when the model loads, or dimension `dim` of the value
// `of` when that is only known at run time (a free batch size).
struct Atom {
  int64_t value = 0;
  std::string of;
  int64_t dim = -1;
  bool known() const { return of.empty(); }
};

// Why a node cannot become part of the graph (the model still loads up to it).
struct Unsupported {
  std::string why;
};

const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const char* name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}
int64_t attr_int(const onnx::NodeProto& node, const char* name, int64_t fallback) {
  const auto* a = attribute(node, name);
  return a ? a->i() : fallback;
}
float attr_float(const onnx::NodeProto& node, const char* name, float fallback) {
  const auto* a = attribute(node, name);
  return a ? a->f() : fallback;
}
std::string attr_string(const onnx::NodeProto& node, const char* name, const std::string& fallback) {
  const auto* a = attribute(node, name);
  return a ? a->s() : fallback;
}
std::vector<int64_t> attr_ints(const onnx::NodeProto& node, const char* name) {
  const auto* a = attribute(node, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
}
std::vector<float> attr_floats(const onnx::NodeProto& node, const char* name) {
  const auto* a = attribute(node, name);
  return a ? std::vector<float>(a->floats().begin(), a->floats().end()) : std::vector<float>{};
}

std::string display_name(const onnx::NodeProto& node) {
  return !node.name().empty() ? node.name() : node.output_size() > 0 ? node.output(0) : node.op_type();
}

class Reader {
 public:
  Reader(const onnx::ModelProto& model, int64_t opset, std::string source, std::string base_dir,
         const std::map<std::string, Tensor>& bound)
      : model_(model),
        opset_(opset),
        source_(std::move(source)),
        base_dir_(std::move(base_dir)),
        bound_(bound) {}

  Result<OnnxModel> read() {
    const onnx::GraphProto& graph = model_.graph();
    for (const auto& value : graph.input()) types_[value.name()] = &value.type();
    for (const auto& value : graph.value_info()) types_[value.name()] = &value.type();
    for (const auto& value : graph.output()) types_[value.name()] = &value.type();
    for (const auto& init : graph.initializer()) {
      initializers_[init.name()] = &init;
      if (is_integer_type(init.data_type())) {
        auto ints = int64_values(init, base_dir_, where_initializer(init.name()));
        if (!ints) return ints.error();
        std::vector<Atom> atoms;
        for (int64_t v : *ints) atoms.push_back({v, "", -1});
        ints_[init.name()] = std::move(atoms);
      }
    }
    OnnxModel out;
    out.opset = opset_;
    out.producer =
        model_.producer_name() + (model_.producer_version().empty() ? "" : " " + model_.producer_version());
    for (const auto& entry : model_.metadata_props()) out.metadata[entry.key()] = entry.value();

    Graph::Parts parts;
    parts.name = !graph.name().empty() ? graph.name() : std::filesystem::path(source_).stem().string();
    parts.title = std::filesystem::path(source_).filename().string();
    parts.description = "Read from " + parts.title + (out.producer.empty() ? "" : " (" + out.producer + ")") +
                        ", ONNX opset " + std::to_string(opset_) + ".";
    for (const auto& value : graph.input()) {
      if (initializers_.count(value.name())) continue;  // old exporters list weights as inputs too
      if (auto bound = bound_.find(value.name()); bound != bound_.end()) {
        // Given now: a constant like an initializer (ONNX's test cases pass
        // weights as inputs).
        constant_nodes_[value.name()] = bound->second;
        const int bound_type = value.type().has_tensor_type() ? value.type().tensor_type().elem_type() : 0;
        if (is_integer_type(bound_type)) {
          std::vector<Atom> atoms;
          for (float v : bound->second.values()) atoms.push_back({static_cast<int64_t>(v), "", -1});
          ints_[value.name()] = std::move(atoms);
        }
        continue;
      }
      const auto& type = value.type();
      if (!type.has_tensor_type()) {
        unsupported_ = UnsupportedNode{
            value.name(), "input",
            "input " + value.name() + " is a sequence, map or optional; ConvLab's inputs are tensors"};
        break;
      }
      const int elem = type.tensor_type().elem_type();
      const bool integer = elem == onnx::TensorProto::INT64 || elem == onnx::TensorProto::INT32;
      GraphInput input{value.name(), {}, integer};
      for (const auto& d : type.tensor_type().shape().dim())
        input.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
      for (int64_t& d : input.shape)
        if (d == 0) d = -1;
      if (elem != onnx::TensorProto::FLOAT && !integer)
        unsupported_ = UnsupportedNode{value.name(), "input",
                                       "input " + value.name() + " is of type " + type_name(elem) +
                                           "; ConvLab's inputs are float32 (or int64 indices)"};
      parts.inputs.push_back(std::move(input));
      available_.insert(value.name());
    }
    for (const onnx::NodeProto& node : graph.node()) {
      if (unsupported_) break;
      auto step = convert(node, parts);
      if (!step) return step.error();
      if (const auto* why = std::get_if<Unsupported>(&*step)) {
        unsupported_ = UnsupportedNode{display_name(node), node.op_type(), why->why};
        break;
      }
    }
    if (unsupported_) {
      // The graph keeps the nodes before the one it stops at; its outputs are
      // theirs that nothing later in the kept part reads.
      parts.outputs.clear();
      std::set<std::string> read;
      for (const auto& n : parts.nodes)
        for (const auto& input : n.inputs) read.insert(input);
      for (const auto& n : parts.nodes)
        if (!read.count(n.name)) parts.outputs.push_back(n.name);
      out.unsupported = unsupported_;
      if (parts.nodes.empty()) return out;  // nothing before it runs: an empty graph
    } else {
      for (const auto& value : graph.output()) {
        const std::string& name = value.name();
        if (!available_.count(name) && (is_constant(name) || ints_.count(name))) {
          // A constant output (a Constant node, a folded Shape): an identity
          // node gives it out, the value kept as a constant beside it.
          const int elem = value.type().has_tensor_type() ? value.type().tensor_type().elem_type() : 0;
          if (elem != onnx::TensorProto::FLOAT) {
            out.unsupported = UnsupportedNode{
                name, "output",
                "output " + name + " is of type " + type_name(elem) + "; ConvLab computes with float32"};
            break;
          }
          auto tensor = constant_tensor(name);
          if (!tensor) return tensor.error();
          const std::string stored = name + ".value";
          weights_[stored] = std::move(tensor).value();
          constants_used_.insert(stored);
          GraphNode g;
          g.name = name;
          g.op = OpKind::Activation;
          g.inputs = {stored};
          g.description = "the constant output " + name;
          parts.nodes.push_back(std::move(g));
          available_.insert(name);
        }
        if (!available_.count(name))
          return make_error(source_, ": output ", name, " is not computed by a node ConvLab runs");
        parts.outputs.push_back(name);
      }
      if (out.unsupported) return out;
    }
    for (const auto& name : constants_used_) parts.constants[name] = weights_.at(name).shape();
    auto assembled = Graph::assemble(std::move(parts), source_);
    if (!assembled) return assembled.error();
    out.model.graph = std::move(assembled).value();
    out.model.weights = std::move(weights_);
    return out;
  }

 private:
  using Step = std::variant<std::monostate, Unsupported>;

  static std::string type_name(int elem) {
    return onnx::TensorProto::DataType_IsValid(elem)
               ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(elem))
               : "unknown";
  }
  std::string where_initializer(const std::string& name) const { return source_ + ": initializer " + name; }
  std::string where(const onnx::NodeProto& node) const {
    return source_ + ": node " + display_name(node) + " (" + node.op_type() + ")";
  }
  bool is_constant(const std::string& name) const {
    return initializers_.count(name) || constant_nodes_.count(name);
  }

  // The static shape ONNX's shape inference gave a value (-1: unknown).
  std::vector<int64_t> inferred_shape(const std::string& name) const {
    if (auto it = initializers_.find(name); it != initializers_.end())
      return {it->second->dims().begin(), it->second->dims().end()};
    if (auto it = bound_.find(name); it != bound_.end()) return it->second.shape();
    auto it = types_.find(name);
    if (it == types_.end() || !it->second->has_tensor_type() || !it->second->tensor_type().has_shape())
      return {};
    std::vector<int64_t> dims;
    for (const auto& d : it->second->tensor_type().shape().dim())
      dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    return dims;
  }
  int elem_type(const std::string& name) const {
    if (auto it = initializers_.find(name); it != initializers_.end()) return it->second->data_type();
    auto it = types_.find(name);
    return it != types_.end() && it->second->has_tensor_type() ? it->second->tensor_type().elem_type() : 0;
  }

  // A constant's values (initializer or Constant node) as a float tensor.
  Result<Tensor> constant_tensor(const std::string& name) {
    if (auto it = weights_.find(name); it != weights_.end()) return it->second;
    if (auto it = constant_nodes_.find(name); it != constant_nodes_.end()) return it->second;
    auto init = initializers_.find(name);
    if (init == initializers_.end()) return make_error(source_, ": ", name, " is not a constant");
    return tensor_from_proto(*init->second, base_dir_, where_initializer(name));
  }
  // Uses a constant as a graph constant (an input nodes read by name).
  Result<std::string> use_constant(const std::string& name) {
    if (!constants_used_.count(name)) {
      auto tensor = constant_tensor(name);
      if (!tensor) return tensor.error();
      weights_[name] = std::move(tensor).value();
      constants_used_.insert(name);
    }
    return name;
  }
  // An input of a graph node: an activation, a graph input or a constant.
  Result<std::string> operand(const onnx::NodeProto& node, int index) {
    if (index >= node.input_size() || node.input(index).empty())
      return make_error(where(node), ": input ", index + 1, " is missing");
    const std::string& name = node.input(index);
    if (available_.count(name)) return name;
    if (is_constant(name)) return use_constant(name);
    if (auto it = ints_.find(name); it != ints_.end()) {
      // A folded integer tensor read as data: becomes a constant.
      std::vector<float> values;
      for (const Atom& a : it->second) {
        if (!a.known()) return make_error(where(node), ": ", name, " is only known at run time");
        values.push_back(static_cast<float>(a.value));
      }
      const std::vector<int64_t> dims = inferred_shape(name);
      Shape shape =
          dims.empty() ? Shape{static_cast<int64_t>(values.size())} : Shape(dims.begin(), dims.end());
      auto tensor = Tensor::from_data(shape, values);
      if (!tensor) return tensor.error();
      constant_nodes_[name] = std::move(tensor).value();
      return use_constant(name);
    }
    return make_error(where(node), ": input ", name, " is not defined before this node");
  }
  // Integers known at load time (sizes, pads, axes), all of them.
  std::optional<std::vector<int64_t>> known_ints(const std::string& name) {
    if (auto it = ints_.find(name); it != ints_.end()) {
      std::vector<int64_t> out;
      for (const Atom& a : it->second) {
        if (!a.known()) return std::nullopt;
        out.push_back(a.value);
      }
      return out;
    }
    if (auto it = constant_nodes_.find(name); it != constant_nodes_.end()) {
      std::vector<int64_t> out;
      for (float v : it->second.values()) out.push_back(static_cast<int64_t>(v));
      return out;
    }
    if (auto it = initializers_.find(name); it != initializers_.end()) {
      auto values = int64_values(*it->second, base_dir_, where_initializer(name));
      if (values) return *values;
    }
    return std::nullopt;
  }
  std::optional<std::vector<float>> known_floats(const std::string& name) {
    auto tensor = is_constant(name) ? constant_tensor(name) : Result<Tensor>(Error{"not constant"});
    if (!tensor) return std::nullopt;
    return tensor->values();
  }
  bool input_given(const onnx::NodeProto& node, int index) const {
    return index < node.input_size() && !node.input(index).empty();
  }

  // ---- folding of integer shape arithmetic -------------------------------------

  // Folds `node` when it computes integers from integers known now; returns
  // false when it is a runtime node.
  Result<bool> try_fold(const onnx::NodeProto& node) {
    const std::string& op = node.op_type();
    const std::string out = node.output_size() > 0 ? node.output(0) : "";
    if (op == "Constant") {
      if (const auto* a = attribute(node, "value")) {
        auto tensor = tensor_from_proto(a->t(), base_dir_, where(node));
        if (!tensor) return tensor.error();
        if (is_integer_type(a->t().data_type())) {
          std::vector<Atom> atoms;
          for (float v : tensor->values()) atoms.push_back({static_cast<int64_t>(v), "", -1});
          ints_[out] = std::move(atoms);
        }
        constant_nodes_[out] = std::move(tensor).value();
      } else if (const auto* f = attribute(node, "value_float")) {
        constant_nodes_[out] = Tensor({}, f->f());
      } else if (const auto* fs = attribute(node, "value_floats")) {
        auto t = Tensor::from_data({fs->floats_size()}, {fs->floats().begin(), fs->floats().end()});
        if (!t) return t.error();
        constant_nodes_[out] = std::move(t).value();
      } else if (const auto* i = attribute(node, "value_int")) {
        ints_[out] = {{i->i(), "", -1}};
        constant_nodes_[out] = Tensor({}, static_cast<float>(i->i()));
      } else if (const auto* is = attribute(node, "value_ints")) {
        std::vector<Atom> atoms;
        std::vector<float> values;
        for (int64_t v : is->ints()) {
          atoms.push_back({v, "", -1});
          values.push_back(static_cast<float>(v));
        }
        ints_[out] = atoms;
        auto t = Tensor::from_data({is->ints_size()}, values);
        if (!t) return t.error();
        constant_nodes_[out] = std::move(t).value();
      } else {
        return make_error(where(node),
                          ": a Constant without a value ConvLab reads (value, value_float(s), value_int(s))");
      }
      return true;
    }
    if (op == "Shape") {
      const std::string& x = node.input(0);
      const std::vector<int64_t> dims = inferred_shape(x);
      if (dims.empty()) return false;
      int64_t start = attr_int(node, "start", 0),
              end = attr_int(node, "end", static_cast<int64_t>(dims.size()));
      const auto rank = static_cast<int64_t>(dims.size());
      if (start < 0) start += rank;
      if (end < 0) end += rank;
      start = std::clamp<int64_t>(start, 0, rank);
      end = std::clamp<int64_t>(end, start, rank);
      std::vector<Atom> atoms;
      for (int64_t d = start; d < end; ++d)
        atoms.push_back(dims[static_cast<size_t>(d)] >= 0 ? Atom{dims[static_cast<size_t>(d)], "", -1}
                                                          : Atom{0, x, d});
      ints_[out] = std::move(atoms);
      return true;
    }
    if (op == "Identity" && node.input_size() == 1 && is_constant(node.input(0)) &&
        !ints_.count(node.input(0))) {
      // Exporters alias shared initializers (equal biases) through Identity.
      auto tensor = constant_tensor(node.input(0));
      if (!tensor) return tensor.error();
      constant_nodes_[out] = std::move(tensor).value();
      return true;
    }
    if (op == "ConstantOfShape") {
      // The exporter's way to make a list of sizes (Expand's -1s): folded
      // when the shape is known now.
      auto shape = known_ints(node.input(0));
      if (!shape) return false;
      int64_t count = 1;
      for (int64_t d : *shape) {
        if (d < 0 || d > 4096) return false;
        count *= d;
      }
      if (count > 4096) return false;
      float fill = 0.0f;
      bool integer = false;
      if (const auto* a = attribute(node, "value")) {
        auto value = tensor_from_proto(a->t(), base_dir_, where(node));
        if (!value) return value.error();
        if (value->numel() != 1) return make_error(where(node), ": value must hold one number");
        fill = (*value)[0];
        integer = is_integer_type(a->t().data_type());
      }
      constant_nodes_[out] = Tensor(Shape(shape->begin(), shape->end()), fill);
      if (integer)
        ints_[out] = std::vector<Atom>(static_cast<size_t>(count), Atom{static_cast<int64_t>(fill), "", -1});
      return true;
    }
    // The others fold only integers already folded.
    for (int i = 0; i < node.input_size(); ++i)
      if (!node.input(i).empty() && !ints_.count(node.input(i))) return false;
    if (node.input_size() == 0) return false;
    const std::vector<Atom>& first = ints_.at(node.input(0));
    if (op == "Cast" || op == "Identity") {
      ints_[out] = first;
    } else if (op == "Unsqueeze" || op == "Squeeze") {
      ints_[out] = first;  // a scalar <-> a 1-element vector: the same atoms
    } else if (op == "Concat") {
      std::vector<Atom> atoms;
      for (int i = 0; i < node.input_size(); ++i) {
        const auto& part = ints_.at(node.input(i));
        atoms.insert(atoms.end(), part.begin(), part.end());
      }
      ints_[out] = std::move(atoms);
    } else if (op == "Gather") {
      auto indices = known_ints(node.input(1));
      if (!indices || attr_int(node, "axis", 0) != 0) return false;
      std::vector<Atom> atoms;
      for (int64_t index : *indices) {
        const auto n = static_cast<int64_t>(first.size());
        if (index < -n || index >= n)
          return make_error(where(node), ": index ", index, " is out of range for ", n, " values");
        atoms.push_back(first[static_cast<size_t>(index < 0 ? index + n : index)]);
      }
      ints_[out] = std::move(atoms);
    } else if (op == "Slice") {
      std::vector<int64_t> starts, ends, steps;
      if (opset_ < 10) {
        starts = attr_ints(node, "starts");
        ends = attr_ints(node, "ends");
      } else {
        auto s = known_ints(node.input(1));
        auto e = known_ints(node.input(2));
        if (!s || !e) return false;
        starts = *s;
        ends = *e;
        if (input_given(node, 4)) {
          auto st = known_ints(node.input(4));
          if (!st) return false;
          steps = *st;
        }
      }
      if (starts.size() != 1 || ends.size() != 1) return false;
      const auto n = static_cast<int64_t>(first.size());
      const int64_t step = steps.empty() ? 1 : steps[0];
      if (step != 1) return false;
      int64_t b = starts[0] < 0 ? starts[0] + n : starts[0], e = ends[0] < 0 ? ends[0] + n : ends[0];
      b = std::clamp<int64_t>(b, 0, n);
      e = std::clamp<int64_t>(e, b, n);
      ints_[out] = std::vector<Atom>(first.begin() + b, first.begin() + e);
    } else if (op == "Mul" || op == "Add" || op == "Sub" || op == "Div") {
      const auto& second = ints_.at(node.input(1));
      const size_t n = std::max(first.size(), second.size());
      if ((first.size() != n && first.size() != 1) || (second.size() != n && second.size() != 1))
        return false;
      std::vector<Atom> atoms;
      for (size_t i = 0; i < n; ++i) {
        const Atom& a = first[first.size() == 1 ? 0 : i];
        const Atom& b = second[second.size() == 1 ? 0 : i];
        if (!a.known() || !b.known()) return false;
        if (op == "Div" && b.value == 0) return make_error(where(node), ": integer division by zero");
        atoms.push_back({op == "Mul"   ? a.value * b.value
                         : op == "Add" ? a.value + b.value
                         : op == "Sub" ? a.value - b.value
                                       : a.value / b.value,
                         "", -1});
      }
      ints_[out] = std::move(atoms);
    } else if (op == "Equal" || op == "Where") {
      // Elementwise over known integers (Where: condition, then x, else y).
      size_t n = 0;
      for (int i = 0; i < node.input_size(); ++i) n = std::max(n, ints_.at(node.input(i)).size());
      std::vector<Atom> atoms;
      for (size_t k = 0; k < n; ++k) {
        std::vector<int64_t> v;
        for (int i = 0; i < node.input_size(); ++i) {
          const auto& part = ints_.at(node.input(i));
          if (part.size() != n && part.size() != 1) return false;
          const Atom& a = part[part.size() == 1 ? 0 : k];
          if (!a.known()) return false;
          v.push_back(a.value);
        }
        if (op == "Equal" && v.size() == 2)
          atoms.push_back({v[0] == v[1] ? 1 : 0, "", -1});
        else if (op == "Where" && v.size() == 3)
          atoms.push_back({v[0] != 0 ? v[1] : v[2], "", -1});
        else
          return false;
      }
      ints_[out] = std::move(atoms);
    } else {
      return false;
    }
    return true;
  }

  // ---- graph nodes ----------------------------------------------------------------

  // pads/auto_pad of a 2-D window as top, bottom, left, right.
  Result<std::optional<Padding2d>> window_padding(const onnx::NodeProto& node,
                                                  const std::vector<int64_t>& kernel,
                                                  const std::vector<int64_t>& strides,
                                                  const std::vector<int64_t>& dilations) {
    const std::string auto_pad = attr_string(node, "auto_pad", "NOTSET");
    if (auto_pad == "NOTSET") {
      const std::vector<int64_t> pads = attr_ints(node, "pads");
      if (pads.empty()) return std::optional<Padding2d>(Padding2d{});
      if (pads.size() != 4)
        return make_error(where(node), ": pads has ", pads.size(), " values; valid for 2-D: 4");
      for (int64_t p : pads)
        if (p < 0 || p > 100000)
          return make_error(where(node), ": pad ", p, " is out of range; valid: 0 to 100000");
      return std::optional<Padding2d>(Padding2d{static_cast<int>(pads[0]), static_cast<int>(pads[2]),
                                                static_cast<int>(pads[1]), static_cast<int>(pads[3])});
    }
    if (auto_pad == "VALID") return std::optional<Padding2d>(Padding2d{});
    if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
      return make_error(where(node), ": auto_pad \"", auto_pad,
                        "\"; valid: NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    // SAME: the padding depends on the input's size, known from shape inference.
    const std::vector<int64_t> in = inferred_shape(node.input(0));
    if (in.size() != 4 || in[2] < 1 || in[3] < 1) return std::optional<Padding2d>();
    int begin[2], end[2];
    for (int a = 0; a < 2; ++a) {
      const int64_t size = in[2 + static_cast<size_t>(a)], s = strides[static_cast<size_t>(a)];
      const int64_t extent = (kernel[static_cast<size_t>(a)] - 1) * dilations[static_cast<size_t>(a)] + 1;
      const int64_t total = std::max<int64_t>(((size + s - 1) / s - 1) * s + extent - size, 0);
      const int64_t small = total / 2, large = total - small;
      begin[a] = static_cast<int>(auto_pad == "SAME_UPPER" ? small : large);
      end[a] = static_cast<int>(auto_pad == "SAME_UPPER" ? large : small);
    }
    return std::optional<Padding2d>(Padding2d{begin[0], end[0], begin[1], end[1]});
  }

  static std::vector<int64_t> or_ones(std::vector<int64_t> values, size_t n) {
    return values.empty() ? std::vector<int64_t>(n, 1) : values;
  }

  // Stores a weighted node's tensors under `prefix`.weight / .bias etc.: the
  // initializers' own names when they follow that pattern, copies otherwise.
  Result<std::string> weight_prefix(const onnx::NodeProto& node,
                                    const std::vector<std::pair<int, std::string>>& fields) {
    std::string prefix;
    const std::string& first = node.input(fields[0].first);
    const std::string suffix = "." + fields[0].second;
    bool own = first.size() > suffix.size() &&
               first.compare(first.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (own) prefix = first.substr(0, first.size() - suffix.size());
    for (const auto& [index, field] : fields)
      own = own && input_given(node, index) && node.input(index) == prefix + "." + field;
    if (!own || prefixes_.count(prefix) || available_.count(prefix)) prefix = node.output(0);
    while (prefixes_.count(prefix)) prefix += "_";
    prefixes_.insert(prefix);
    return prefix;
  }

  Result<Step> conv(const onnx::NodeProto& node, GraphNode& g, bool transposed) {
    if (!is_constant(node.input(1)))
      return Step(Unsupported{"its weights are computed at run time; ConvLab reads them from initializers"});
    auto weight = constant_tensor(node.input(1));
    if (!weight) return weight.error();
    if (weight->rank() != 4)
      return Step(
          Unsupported{"a " + std::to_string(weight->rank() - 2) + "-D convolution; ConvLab runs 2-D ones"});
    const int64_t groups = attr_int(node, "group", 1);
    if (groups < 1) return make_error(where(node), ": group ", groups, " must be >= 1");
    const std::vector<int64_t> kernel = {weight->dim(2), weight->dim(3)};
    const std::vector<int64_t> strides = or_ones(attr_ints(node, "strides"), 2);
    const std::vector<int64_t> dilations = or_ones(attr_ints(node, "dilations"), 2);
    if (strides.size() != 2 || dilations.size() != 2)
      return make_error(where(node), ": strides and dilations need 2 values each");
    for (int64_t v : {strides[0], strides[1], dilations[0], dilations[1]})
      if (v < 1 || v > 100000)
        return make_error(where(node), ": stride or dilation ", v, " out of range; valid: 1 to 100000");
    auto prefix = weight_prefix(node, {{1, "weight"}, {2, "bias"}});
    if (!prefix) return prefix.error();
    g.weights = *prefix;
    g.kernel = static_cast<int>(kernel[0]);
    g.kernel_w = static_cast<int>(kernel[1]);
    const int64_t out_channels = transposed ? weight->dim(1) * groups : weight->dim(0);
    g.in_channels = static_cast<int>(transposed ? weight->dim(0) : weight->dim(1) * groups);
    g.out_channels = static_cast<int>(out_channels);
    Tensor bias({out_channels});
    if (input_given(node, 2)) {
      if (!is_constant(node.input(2))) return Step(Unsupported{"its bias is computed at run time"});
      auto b = constant_tensor(node.input(2));
      if (!b) return b.error();
      if (b->shape() != Shape{out_channels})
        return make_error(where(node), ": bias has shape ", shape_to_string(b->shape()),
                          "; valid: ", out_channels);
      bias = std::move(b).value();
    }
    weights_[g.weights + ".weight"] = std::move(weight).value();
    weights_[g.weights + ".bias"] = std::move(bias);
    auto padding = window_padding(node, kernel, strides, dilations);
    if (!padding) return padding.error();
    if (!transposed) {
      if (!*padding) return Step(Unsupported{"SAME padding on an input of unknown size"});
      g.op = OpKind::Conv2d;
      g.conv = Conv2dParams{
          static_cast<int>(strides[0]),   static_cast<int>(strides[1]),   **padding,
          static_cast<int>(dilations[0]), static_cast<int>(dilations[1]), static_cast<int>(groups)};
      return Step();
    }
    g.op = OpKind::ConvTranspose2d;
    std::vector<int64_t> out_pad = attr_ints(node, "output_padding");
    if (out_pad.empty()) out_pad = {0, 0};
    Padding2d p = padding->value_or(Padding2d{});
    const std::vector<int64_t> output_shape = attr_ints(node, "output_shape");
    const std::string auto_pad = attr_string(node, "auto_pad", "NOTSET");
    if (!output_shape.empty() || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      // The output size decides the crop: ONNX's total_padding rule.
      const std::vector<int64_t> in = inferred_shape(node.input(0));
      if (in.size() != 4 || in[2] < 1 || in[3] < 1)
        return Step(Unsupported{"an output_shape on an input of unknown size"});
      int begin[2], end[2];
      for (int a = 0; a < 2; ++a) {
        const size_t i = static_cast<size_t>(a);
        const int64_t want =
            !output_shape.empty() ? output_shape[output_shape.size() - 2 + i] : in[2 + i] * strides[i];
        const int64_t total =
            strides[i] * (in[2 + i] - 1) + out_pad[i] + (kernel[i] - 1) * dilations[i] + 1 - want;
        const int64_t half = total / 2;
        begin[a] = static_cast<int>(auto_pad == "SAME_UPPER" ? half : total - half);
        end[a] = static_cast<int>(total - begin[a]);
        // An output_shape larger than the full output grows it at the end,
        // as output_padding does (ONNX's reference and onnxruntime agree).
        if (total < 0) {
          begin[a] = 0;
          end[a] = static_cast<int>(total);
        }
      }
      p = Padding2d{begin[0], end[0], begin[1], end[1]};
    }
    // PyTorch's transposed conv crops the same on both sides: the start's
    // crop. A smaller crop at the end is output_padding giving rows back; a
    // larger one is cropped after it, by a Pad node with negative pads.
    int pad_h = p.top, pad_w = p.left;
    const int extra_h = std::max(0, p.top - p.bottom), extra_w = std::max(0, p.left - p.right);
    const int crop_h = std::max(0, p.bottom - p.top), crop_w = std::max(0, p.right - p.left);
    if (crop_h > 0 || crop_w > 0) {
      GraphNode crop;
      crop.op = OpKind::Pad;
      crop.pads = {0, 0, 0, 0, 0, 0, -crop_h, -crop_w};
      crop.description = "the end of the transposed convolution's output cropped by " +
                         std::to_string(crop_h) + " rows and " + std::to_string(crop_w) +
                         " columns more than its start (ONNX pads)";
      crop_after_ = std::move(crop);
    }
    if (pad_h < 0 || pad_w < 0)
      return Step(Unsupported{"an output larger than the transposed convolution makes"});
    g.tconv = ConvTranspose2dParams{static_cast<int>(strides[0]),
                                    static_cast<int>(strides[1]),
                                    pad_h,
                                    pad_w,
                                    static_cast<int>(out_pad[0]) + extra_h,
                                    static_cast<int>(out_pad[1]) + extra_w,
                                    static_cast<int>(dilations[0]),
                                    static_cast<int>(dilations[1]),
                                    static_cast<int>(groups)};
    return Step();
  }

  Result<Step> pool(const onnx::NodeProto& node, GraphNode& g, PoolKind kind) {
    if (node.output_size() > 1 && !node.output(1).empty())
      return Step(Unsupported{"its second output (the indices)"});
    const std::vector<int64_t> kernel = attr_ints(node, "kernel_shape");
    if (kernel.size() != 2)
      return Step(Unsupported{"a " + std::to_string(kernel.size()) + "-D pool; ConvLab runs 2-D ones"});
    if (attr_int(node, "storage_order", 0) != 0) return Step(Unsupported{"storage_order 1"});
    const std::vector<int64_t> strides = or_ones(attr_ints(node, "strides"), 2);
    const std::vector<int64_t> dilations = or_ones(attr_ints(node, "dilations"), 2);
    for (int64_t v : {kernel[0], kernel[1], strides[0], strides[1], dilations[0], dilations[1]})
      if (v < 1 || v > 100000)
        return make_error(where(node), ": window setting ", v, " out of range; valid: 1 to 100000");
    auto padding = window_padding(node, kernel, strides, dilations);
    if (!padding) return padding.error();
    if (!*padding) return Step(Unsupported{"SAME padding on an input of unknown size"});
    g.op = OpKind::Pool2d;
    g.pool.kind = kind;
    g.pool.kernel = {static_cast<int>(kernel[0]), static_cast<int>(kernel[1])};
    g.pool.params.window = Conv2dParams{static_cast<int>(strides[0]), static_cast<int>(strides[1]), **padding,
                                        static_cast<int>(dilations[0]), static_cast<int>(dilations[1])};
    g.pool.params.ceil_mode = attr_int(node, "ceil_mode", 0) != 0;
    g.pool.params.padding_at_most_half = false;  // ONNX allows any padding
    g.pool.count_include_pad = attr_int(node, "count_include_pad", 0) != 0;
    return Step();
  }

  Result<Step> resize(const onnx::NodeProto& node, GraphNode& g) {
    const std::string& op = node.op_type();
    const std::string mode = attr_string(node, "mode", "nearest");
    if (mode != "nearest" && mode != "linear" && mode != "bilinear")
      return Step(Unsupported{"mode " + mode + "; ConvLab resizes with nearest and linear"});
    g.op = OpKind::Resize;
    g.resize.mode = mode == "nearest" ? reference::ResizeMode::Nearest : reference::ResizeMode::Linear;
    // Upsample and Resize-10 map coordinates asymmetrically and round down.
    const bool old = op == "Upsample" || opset_ < 11;
    const std::string coordinates =
        old ? "asymmetric" : attr_string(node, "coordinate_transformation_mode", "half_pixel");
    const std::map<std::string, reference::ResizeCoordinates> coordinate_modes = {
        {"half_pixel", reference::ResizeCoordinates::HalfPixel},
        {"pytorch_half_pixel", reference::ResizeCoordinates::PytorchHalfPixel},
        {"asymmetric", reference::ResizeCoordinates::Asymmetric},
        {"align_corners", reference::ResizeCoordinates::AlignCorners},
        {"tf_half_pixel_for_nn", reference::ResizeCoordinates::TfHalfPixelForNn}};
    auto c = coordinate_modes.find(coordinates);
    if (c == coordinate_modes.end())
      return Step(Unsupported{"coordinate_transformation_mode " + coordinates});
    g.resize.coordinates = c->second;
    const std::string nearest = old ? "floor" : attr_string(node, "nearest_mode", "round_prefer_floor");
    const std::map<std::string, reference::ResizeNearest> nearest_modes = {
        {"round_prefer_floor", reference::ResizeNearest::RoundPreferFloor},
        {"round_prefer_ceil", reference::ResizeNearest::RoundPreferCeil},
        {"floor", reference::ResizeNearest::Floor},
        {"ceil", reference::ResizeNearest::Ceil}};
    auto n = nearest_modes.find(nearest);
    if (n == nearest_modes.end()) return Step(Unsupported{"nearest_mode " + nearest});
    g.resize.nearest = n->second;
    if (!old && attr_int(node, "exclude_outside", 0) != 0) return Step(Unsupported{"exclude_outside"});
    if (!old && !attr_ints(node, "axes").empty()) return Step(Unsupported{"the axes attribute"});
    // Scales: Upsample-7 attribute, else the input at 1 (Upsample-9, Resize-10) or 2 (Resize-11+); sizes
    // at 3.
    std::optional<std::vector<float>> scales;
    if (op == "Upsample" && opset_ < 9)
      scales = attr_floats(node, "scales");
    else {
      const int at = op == "Upsample" || opset_ < 11 ? 1 : 2;
      if (input_given(node, at)) {
        scales = known_floats(node.input(at));
        if (!scales) return Step(Unsupported{"scales computed at run time"});
      }
      if (!old && input_given(node, 3)) {
        auto sizes = known_ints(node.input(3));
        if (!sizes) return Step(Unsupported{"sizes computed at run time"});
        g.sizes = *sizes;
      }
    }
    if (scales && !scales->empty()) g.scales.assign(scales->begin(), scales->end());
    if (g.sizes.empty() && g.scales.empty())
      return make_error(where(node), ": neither scales nor sizes is given");
    return Step();
  }

  Result<Step> convert_node(const onnx::NodeProto& node, GraphNode& g) {
    const std::string& op = node.op_type();
    const auto inputs = [&](std::initializer_list<int> indices) -> Status {
      for (int index : indices) {
        auto name = operand(node, index);
        if (!name) return name.error();
        g.inputs.push_back(*name);
      }
      return {};
    };
    if (op == "Conv" || op == "ConvTranspose") {
      CONVLAB_TRY(inputs({0}));
      return conv(node, g, op == "ConvTranspose");
    }
    if (op == "BatchNormalization") {
      if (attr_int(node, "training_mode", 0) != 0) return Step(Unsupported{"training_mode 1"});
      for (int i = 1; i <= 4; ++i)
        if (!is_constant(node.input(i))) return Step(Unsupported{"statistics computed at run time"});
      const std::vector<int64_t> in = inferred_shape(node.input(0));
      if (in.size() != 4)
        return Step(Unsupported{"batch norm on a rank-" + std::to_string(in.size()) +
                                " tensor; ConvLab's is 2-D (N, C, H, W)"});
      CONVLAB_TRY(inputs({0}));
      auto prefix =
          weight_prefix(node, {{1, "weight"}, {2, "bias"}, {3, "running_mean"}, {4, "running_var"}});
      if (!prefix) return prefix.error();
      g.op = OpKind::BatchNorm2d;
      g.weights = *prefix;
      const char* fields[] = {"weight", "bias", "running_mean", "running_var"};
      for (int i = 0; i < 4; ++i) {
        auto t = constant_tensor(node.input(i + 1));
        if (!t) return t.error();
        if (t->rank() != 1)
          return make_error(where(node), ": ", fields[i], " must be a vector, got ",
                            shape_to_string(t->shape()));
        g.channels = static_cast<int>(t->dim(0));
        weights_[g.weights + "." + fields[i]] = std::move(t).value();
      }
      g.eps = attr_float(node, "epsilon", 1e-5f);
      g.momentum = attr_float(node, "momentum", 0.9f);
      return Step();
    }
    if (op == "Relu") {
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::Relu;
      return Step();
    }
    if (op == "LeakyRelu" || op == "Sigmoid" || op == "Tanh" || op == "Clip" || op == "Dropout" ||
        op == "Identity") {
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::Activation;
      if (op == "LeakyRelu")
        g.unary = {reference::UnaryOp::LeakyRelu, attr_float(node, "alpha", 0.01f)};
      else if (op == "Sigmoid")
        g.unary.op = reference::UnaryOp::Sigmoid;
      else if (op == "Tanh")
        g.unary.op = reference::UnaryOp::Tanh;
      else if (op == "Clip") {
        g.unary.op = reference::UnaryOp::Clip;
        if (opset_ < 11) {
          g.unary.min = attr_float(node, "min", g.unary.min);
          g.unary.max = attr_float(node, "max", g.unary.max);
        } else {
          for (int i : {1, 2}) {
            if (!input_given(node, i)) continue;
            auto v = known_floats(node.input(i));
            if (!v || v->size() != 1) return Step(Unsupported{"clip bounds computed at run time"});
            (i == 1 ? g.unary.min : g.unary.max) = (*v)[0];
          }
        }
      } else {
        if (op == "Dropout" && node.output_size() > 1 && !node.output(1).empty())
          return Step(Unsupported{"its mask output"});
        if (op == "Dropout" && input_given(node, 2)) {
          auto training = known_ints(node.input(2));
          if (!training || training->size() != 1 || (*training)[0] != 0)
            return Step(Unsupported{"dropout in training mode (random); ConvLab runs models for inference"});
        }
        g.description = op + ": passes its input through at inference";
      }
      return Step();
    }
    if (op == "PRelu" || op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
      CONVLAB_TRY(inputs({0}));
      // Before opset 7 the second operand lined up from `axis` (PRelu: a
      // per-channel slope); now numpy broadcasting lines up from the right.
      // A constant second operand is reshaped to the new rule.
      const bool legacy = opset_ < 7 && (op == "PRelu" || attr_int(node, "broadcast", 0) != 0);
      const std::vector<int64_t> x_dims = inferred_shape(node.input(0));
      if (legacy && is_constant(node.input(1))) {
        auto b = constant_tensor(node.input(1));
        if (!b) return b.error();
        const int64_t rank = static_cast<int64_t>(x_dims.size());
        int64_t axis = op == "PRelu"
                           ? (b->rank() == 1 && rank > 1 && b->dim(0) != x_dims.back() ? 1 : rank - b->rank())
                           : attr_int(node, "axis", rank - b->rank());
        if (axis < 0) axis += rank;
        if (axis < 0 || axis + b->rank() > rank)
          return make_error(where(node), ": the second operand ", shape_to_string(b->shape()),
                            " does not fit the first ", "from axis ", axis);
        Shape aligned = b->shape();
        aligned.resize(static_cast<size_t>(rank - axis), 1);
        auto reshaped = b->reshaped(aligned);
        if (!reshaped) return reshaped.error();
        const std::string name = node.input(1) + ".aligned";
        weights_[name] = std::move(reshaped).value();
        constants_used_.insert(name);
        g.inputs.push_back(name);
      } else if (legacy && attr_int(node, "axis", -1) >= 0) {
        return Step(Unsupported{"broadcasting from an axis (opset " + std::to_string(opset_) +
                                ") on a value computed at run time"});
      } else {
        CONVLAB_TRY(inputs({1}));
      }
      g.op = OpKind::Elementwise;
      g.binary = op == "PRelu" ? reference::BinaryOp::PRelu
                 : op == "Add" ? reference::BinaryOp::Add
                 : op == "Sub" ? reference::BinaryOp::Sub
                 : op == "Mul" ? reference::BinaryOp::Mul
                               : reference::BinaryOp::Div;
      return Step();
    }
    if (op == "MaxPool" || op == "AveragePool") {
      CONVLAB_TRY(inputs({0}));
      return pool(node, g, op == "MaxPool" ? PoolKind::Max : PoolKind::Average);
    }
    if (op == "GlobalAveragePool") {
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::GlobalAveragePool;
      return Step();
    }
    if (op == "Flatten") {
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::Reshape;
      g.axis = attr_int(node, "axis", 1);
      return Step();
    }
    if (op == "Gemm") {
      CONVLAB_TRY(inputs({0, 1}));
      if (input_given(node, 2)) CONVLAB_TRY(inputs({2}));
      g.op = OpKind::Gemm;
      g.gemm = {attr_float(node, "alpha", 1.0f), attr_float(node, "beta", 1.0f),
                attr_int(node, "transA", 0) != 0, attr_int(node, "transB", 0) != 0};
      return Step();
    }
    if (op == "MatMul") {
      CONVLAB_TRY(inputs({0, 1}));
      g.op = OpKind::MatMul;
      return Step();
    }
    if (op == "Concat") {
      for (int i = 0; i < node.input_size(); ++i) CONVLAB_TRY(inputs({i}));
      g.op = OpKind::Concat;
      g.axis = attr_int(node, "axis", 1);
      return Step();
    }
    if (op == "Softmax" || op == "LogSoftmax") {
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::Softmax;
      g.softmax = {attr_int(node, "axis", opset_ < 13 ? 1 : -1), op == "LogSoftmax", opset_ < 13};
      return Step();
    }
    if (op == "Reshape" || op == "Unsqueeze" || op == "Squeeze") {
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::Reshape;
      if (op == "Reshape") {
        if (attr_int(node, "allowzero", 0) != 0) return Step(Unsupported{"allowzero 1"});
        auto it = ints_.find(node.input(1));
        if (it == ints_.end()) {
          auto spec = known_ints(node.input(1));
          if (!spec) return Step(Unsupported{"a target shape computed at run time"});
          g.shape_spec = *spec;
        } else {
          // A size known only at run time is the data's own dimension there
          // (x.view(x.size(0), -1)): 0 copies it.
          for (size_t i = 0; i < it->second.size(); ++i) {
            const Atom& a = it->second[i];
            if (a.known())
              g.shape_spec.push_back(a.value);
            else if (a.of == node.input(0) && a.dim == static_cast<int64_t>(i))
              g.shape_spec.push_back(0);
            else if (a.dim == 0 && i == 0 && batch_free(node.input(0)))
              g.shape_spec.push_back(0);
            else
              return Step(Unsupported{"a target shape computed at run time"});
          }
        }
      } else {
        // The result's shape: ONNX's inferred one, the free batch copied.
        const std::vector<int64_t> out = inferred_shape(node.output(0));
        if (out.empty()) return Step(Unsupported{op + " to a shape shape inference left unknown"});
        for (size_t i = 0; i < out.size(); ++i) {
          if (out[i] >= 0)
            g.shape_spec.push_back(out[i]);
          else if (i == 0 && batch_free(node.input(0)))
            g.shape_spec.push_back(0);
          else
            return Step(Unsupported{op + " to a shape only known at run time"});
        }
      }
      if (g.shape_spec.empty()) return Step(Unsupported{op + " to a scalar"});
      return Step();
    }
    if (op == "Pad") {
      const std::string mode = attr_string(node, "mode", "constant");
      if (mode != "constant") return Step(Unsupported{"mode " + mode + "; ConvLab pads with a constant"});
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::Pad;
      if (opset_ < 11) {
        g.pads = attr_ints(node, "pads");
        g.pad_value = attr_float(node, "value", 0.0f);
      } else {
        auto pads = known_ints(node.input(1));
        if (!pads) return Step(Unsupported{"pads computed at run time"});
        g.pads = *pads;
        if (input_given(node, 2)) {
          auto value = known_floats(node.input(2));
          if (!value || value->size() != 1) return Step(Unsupported{"a pad value computed at run time"});
          g.pad_value = (*value)[0];
        }
        if (input_given(node, 3)) return Step(Unsupported{"the axes input"});
      }
      return Step();
    }
    if (op == "Resize" || op == "Upsample") {
      CONVLAB_TRY(inputs({0}));
      return resize(node, g);
    }
    if (op == "Gather") {
      CONVLAB_TRY(inputs({0}));
      g.op = OpKind::Gather;
      g.axis = attr_int(node, "axis", 0);
      if (auto indices = known_ints(node.input(1))) {
        g.indices = *indices;
        const std::vector<int64_t> dims = inferred_shape(node.input(1));
        g.indices_shape = Shape(dims.begin(), dims.end());
        if (shape_numel(g.indices_shape) != static_cast<int64_t>(g.indices.size()))
          g.indices_shape = {static_cast<int64_t>(g.indices.size())};
      } else {
        CONVLAB_TRY(inputs({1}));
      }
      return Step();
    }
    if (op == "Expand") {
      CONVLAB_TRY(inputs({0}));
      auto shape = known_ints(node.input(1));
      if (!shape) return Step(Unsupported{"an Expand to a shape computed at run time"});
      g.op = OpKind::Expand;
      g.shape_spec = *shape;
      return Step();
    }
    if (op == "Shape" || op == "Cast" || op == "Slice" || op == "ConstantOfShape" || op == "Equal" ||
        op == "Where")
      return Step(
          Unsupported{op + " on values only known at run time (ConvLab folds it only when the model loads)"});
    return Step(Unsupported{"op " + op + " is not supported; supported: " + supported_list()});
  }

  // Whether dimension 0 of `name` is the graph's free batch size.
  bool batch_free(const std::string& name) const {
    const std::vector<int64_t> dims = inferred_shape(name);
    return !dims.empty() && dims[0] < 0;
  }

  Result<Step> convert(const onnx::NodeProto& node, Graph::Parts& parts) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return Step(Unsupported{"op " + node.op_type() + " of domain " + node.domain() +
                              "; ConvLab runs ONNX's own ops"});
    const auto& ops = supported_ops();
    if (std::find(ops.begin(), ops.end(), node.op_type()) == ops.end())
      return Step(Unsupported{"op " + node.op_type() + " is not supported; supported: " + supported_list()});
    auto folded_now = try_fold(node);
    if (!folded_now) return folded_now.error();
    if (*folded_now) return Step();
    if (node.output_size() < 1 || node.output(0).empty())
      return make_error(where(node), ": the node has no output");
    // Runtime tensors are float32; integer ones only as indices.
    for (int i = 0; i < node.output_size(); ++i) {
      const int elem = elem_type(node.output(i));
      if (i == 0 && elem != 0 && elem != onnx::TensorProto::FLOAT)
        return Step(
            Unsupported{"its output is of type " + type_name(elem) + "; ConvLab computes with float32"});
    }
    GraphNode g;
    g.name = node.output(0);
    crop_after_.reset();
    auto step = convert_node(node, g);
    if (!step) return step.error();
    if (std::holds_alternative<Unsupported>(*step)) return step;
    if (g.description.empty())
      g.description = node.op_type() + (node.name().empty() ? "" : " " + node.name());
    available_.insert(g.name);
    if (crop_after_) {
      // The node's value is the crop's; the uncropped one gets its own name.
      crop_after_->name = g.name;
      g.name += " (uncropped)";
      crop_after_->inputs = {g.name};
      parts.nodes.push_back(std::move(g));
      parts.nodes.push_back(std::move(*crop_after_));
      crop_after_.reset();
      return Step();
    }
    parts.nodes.push_back(std::move(g));
    return Step();
  }

  const onnx::ModelProto& model_;
  std::optional<GraphNode> crop_after_;  // set by a node that needs a crop after it (ConvTranspose)
  int64_t opset_;
  std::string source_, base_dir_;
  const std::map<std::string, Tensor>& bound_;
  std::map<std::string, const onnx::TypeProto*> types_;
  std::map<std::string, const onnx::TensorProto*> initializers_;
  std::map<std::string, Tensor> constant_nodes_;   // Constant outputs (and folded integers used as data)
  std::map<std::string, std::vector<Atom>> ints_;  // integer values known at load time
  std::set<std::string> available_;                // graph inputs and node outputs so far
  std::set<std::string> constants_used_;           // constants graph nodes read
  std::set<std::string> prefixes_;
  std::map<std::string, Tensor> weights_;
  std::optional<UnsupportedNode> unsupported_;
};

Result<OnnxModel> load_model(const std::string& bytes, const std::string& source, const std::string& path,
                             const std::string& base_dir, const std::map<std::string, Tensor>& bound_inputs) {
  auto checked = parse_checked_model(bytes, source, path);
  if (!checked) return checked.error();
  return Reader(checked->proto, checked->opset, source, base_dir, bound_inputs).read();
}

}  // namespace

Result<OnnxModel> load_onnx_bytes(const std::string& bytes, const std::string& source,
                                  const std::string& base_dir,
                                  const std::map<std::string, Tensor>& bound_inputs) {
  return load_model(bytes, source, "", base_dir, bound_inputs);
}

Result<OnnxModel> load_onnx_file(const std::string& path, const std::map<std::string, Tensor>& bound_inputs) {
  auto bytes = read_model_file(path);
  if (!bytes) return bytes.error();
  return load_model(*bytes, path, path, std::filesystem::path(path).parent_path().string(), bound_inputs);
}

}  // namespace convlab::onnx_model
