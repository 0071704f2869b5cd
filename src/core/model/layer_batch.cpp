#include "core/model/layer_batch.h"

#include <cstring>
#include <filesystem>

#include "core/base/i18n.h"
#include "core/color/lab.h"
#include "core/io/image_io.h"
#include "core/model/colorize.h"
#include "core/ops/reference.h"

namespace convlab {

namespace {

constexpr int kMaxBatchSide = 512;

double mean_of(const std::vector<float>& values) {
  if (values.empty()) return 0.0;
  double sum = 0;
  for (float v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace

Result<PhotoBatch> load_photo_batch(const std::vector<std::string>& paths, int side, int multiple) {
  if (paths.empty()) return Error{"no photos given for the batch"};
  if (multiple <= 0 || side <= 0 || side % multiple != 0 || side > kMaxBatchSide)
    return Error{"photo batch side " + std::to_string(side) + " is not valid; use a multiple of " +
                 std::to_string(multiple) + " from " + std::to_string(multiple) + " to " +
                 std::to_string(kMaxBatchSide)};
  PhotoBatch batch;
  const auto n = static_cast<int64_t>(paths.size());
  batch.gray = Tensor({n, 1, side, side});
  const size_t plane = static_cast<size_t>(side) * static_cast<size_t>(side);
  for (size_t i = 0; i < paths.size(); ++i) {
    auto image = load_image(paths[i]);
    if (!image.ok()) return image.error();
    auto small = resize_image(center_crop_to_aspect(image.value(), 1, 1), side, side);
    if (!small.ok()) return Error{paths[i] + ": " + small.message()};
    auto lab = rgb_to_lab(image_to_tensor(small.value()));
    if (!lab.ok()) return Error{paths[i] + ": " + lab.message()};
    // L is the first plane of the (1, 3, H, W) Lab tensor.
    std::memcpy(batch.gray.data() + i * plane, lab->data(), plane * sizeof(float));
    batch.categories.push_back(category_from_file_name(paths[i]));
    batch.names.push_back(std::filesystem::path(paths[i]).filename().string());
  }
  return batch;
}

std::vector<std::string> batch_norm_layer_names(const Graph& graph) {
  std::vector<std::string> names;
  for (const GraphNode& node : graph.nodes())
    if (node.op == OpKind::BatchNorm2d) names.push_back(node.name);
  return names;
}

Result<BatchNormLayer> batch_norm_layer(const Model& model, const std::string& name) {
  const GraphNode* node = model.graph.find(name);
  if (node == nullptr || node->op != OpKind::BatchNorm2d) {
    std::string valid;
    for (const std::string& layer : batch_norm_layer_names(model.graph))
      valid += (valid.empty() ? "" : ", ") + layer;
    return Error{format(tr("'%s' is not a batch-norm layer of %s; valid: %s"), name.c_str(),
                        model.graph.name().c_str(), valid.c_str())};
  }
  BatchNormLayer layer;
  layer.name = node->name;
  layer.input = node->inputs.at(0);
  layer.channels = node->channels;
  layer.eps = node->eps;
  layer.momentum = node->momentum;
  layer.gamma = model.weight(node->weights + ".weight");
  layer.beta = model.weight(node->weights + ".bias");
  layer.running_mean = model.weight(node->weights + ".running_mean");
  layer.running_var = model.weight(node->weights + ".running_var");
  return layer;
}

Result<std::vector<BatchNormLayerSummary>> summarize_batch_norm_layers(const Model& model,
                                                                       const Activations& activations) {
  std::vector<BatchNormLayerSummary> rows;
  for (const std::string& name : batch_norm_layer_names(model.graph)) {
    auto layer = batch_norm_layer(model, name);
    if (!layer.ok()) return layer.error();
    const auto found = activations.values.find(layer->input);
    if (found == activations.values.end())
      return Error{"the run did not keep activation '" + layer->input + "' (run with keep_all)"};
    auto stats = reference::batch_norm_statistics(found->second);
    if (!stats.ok()) return Error{name + ": " + stats.message()};
    rows.push_back({name, layer->channels, mean_of(layer->running_mean.values()),
                    mean_of(layer->running_var.values()), mean_of(stats->mean), mean_of(stats->biased_var)});
  }
  return rows;
}

}  // namespace convlab
