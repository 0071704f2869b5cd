// Graph: parse and validate a model description (JSON), list the weights it
// needs and infer every activation's shape. All checks happen here once, so
// the runners can trust a Graph.
#include "core/model/graph.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/model/node_shapes.h"

namespace convlab {

// Defined in the source generated from assets/models/*.json at build time
// (see src/core/model/CMakeLists.txt).
namespace detail {
const std::map<std::string, std::string>& embedded_graphs();
}

namespace {

using json = nlohmann::json;

constexpr const char* kGray = "gray";
constexpr const char* kCategory = "category";

std::string valid_op_names() {
  std::string out;
  for (auto name : kOpNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool is_graph_op(OpKind op) {
  switch (op) {
    case OpKind::Conv2d:
    case OpKind::ConvTranspose2d:
    case OpKind::BatchNorm2d:
    case OpKind::Relu:
    case OpKind::Concat:
    case OpKind::EmbedBroadcast:
      return true;
    default:
      return false;
  }
}

// Reads the fields of one JSON node; every error names the node.
class NodeReader {
 public:
  NodeReader(const json& node, std::string where) : node_(node), where_(std::move(where)) {}

  const std::string& where() const { return where_; }
  bool has(const char* key) const { return node_.contains(key); }

  Result<std::string> string(const char* key, bool required) const {
    if (!node_.contains(key)) {
      if (required) return missing(key, "a string");
      return std::string();
    }
    const json& v = node_.at(key);
    if (!v.is_string()) return wrong_type(key, "a string", v);
    return v.get<std::string>();
  }

  Result<int> integer(const char* key, std::optional<int> fallback) const {
    if (!node_.contains(key)) {
      if (!fallback) return missing(key, "an integer");
      return *fallback;
    }
    return as_int(node_.at(key), key);
  }

  Result<float> number(const char* key, float fallback) const {
    if (!node_.contains(key)) return fallback;
    const json& v = node_.at(key);
    if (!v.is_number()) return wrong_type(key, "a number", v);
    return v.get<float>();
  }

  // n, or an array of `sizes` integers (e.g. [h, w]); a plain n fills all.
  Result<std::vector<int>> ints(const char* key, int fallback, std::initializer_list<size_t> sizes) const {
    const size_t widest = std::max(sizes);
    if (!node_.contains(key)) return std::vector<int>(widest, fallback);
    const json& v = node_.at(key);
    if (v.is_number_integer()) {
      auto one = as_int(v, key);
      if (!one) return one.error();
      return std::vector<int>(widest, *one);
    }
    bool size_ok = false;
    for (size_t s : sizes) size_ok = size_ok || (v.is_array() && v.size() == s);
    if (!size_ok) {
      std::string forms = "an integer";
      for (size_t s : sizes) forms += " or an array of " + std::to_string(s) + " integers";
      return wrong_type(key, forms.c_str(), v);
    }
    std::vector<int> out;
    for (const json& item : v) {
      auto one = as_int(item, key);
      if (!one) return one.error();
      out.push_back(*one);
    }
    return out;
  }

  Result<std::vector<std::string>> inputs() const {
    if (!node_.contains("inputs")) return missing("inputs", "an array of activation names");
    const json& v = node_.at("inputs");
    if (!v.is_array() || v.empty()) return wrong_type("inputs", "a non-empty array of activation names", v);
    std::vector<std::string> out;
    for (const json& item : v) {
      if (!item.is_string()) return wrong_type("inputs", "an array of activation names (strings)", v);
      out.push_back(item.get<std::string>());
    }
    return out;
  }

 private:
  Result<int> as_int(const json& v, const char* key) const {
    if (!v.is_number_integer()) return wrong_type(key, "an integer", v);
    const auto value = v.get<int64_t>();
    if (value < -1000000 || value > 1000000)
      return make_error(where_, ": ", key, " = ", value, " is out of range");
    return static_cast<int>(value);
  }
  Error missing(const char* key, const char* what) const {
    return make_error(where_, ": missing field \"", key, "\" (", what, ")");
  }
  Error wrong_type(const char* key, const char* what, const json& v) const {
    return make_error(where_, ": field \"", key, "\" must be ", what, ", got ", v.dump());
  }

  const json& node_;
  std::string where_;
};

// Static checks of one convolution's settings (sizes are checked in infer_shapes).
Status check_conv_settings(const GraphNode& node, const std::string& where) {
  if (node.in_channels < 1 || node.out_channels < 1)
    return make_error(where, ": in_channels and out_channels must be >= 1, got ", node.in_channels, " and ",
                      node.out_channels);
  if (node.kernel < 1) return make_error(where, ": kernel must be >= 1, got ", node.kernel);
  const bool transposed = node.op == OpKind::ConvTranspose2d;
  const int sh = transposed ? node.tconv.stride_h : node.conv.stride_h;
  const int sw = transposed ? node.tconv.stride_w : node.conv.stride_w;
  const int dh = transposed ? node.tconv.dilation_h : node.conv.dilation_h;
  const int dw = transposed ? node.tconv.dilation_w : node.conv.dilation_w;
  if (sh < 1 || sw < 1) return make_error(where, ": stride must be >= 1, got ", sh, "x", sw);
  if (dh < 1 || dw < 1) return make_error(where, ": dilation must be >= 1, got ", dh, "x", dw);
  if (transposed) {
    const auto& t = node.tconv;
    if (t.padding_h < 0 || t.padding_w < 0)
      return make_error(where, ": padding must be >= 0, got ", t.padding_h, "x", t.padding_w);
    if (t.output_padding_h < 0 || t.output_padding_w < 0 || t.output_padding_h >= std::max(sh, dh) ||
        t.output_padding_w >= std::max(sw, dw))
      return make_error(where, ": output_padding ", t.output_padding_h, "x", t.output_padding_w,
                        " must be >= 0 and smaller than stride or dilation (", std::max(sh, dh), "x",
                        std::max(sw, dw), ")");
  } else {
    const auto& p = node.conv.padding;
    if (p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0)
      return make_error(where, ": padding must be >= 0 on every side, got top ", p.top, " bottom ", p.bottom,
                        " left ", p.left, " right ", p.right);
  }
  return {};
}

Status read_conv(const NodeReader& in, GraphNode& node) {
  auto ic = in.integer("in_channels", std::nullopt);
  if (!ic) return ic.error();
  auto oc = in.integer("out_channels", std::nullopt);
  if (!oc) return oc.error();
  auto k = in.integer("kernel", std::nullopt);
  if (!k) return k.error();
  auto stride = in.ints("stride", 1, {2});
  if (!stride) return stride.error();
  auto dilation = in.ints("dilation", 1, {2});
  if (!dilation) return dilation.error();
  node.in_channels = *ic;
  node.out_channels = *oc;
  node.kernel = *k;
  if (node.op == OpKind::Conv2d) {
    if (in.has("output_padding"))
      return make_error(in.where(), ": output_padding is only for conv_transpose2d");
    auto pad = in.ints("padding", 0, {2, 4});
    if (!pad) return pad.error();
    const auto& p = *pad;
    node.conv.padding = p.size() == 2 ? Padding2d{p[0], p[0], p[1], p[1]} : Padding2d{p[0], p[1], p[2], p[3]};
    node.conv.stride_h = (*stride)[0];
    node.conv.stride_w = (*stride)[1];
    node.conv.dilation_h = (*dilation)[0];
    node.conv.dilation_w = (*dilation)[1];
  } else {
    auto pad = in.ints("padding", 0, {2});
    if (!pad) return pad.error();
    auto out_pad = in.ints("output_padding", 0, {2});
    if (!out_pad) return out_pad.error();
    node.tconv.padding_h = (*pad)[0];
    node.tconv.padding_w = (*pad)[1];
    node.tconv.output_padding_h = (*out_pad)[0];
    node.tconv.output_padding_w = (*out_pad)[1];
    node.tconv.stride_h = (*stride)[0];
    node.tconv.stride_w = (*stride)[1];
    node.tconv.dilation_h = (*dilation)[0];
    node.tconv.dilation_w = (*dilation)[1];
  }
  return check_conv_settings(node, in.where());
}

Status read_op_fields(const NodeReader& in, GraphNode& node) {
  switch (node.op) {
    case OpKind::Conv2d:
    case OpKind::ConvTranspose2d:
      return read_conv(in, node);
    case OpKind::BatchNorm2d: {
      auto c = in.integer("channels", std::nullopt);
      if (!c) return c.error();
      auto eps = in.number("eps", 1e-5f);
      if (!eps) return eps.error();
      auto momentum = in.number("momentum", 0.1f);
      if (!momentum) return momentum.error();
      node.channels = *c;
      node.eps = *eps;
      node.momentum = *momentum;
      if (node.channels < 1) return make_error(in.where(), ": channels must be >= 1, got ", node.channels);
      if (!(node.eps > 0.0f)) return make_error(in.where(), ": eps must be > 0, got ", node.eps);
      return {};
    }
    case OpKind::EmbedBroadcast: {
      auto rows = in.integer("rows", std::nullopt);
      if (!rows) return rows.error();
      auto dim = in.integer("dim", std::nullopt);
      if (!dim) return dim.error();
      node.rows = *rows;
      node.dim = *dim;
      if (node.rows < 1 || node.dim < 1)
        return make_error(in.where(), ": rows and dim must be >= 1, got ", node.rows, " and ", node.dim);
      return {};
    }
    default:
      return {};
  }
}

bool needs_weights(OpKind op) {
  return op == OpKind::Conv2d || op == OpKind::ConvTranspose2d || op == OpKind::BatchNorm2d ||
         op == OpKind::EmbedBroadcast;
}

Result<GraphNode> read_node(const json& j, size_t index, const std::string& source) {
  if (!j.is_object()) return make_error(source, ": node #", index, " must be a JSON object, got ", j.dump());
  NodeReader first(j, source + ": node #" + std::to_string(index));
  auto name = first.string("name", true);
  if (!name) return name.error();
  if (name->empty()) return make_error(first.where(), ": the name must not be empty");
  NodeReader in(j, source + ": node " + *name);

  GraphNode node;
  node.name = *name;
  auto op = in.string("op", true);
  if (!op) return op.error();
  auto kind = op_from_name(*op);
  if (!kind) return make_error(in.where(), ": unknown op \"", *op, "\"; valid ops: ", valid_op_names());
  if (!is_graph_op(*kind))
    return make_error(
        in.where(), ": op ", *op,
        " cannot be a graph node; graph ops: conv2d, conv_transpose2d, batch_norm, relu, concat, embed");
  node.op = *kind;
  auto inputs = in.inputs();
  if (!inputs) return inputs.error();
  node.inputs = std::move(inputs).value();
  auto weights = in.string("weights", needs_weights(node.op));
  if (!weights) return weights.error();
  node.weights = *weights;
  if (needs_weights(node.op) && node.weights.empty())
    return make_error(in.where(), ": \"weights\" (the state_dict prefix) must not be empty");
  if (!needs_weights(node.op) && !node.weights.empty())
    return make_error(in.where(), ": op ", *op, " has no weights, but \"weights\": \"", node.weights,
                      "\" is set");
  auto description = in.string("description", false);
  if (!description) return description.error();
  node.description = *description;
  CONVLAB_TRY(read_op_fields(in, node));
  return node;
}

// Checks one node's inputs against the channels known so far and returns the
// channel count of its output. channels["category"] is 0: not a tensor.
Result<int> node_channels(const GraphNode& node, const std::map<std::string, int>& channels,
                          const std::string& where) {
  std::vector<int> in;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const std::string& input = node.inputs[i];
    auto it = channels.find(input);
    if (it == channels.end())
      return make_error(
          where, ": input \"", input,
          "\" is not defined before this node (inputs must be \"gray\", \"category\" or an earlier node)");
    const bool category_allowed = node.op == OpKind::EmbedBroadcast && i == 0;
    if ((input == kCategory) != category_allowed) {
      if (category_allowed)
        return make_error(where, ": an embed's first input must be \"category\", got \"", input, "\"");
      return make_error(where, ": \"category\" is a list of integers, usable only as an embed's first input");
    }
    in.push_back(it->second);
  }
  const auto count = [&](size_t n) -> Status {
    if (node.inputs.size() != n)
      return make_error(where, ": ", op_name(node.op), " takes ", n, " input", n == 1 ? "" : "s", ", got ",
                        node.inputs.size());
    return {};
  };
  switch (node.op) {
    case OpKind::Conv2d:
    case OpKind::ConvTranspose2d:
      CONVLAB_TRY(count(1));
      if (in[0] != node.in_channels)
        return make_error(where, ": in_channels ", node.in_channels, " but its input ", node.inputs[0],
                          " has ", in[0], " channels");
      return node.out_channels;
    case OpKind::BatchNorm2d:
      CONVLAB_TRY(count(1));
      if (in[0] != node.channels)
        return make_error(where, ": channels ", node.channels, " but its input ", node.inputs[0], " has ",
                          in[0], " channels");
      return node.channels;
    case OpKind::Relu:
      CONVLAB_TRY(count(1));
      return in[0];
    case OpKind::Concat: {
      int total = 0;
      for (int c : in) total += c;
      return total;
    }
    case OpKind::EmbedBroadcast:
      CONVLAB_TRY(count(2));
      return node.dim;
    default:
      return make_error(where, ": op ", op_name(node.op), " cannot be a graph node");
  }
}

// Two nodes may share weights only when they are embed tables of one shape.
Status check_weight_sharing(const GraphNode& node, std::map<std::string, const GraphNode*>& owners,
                            const std::string& where) {
  if (node.weights.empty()) return {};
  auto [it, fresh] = owners.emplace(node.weights, &node);
  if (fresh) return {};
  const GraphNode& other = *it->second;
  if (node.op != OpKind::EmbedBroadcast || other.op != OpKind::EmbedBroadcast)
    return make_error(where, ": weights \"", node.weights, "\" are already used by node ", other.name,
                      " (only embed nodes may share a table)");
  if (node.rows != other.rows || node.dim != other.dim)
    return make_error(where, ": table ", node.weights, " is ", other.rows, "x", other.dim, " at node ",
                      other.name, " but ", node.rows, "x", node.dim, " here");
  return {};
}

Result<int> optional_int(const json& root, const char* key, int fallback, const std::string& source) {
  if (!root.contains(key)) return fallback;
  const json& v = root.at(key);
  if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1000000)
    return make_error(source, ": \"", key, "\" must be a positive integer, got ", v.dump());
  return v.get<int>();
}

std::string dims(const Shape& s) {
  return s.size() == 4 ? std::to_string(s[2]) + "x" + std::to_string(s[3]) : shape_to_string(s);
}

}  // namespace

Result<Graph> Graph::from_json(const std::string& json_text, const std::string& source) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {
    // Not only syntax errors: a number too large for a double is an
    // out_of_range error (found by fuzz/fuzz_model_json).
    return make_error(source, ": not valid JSON: ", e.what());
  }
  if (!root.is_object()) return make_error(source, ": a model description must be a JSON object");
  NodeReader top(root, source);
  Graph graph;
  auto name = top.string("name", true);
  if (!name) return name.error();
  graph.name_ = *name;
  auto title = top.string("title", false);
  if (!title) return title.error();
  graph.title_ = title->empty() ? graph.name_ : *title;
  auto description = top.string("description", false);
  if (!description) return description.error();
  graph.description_ = *description;
  auto output = top.string("output", true);
  if (!output) return output.error();
  graph.output_ = *output;
  auto multiple = optional_int(root, "size_multiple", 1, source);
  if (!multiple) return multiple.error();
  graph.size_multiple_ = *multiple;
  if (!root.contains("nodes") || !root.at("nodes").is_array() || root.at("nodes").empty())
    return make_error(source, ": missing field \"nodes\" (a non-empty array of nodes)");

