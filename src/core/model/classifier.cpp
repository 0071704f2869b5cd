#include "core/model/classifier.h"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace convlab {
namespace {

GraphNode conv3x3(const std::string& name, const std::string& input, int in, int out) {
  GraphNode node;
  node.name = name;
  node.op = OpKind::Conv2d;
  node.inputs = {input};
  node.weights = name;
  node.in_channels = in;
  node.out_channels = out;
  node.kernel = 3;
  node.conv.padding = Padding2d{1, 1, 1, 1};
  node.description = "3x3 convolution, padding 1: " + std::to_string(out) + " filters, the size kept";
  return node;
}

GraphNode relu(const std::string& name, const std::string& input) {
  GraphNode node;
  node.name = name;
  node.op = OpKind::Relu;
  node.inputs = {input};
  node.description = "ReLU: negative values become 0";
  return node;
}

GraphNode max_pool(const std::string& name, const std::string& input) {
  GraphNode node;
  node.name = name;
  node.op = OpKind::Pool2d;
  node.inputs = {input};
  node.pool.kind = PoolKind::Max;
  node.pool.kernel = {2, 2};
  node.pool.params.window.stride_h = node.pool.params.window.stride_w = 2;
  node.description = "2x2 max pool, stride 2: each 2x2 square keeps its largest value, the size halves";
  return node;
}

}  // namespace

Result<Graph> tiny_vgg_graph(const TinyVggOptions& o) {
  if (o.in_channels < 1 || o.channels < 1 || o.classes < 2 || o.side < 4 || o.side % 4 != 0)
    return make_error("TinyVGG: in_channels ", o.in_channels, ", channels ", o.channels, ", classes ",
                      o.classes, ", side ", o.side,
                      " are not valid; valid: channels >= 1, classes >= 2, side a multiple of 4");
  const int c = o.channels, c2 = 2 * o.channels;
  Graph::Parts parts;
  parts.name = "tinyvgg";
  parts.title = "TinyVGG classifier";
  parts.description =
      "Two blocks of conv-ReLU-conv-ReLU-max pool find edges, colors and textures, then parts; flatten lays "
      "the last maps out in one row and a linear layer scores each class.";
  parts.inputs = {GraphInput{"image", {-1, o.in_channels, o.side, o.side}}};
  parts.nodes = {conv3x3("conv1_1", "image", o.in_channels, c),
                 relu("relu1_1", "conv1_1"),
                 conv3x3("conv1_2", "relu1_1", c, c),
                 relu("relu1_2", "conv1_2"),
                 max_pool("pool1", "relu1_2"),
                 conv3x3("conv2_1", "pool1", c, c2),
                 relu("relu2_1", "conv2_1"),
                 conv3x3("conv2_2", "relu2_1", c2, c2),
                 relu("relu2_2", "conv2_2"),
                 max_pool("pool2", "relu2_2")};
  GraphNode flatten;
  flatten.name = "flatten";
  flatten.op = OpKind::Reshape;
  flatten.inputs = {"pool2"};
  flatten.axis = 1;
  flatten.description = "flatten: every value of every map in one row";
  parts.nodes.push_back(flatten);
  const int64_t features = int64_t{c2} * (o.side / 4) * (o.side / 4);
  GraphNode fc;
  fc.name = "fc";
  fc.op = OpKind::Gemm;
  fc.inputs = {"flatten", "fc.weight", "fc.bias"};
  fc.gemm.trans_b = true;
  fc.description = "linear layer: each class's score is a weighted sum of all the features, plus a bias";
  parts.nodes.push_back(fc);
  parts.constants = {{"fc.weight", {o.classes, features}}, {"fc.bias", {o.classes}}};
  parts.outputs = {"fc"};
  return Graph::assemble(std::move(parts), "TinyVGG");
}

Model tiny_vgg_initial_model(const Graph& graph, uint64_t seed) {
  Model model;
  model.graph = graph;
  std::mt19937_64 random(seed);
  // 24 random bits per value: the same numbers on every standard library.
  const auto fill = [&](const std::string& name, const Shape& shape, int64_t fan_in) {
    Tensor t(shape);
    const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
    for (int64_t i = 0; i < t.numel(); ++i) {
      const double u = static_cast<double>(random() >> 40) * 0x1p-24;
      t[i] = static_cast<float>((2.0 * u - 1.0) * bound);
    }
    model.weights[name] = std::move(t);
  };
  for (const GraphNode& node : graph.nodes()) {
    if (node.op == OpKind::Conv2d) {
      const int64_t fan_in = int64_t{node.in_channels} * node.kernel * node.kernel_width();
      fill(node.weights + ".weight", {node.out_channels, node.in_channels, node.kernel, node.kernel_width()},
           fan_in);
      fill(node.weights + ".bias", {node.out_channels}, fan_in);
    } else if (node.op == OpKind::Gemm) {
      const Shape& w = graph.constants().at(node.inputs[1]);
      fill(node.inputs[1], w, w[1]);
      fill(node.inputs[2], graph.constants().at(node.inputs[2]), w[1]);
    }
  }
  return model;
}

SafeTensors tiny_vgg_safetensors(const Model& model, const TinyVggOptions& options,
                                 std::map<std::string, std::string> metadata) {
  SafeTensors file;
  for (const auto& [name, tensor] : model.weights) file.put_float(name, tensor);
  metadata["convlab.arch"] = "tinyvgg";
  metadata["convlab.in_channels"] = std::to_string(options.in_channels);
  metadata["convlab.channels"] = std::to_string(options.channels);
  metadata["convlab.classes"] = std::to_string(options.classes);
  metadata["convlab.image_size"] = std::to_string(options.side);
  file.metadata() = std::move(metadata);
  return file;
}

Result<Model> tiny_vgg_from_safetensors(const SafeTensors& file, const std::string& source) {
  const auto& meta = file.metadata();
  const auto arch = meta.find("convlab.arch");
  if (arch == meta.end() || arch->second != "tinyvgg")
    return make_error(source, ": not a ConvLab classifier (its metadata has no convlab.arch = tinyvgg)");
  const auto number = [&](const char* key, int& out) -> Status {
    const auto it = meta.find(key);
    if (it == meta.end()) return make_error(source, ": the metadata has no ", key);
    try {
      size_t used = 0;
      out = std::stoi(it->second, &used);
      if (used != it->second.size()) throw std::invalid_argument(key);
    } catch (const std::exception&) {
      return make_error(source, ": ", key, " = '", it->second, "' is not a whole number");
    }
    return {};
  };
  TinyVggOptions options;
  CONVLAB_TRY(number("convlab.in_channels", options.in_channels));
  CONVLAB_TRY(number("convlab.channels", options.channels));
  CONVLAB_TRY(number("convlab.classes", options.classes));
  CONVLAB_TRY(number("convlab.image_size", options.side));
  auto graph = tiny_vgg_graph(options);
  if (!graph) return with_context(source + ": ", graph.error());
  Model model = tiny_vgg_initial_model(*graph, 0);  // the shapes; every value is replaced below
  for (auto& [name, tensor] : model.weights) {
    auto stored = file.get_float(name);
    if (!stored) return with_context(source + ": " + name + ": ", stored.error());
    if (stored->shape() != tensor.shape())
      return make_error(source, ": ", name, " has shape ", shape_to_string(stored->shape()),
                        "; the metadata's "
                        "network needs ",
                        shape_to_string(tensor.shape()));
    tensor = std::move(stored).value();
  }
  return model;
}

}  // namespace convlab