  std::map<std::string, int> channels = {{kGray, 1}, {kCategory, 0}};
  std::map<std::string, const GraphNode*> owners;
  const json& nodes = root.at("nodes");
  graph.nodes_.reserve(nodes.size());  // owners keeps pointers into nodes_
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto node = read_node(nodes[i], i, source);
    if (!node) return node.error();
    const std::string where = source + ": node " + node->name;
    if (channels.count(node->name))
      return make_error(where, ": the name is already used by ",
                        node->name == kGray || node->name == kCategory ? "a graph input" : "an earlier node");
    auto out_channels = node_channels(*node, channels, where);
    if (!out_channels) return out_channels.error();
    graph.nodes_.push_back(std::move(node).value());
    CONVLAB_TRY(check_weight_sharing(graph.nodes_.back(), owners, where));
    channels[graph.nodes_.back().name] = *out_channels;
  }
  if (!graph.find(graph.output_))
    return make_error(source, ": output \"", graph.output_, "\" is not a node of the graph");
  graph.outputs_ = {graph.output_};
  graph.inputs_ = {{kGray, {-1, 1, -1, -1}, false}, {kCategory, {-1}, true}};

  // emb_size / categories: from the embed nodes; the top-level fields, when
  // given, must agree with them.
  for (const auto& node : graph.nodes_) {
    if (node.op != OpKind::EmbedBroadcast) continue;
    graph.emb_size_ = node.dim;
    graph.categories_ = node.rows;
    break;
  }
  auto emb = optional_int(root, "emb_size", graph.emb_size_ ? graph.emb_size_ : 1, source);
  if (!emb) return emb.error();
  auto categories = optional_int(root, "categories", graph.categories_ ? graph.categories_ : 1, source);
  if (!categories) return categories.error();
  if (graph.emb_size_ && (*emb != graph.emb_size_ || *categories != graph.categories_))
    return make_error(source, ": emb_size ", *emb, " and categories ", *categories,
                      " disagree with the embed nodes' table (", graph.categories_, " rows x ",
                      graph.emb_size_, ")");
  return graph;
}

Result<Graph> Graph::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path, ": cannot open the model description (does the file exist?)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(path, ": read error");
  return from_json(text.str(), path);
}

std::vector<std::string> Graph::builtin_names() {
  std::vector<std::string> names;
  for (const auto& [name, text] : detail::embedded_graphs()) names.push_back(name);
  return names;
}

std::string Graph::builtin_json(const std::string& arch) {
  const auto& graphs = detail::embedded_graphs();
  auto it = graphs.find(arch);
  return it == graphs.end() ? std::string() : it->second;
}

Result<Graph> Graph::builtin(const std::string& arch) {
  const auto& graphs = detail::embedded_graphs();
  auto it = graphs.find(arch);
  if (it == graphs.end()) {
    std::string valid;
    for (const auto& name : builtin_names()) valid += (valid.empty() ? "" : ", ") + name;
    return make_error("no built-in model \"", arch, "\"; valid: ", valid);
  }
  return from_json(it->second, "built-in ecnn_" + arch + ".json");
}

const GraphNode* Graph::find(const std::string& name) const {
  for (const auto& node : nodes_)
    if (node.name == name) return &node;
  return nullptr;
}

std::vector<WeightSpec> Graph::expected_weights() const {
  std::vector<WeightSpec> specs;
  std::set<std::string> seen;
  const auto add = [&](const std::string& name, Shape shape, bool integer = false) {
    if (seen.insert(name).second) specs.push_back({name, std::move(shape), integer});
  };
  for (const auto& node : nodes_) {
    const std::string& p = node.weights;
    const int64_t k = node.kernel;
    switch (node.op) {
      case OpKind::Conv2d:
        add(p + ".weight", {node.out_channels, node.in_channels / node.conv.groups, k, node.kernel_width()});
        add(p + ".bias", {node.out_channels});
        break;
      case OpKind::ConvTranspose2d:
        add(p + ".weight", {node.in_channels, node.out_channels / node.tconv.groups, k, node.kernel_width()});
        add(p + ".bias", {node.out_channels});
        break;
      case OpKind::BatchNorm2d:
        for (const char* field : {".weight", ".bias", ".running_mean", ".running_var"})
          add(p + field, {node.channels});
        add(p + ".num_batches_tracked", {}, true);
        break;
      case OpKind::EmbedBroadcast:
        add(p + ".weight", {node.rows, node.dim});
        break;
      default:
        break;
    }
  }
  return specs;
}

int64_t Graph::parameter_count() const {
  const auto ends_with = [](const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  int64_t total = 0;
  for (const auto& spec : expected_weights())
    if (!spec.integer && !ends_with(spec.name, ".running_mean") && !ends_with(spec.name, ".running_var"))
      total += shape_numel(spec.shape);
  for (const auto& [name, shape] : constants_) total += shape_numel(shape);
  return total;
}

Result<std::map<std::string, Shape>> Graph::infer_shapes(int64_t n, int64_t h, int64_t w) const {
  const std::string input = name_ + " model, input " + std::to_string(h) + "x" + std::to_string(w);
  const std::string hint = "; H, W must be multiples of " + std::to_string(size_multiple_);
  if (n < 1 || h < 1 || w < 1 || h > 1000000 || w > 1000000)
    return make_error(input, " with batch ", n, ": N, H and W must be between 1 and 1000000");
  std::map<std::string, Shape> shapes = {{kGray, {n, 1, h, w}}, {kCategory, {n}}};
  for (const auto& node : nodes_) {
    const auto fail = [&](const std::string& why) {
      return make_error(input, ": node ", node.name, ": ", why, hint);
    };
    const Shape& first = shapes.at(node.inputs.back());  // embed: the tensor whose H x W it fills
    const Size2d in{static_cast<int>(first.size() == 4 ? first[2] : 0),
                    static_cast<int>(first.size() == 4 ? first[3] : 0)};
    Shape out = first;
    switch (node.op) {
      case OpKind::Conv2d:
      case OpKind::ConvTranspose2d: {
        auto size = node.op == OpKind::Conv2d
                        ? conv2d_output_size(in, {node.kernel, node.kernel}, node.conv)
                        : conv_transpose2d_output_size(in, {node.kernel, node.kernel}, node.tconv);
        if (!size) return fail(size.message());
        out = {n, node.out_channels, size->h, size->w};
        break;
      }
      case OpKind::Concat: {
        int64_t c = 0;
        const Shape& lead = shapes.at(node.inputs[0]);
        for (const auto& name : node.inputs) {
          const Shape& s = shapes.at(name);
          if (s[2] != lead[2] || s[3] != lead[3])
            return fail("concat inputs differ in size: " + node.inputs[0] + " is " + dims(lead) + " but " +
                        name + " is " + dims(s));
          c += s[1];
        }
        out = {n, c, lead[2], lead[3]};
        break;
      }
      case OpKind::EmbedBroadcast:
        out = {n, node.dim, first[2], first[3]};
        break;
      default:
        break;  // batch norm, relu: same shape
    }
    shapes[node.name] = out;
  }
  if (h % size_multiple_ != 0 || w % size_multiple_ != 0)
    return make_error(input, ": H, W must be multiples of ", size_multiple_);
  return shapes;
}

namespace {

// Ops a reader may put in a graph: everything but the colour conversions and
// the photo resize the colorizer pipeline runs around a graph.
bool is_node_op(OpKind op) {
  return op != OpKind::RgbToLab && op != OpKind::LabToRgb && op != OpKind::UpsampleBilinear &&
         op != OpKind::Count;
}

}  // namespace

Result<Graph> Graph::assemble(Parts parts, const std::string& source) {
  Graph graph;
  graph.name_ = parts.name;
  graph.title_ = parts.title.empty() ? parts.name : parts.title;
  graph.description_ = std::move(parts.description);
  std::set<std::string> defined;
  for (const GraphInput& input : parts.inputs) {
    if (input.name.empty() || !defined.insert(input.name).second)
      return make_error(source, ": graph input \"", input.name, "\" is empty or named twice");
    for (int64_t d : input.shape)
      if (d == 0 || d < -1)
        return make_error(source, ": graph input ", input.name, " has shape ", shape_to_string(input.shape),
                          "; valid dimensions: 1 or more, or free");
  }
  for (const auto& [name, shape] : parts.constants)
    if (!defined.insert(name).second)
      return make_error(source, ": constant \"", name, "\" has the name of a graph input");
  for (const GraphNode& node : parts.nodes) {
    const std::string where = source + ": node " + node.name + " (" + std::string(op_name(node.op)) + ")";
    if (!is_node_op(node.op)) return make_error(where, ": this op cannot be a graph node");
    for (const std::string& input : node.inputs)
      if (!defined.count(input))
        return make_error(where, ": input \"", input,
                          "\" is not a graph input, a constant or the output of an earlier node");
    if (!defined.insert(node.name).second)
      return make_error(where, ": the name \"", node.name, "\" is already used");
  }
  if (parts.outputs.empty()) return make_error(source, ": the graph has no outputs");
  for (const std::string& output : parts.outputs)
    if (!defined.count(output) || parts.constants.count(output))
      return make_error(source, ": graph output \"", output, "\" is not computed by any node");
  graph.inputs_ = std::move(parts.inputs);
  graph.constants_ = std::move(parts.constants);
  graph.nodes_ = std::move(parts.nodes);
  graph.outputs_ = std::move(parts.outputs);
  graph.output_ = graph.outputs_.front();
  return graph;
}

Result<std::map<std::string, Shape>> Graph::infer_shapes(
    const std::map<std::string, Shape>& input_shapes) const {
  std::map<std::string, Shape> shapes;
  for (const GraphInput& input : inputs_) {
    auto it = input_shapes.find(input.name);
    if (it == input_shapes.end()) return make_error(name_, ": no value given for the input ", input.name);
    const Shape& given = it->second;
    bool fits = given.size() == input.shape.size();
    for (size_t d = 0; fits && d < given.size(); ++d)
      fits = given[d] >= 1 && given[d] <= (int64_t{1} << 31) &&
             (input.shape[d] == -1 || given[d] == input.shape[d]);
    if (!fits) {
      std::string expected;
      for (size_t d = 0; d < input.shape.size(); ++d) {
        if (d > 0) expected += 'x';
        expected += input.shape[d] == -1 ? std::string("any") : std::to_string(input.shape[d]);
      }
      return make_error(name_, ": input ", input.name, " has shape ", shape_to_string(given),
                        "; the model takes ", expected.empty() ? "a scalar" : expected);
    }
    shapes[input.name] = given;
  }
  for (const auto& [name, shape] : constants_) shapes[name] = shape;
  for (const GraphNode& node : nodes_) {
    std::vector<const Shape*> in;
    for (const std::string& input : node.inputs) in.push_back(&shapes.at(input));
    auto out = node_output_shape(node, in);
    if (!out) {
      std::string given;
      for (const Shape* s : in) given += (given.empty() ? "" : ", ") + shape_to_string(*s);
      return make_error(name_, ": node ", node.name, " (", op_name(node.op), ") on ", given, ": ",
                        out.message());
    }
    shapes[node.name] = std::move(out).value();
  }
  return shapes;
}

}  // namespace convlab
