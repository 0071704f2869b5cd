#include "app/layer_source.h"

#include <algorithm>
#include <filesystem>

#include "app/model_opener.h"
#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"
#include "core/io/asset_paths.h"
#include "core/model/colorize.h"

namespace convlab::app {

namespace fs = std::filesystem;
namespace st = explore::setting_text;

const std::vector<std::string>& LayerSource::keys() {
  // model and preprocess before source: a layer is looked up in the model.
  static const std::vector<std::string> names = {"model",    "preprocess",   "source", "image",
                                                 "category", "working_size", "filter", "channel"};
  return names;
}

bool LayerSource::takes_key(const std::string& key) const {
  return std::find(keys().begin(), keys().end(), key) != keys().end();
}

void LayerSource::set_limits(bool transposed, int max_side, int max_channels) {
  transposed_ = transposed;
  max_side_ = max_side;
  max_channels_ = max_channels;
}

const std::string& LayerSource::model_label() const {
  static const std::string none;
  if (image_model_) return model_path_;
  return model_ ? model_->label : none;
}

std::string LayerSource::category_name() const {
  const int id = category_ >= 0 ? category_ : category_from_file_name(image_path_);
  return std::string(category_name_en(id)) + " / " + category_name_pt(id);
}

Status LayerSource::apply(const std::string& key, const std::string& value) {
  // A change the active layer cannot take leaves everything as it was.
  const int filter = filter_, channel = channel_, category = category_, working = working_size_;
  const std::string image = image_path_;
  Status applied = apply_unchecked(key, value);
  if (!applied.ok() && key != "source") {
    filter_ = filter;
    channel_ = channel;
    category_ = category;
    working_size_ = working;
    image_path_ = image;
  }
  return applied;
}

Status LayerSource::apply_unchecked(const std::string& key, const std::string& value) {
  if (key == "model") {
    // A new model: the layer asked for next is one of its layers.
    if (value == "ecnn") {
      layer_.clear();
      activations_.reset();
      model_path_.clear();
      image_model_.reset();
      recipe_.reset();
      return {};
    }
    auto file = model_file_for(value);  // a bundled model's name, or a path
    if (!file.ok()) return file.error();
    auto opened = open_model_file(*file);
    if (!opened.ok()) return opened.error();
    auto recipe = preprocess_from_metadata(opened->model->graph, opened->metadata, opened->labels_text);
    if (!recipe.ok()) return with_context(*file + ": ", recipe.error());
    layer_.clear();
    activations_.reset();
    model_path_ = *file;
    image_model_ = opened->model;
    recipe_ = std::move(recipe).value();
    preprocess_text_.clear();
    return {};
  }
  if (key == "preprocess") {
    if (!recipe_) return Error{tr("preprocess: give model=PATH first")};
    Preprocess changed = *recipe_;
    std::string_view text = value;
    while (!text.empty()) {
      const std::string_view item = text.substr(0, text.find(';'));
      text.remove_prefix(std::min(text.size(), item.size() + 1));
      const size_t eq = item.find('=');
      if (item.empty()) continue;
      if (eq == std::string_view::npos)
        return st::bad_value(key, value, tr("KEY=VALUE pairs separated by ;"));
      CONVLAB_TRY(apply_preprocess_setting(changed, std::string(item.substr(0, eq)),
                                           std::string(item.substr(eq + 1))));
    }
    CONVLAB_TRY(check_recipe(image_model_->graph, changed));
    recipe_ = std::move(changed);
    preprocess_text_ = value;
    activations_.reset();
    if (!active()) return {};
    auto made = slice();
    return made.ok() ? Status{} : Status(made.error());
  }
  if (key == "source") {
    if (value == "off" || value == "none") {
      layer_.clear();
      return {};
    }
    if (value.rfind("layer:", 0) != 0 || value.size() == 6)
      return st::bad_value(key, value,
                           tr("layer:NAME (a convolution of the colorizer, e.g. layer:conv1) or off"));
    const std::string previous = layer_;
    layer_ = value.substr(6);
    auto made = slice();
    if (!made.ok()) {
      layer_ = previous;
      return Error{format(tr("%s: %s"), "source", made.message().c_str())};
    }
    return {};
  }
  if (key == "image") {
    std::string path = value;
    for (const std::string& sample : bundled_sample_photos())
      if (fs::path(sample).stem() == value || fs::path(sample).filename() == value) path = sample;
    std::error_code ec;  // a name the file system refuses (too long, say) is just not a file
    if (!fs::is_regular_file(path, ec))
      return Error{
          format(tr("image: '%s' is neither an image file nor a bundled sample (e.g. animals_chelsea_cat)"),
                 value.c_str())};
    image_path_ = path;
  } else if (key == "category") {
    auto id = parse_category(value);
    if (!id.ok()) return Error{format(tr("%s: %s"), "category", id.message().c_str())};
    category_ = id.value();
  } else if (key == "working_size") {
    int size = 0;
    if (!st::parse_int(value, size) || size < 16 || size > 512)
      return st::bad_value(key, value, tr("a whole number from 16 to 512 (the long side the model runs at)"));
    working_size_ = size;
  } else if (key == "filter") {
    int filter = 0;
    if (!st::parse_int(value, filter) || filter < 1)
      return st::bad_value(key, value, tr("a filter number from 1"));
    filter_ = filter - 1;
  } else if (key == "channel") {
    int channel = 0;
    if (value == "sum" || value == "all") {
      channel_ = kAllChannels;
    } else if (st::parse_int(value, channel) && channel >= 1) {
      channel_ = channel - 1;
    } else {
      return st::bad_value(key, value, tr("an input channel number from 1, or sum (all channels added)"));
    }
  } else {
    return Error{"unknown layer-source key '" + key + "'"};
  }
  if (!active()) return {};
  auto made = slice();  // report a bad filter/channel for the active layer now
  return made.ok() ? Status{} : Status(Error{format(tr("%s: %s"), key.c_str(), made.message().c_str())});
}

std::string LayerSource::state_text() const {
  std::string text;
  if (image_model_) text += "model=" + model_path_ + "\n";
  if (!preprocess_text_.empty()) text += "preprocess=" + preprocess_text_ + "\n";
  if (!image_path_.empty()) {
    // A bundled photo by its name, so the text works on any machine.
    std::string image = image_path_;
    for (const std::string& sample : bundled_sample_photos())
      if (sample == image_path_) image = fs::path(sample).stem().string();
    text += "image=" + image + "\n";
  }
  if (category_ >= 0) text += std::string("category=") + category_name_en(category_) + "\n";
  text += "working_size=" + std::to_string(working_size_) + "\n";
  text += "filter=" + std::to_string(filter_ + 1) + "\n";
  text += "channel=" + (channel_ == kAllChannels ? std::string("sum") : std::to_string(channel_ + 1)) + "\n";
  text += "source=layer:" + layer_ + "\n";
  return text;
}

Status LayerSource::ensure_run() {
  if (!model_) {
    auto shared = shared_colorizer();
    if (!shared.ok()) return shared.error();
    model_ = shared.value();
  }
  if (image_path_.empty()) {
    const auto samples = bundled_sample_photos();
    if (samples.empty())
      return Error{tr("no image given and no bundled photos found (assets/samples); use image=PATH")};
    image_path_ = samples.front();
  }
  const int category = category_ >= 0 ? category_ : category_from_file_name(image_path_);
  const std::string key = image_path_ + "|" + std::to_string(category) + "|" + std::to_string(working_size_);
  if (activations_ && run_key_ == key) return {};
  auto image = load_image(image_path_);
  if (!image.ok()) return image.error();
  if (image_model_) {
    // Any image model: the photo through its recipe, every node kept (its input too).
    auto tensor = preprocess_image(image.value(), *recipe_);
    if (!tensor.ok()) return with_context(image_path_ + ": ", tensor.error());
    auto run = run_graph_cpu(*image_model_, {{recipe_->input, tensor.value()}}, CpuPath::Fast, true);
    if (!run.ok()) return run.error();
    activations_ = std::move(run).value();
    activations_->values.emplace(recipe_->input, std::move(tensor).value());
    run_key_ = key;
    image_label_ = format(tr("%s at %d×%d, model %s"), fs::path(image_path_).filename().string().c_str(),
                          recipe_->size, recipe_->size, fs::path(model_path_).filename().string().c_str());
    return {};
  }
  auto input = prepare_colorize_input(image.value(), working_size_, model_->model.graph.size_multiple());
  if (!input.ok()) return with_context(image_path_ + ": ", input.error());
  const int64_t cat = category;
  auto run =
      run_model_cpu(model_->model, input->gray, std::span<const int64_t>(&cat, 1), CpuPath::Fast, true);
  if (!run.ok()) return run.error();
  activations_ = std::move(run).value();
  run_key_ = key;
  image_label_ = format(tr("%s at %d×%d, category %s"), fs::path(image_path_).filename().string().c_str(),
                        input->working.w, input->working.h, category_name().c_str());
  return {};
}

Result<LayerSlice> LayerSource::slice() {
  if (!active()) return Error{"no layer source is active"};
  CONVLAB_TRY(ensure_run());
  const Graph& graph = model().graph;
  const GraphNode* node = graph.find(layer_);
  const OpKind wanted = transposed_ ? OpKind::ConvTranspose2d : OpKind::Conv2d;
  if (node == nullptr || node->op != wanted) {
    std::string names;
    for (const std::string& n : conv_layer_names(graph, transposed_))
      names += (names.empty() ? "" : ", ") + n;
    if (image_model_)
      return Error{format(transposed_ ? tr("'%s' is not a transposed convolution of %s; this panel opens %s")
                                      : tr("'%s' is not a convolution of %s; this panel opens %s"),
                          layer_.c_str(), model_path_.c_str(), names.c_str())};
    return Error{format(transposed_
                            ? tr("'%s' is not a transposed convolution of the colorizer; this panel opens %s")
                            : tr("'%s' is not a convolution of the colorizer; this panel opens %s"),
                        layer_.c_str(), names.c_str())};
  }
  return slice_layer(model(), *activations_, layer_, filter_, channel_, max_side_, max_channels_);
}

}  // namespace convlab::app

namespace convlab::app {

Status load_slice(explore::ConvExplorer& explorer, const LayerSlice& slice) {
  explore::ConvExplorer next = explorer;                    // all or nothing
  next.set_operation(explore::ConvOperation::Convolution);  // a layer is a convolution
  CONVLAB_TRY(next.set_out_channels(1));
  CONVLAB_TRY(next.set_in_channels(slice.channels_shown));
  CONVLAB_TRY(next.set_input_size(slice.crop_h, slice.crop_w));
  CONVLAB_TRY(next.set_kernel_size(slice.kernel_h, slice.kernel_w));
  CONVLAB_TRY(next.set_input_values(slice.input));
  CONVLAB_TRY(next.set_weights(slice.weight));
  CONVLAB_TRY(next.set_biases({slice.channel == kAllChannels ? slice.layer_bias : 0.0f}));
  CONVLAB_TRY(next.set_custom_padding(slice.conv.padding));
  CONVLAB_TRY(next.set_stride(slice.conv.stride_h, slice.conv.stride_w));
  CONVLAB_TRY(next.set_dilation(slice.conv.dilation_h, slice.conv.dilation_w));
  next.to_start();
  explorer = std::move(next);
  return {};
}

Status load_slice(explore::TconvExplorer& explorer, const LayerSlice& slice) {
  explore::TconvExplorer next = explorer;
  CONVLAB_TRY(next.set_in_channels(slice.channels_shown));
  CONVLAB_TRY(next.set_out_channels(1));
  CONVLAB_TRY(next.set_input_size(slice.crop_h, slice.crop_w));
  CONVLAB_TRY(next.set_kernel_size(slice.kernel_h, slice.kernel_w));
  CONVLAB_TRY(next.set_input_values(slice.input));
  CONVLAB_TRY(next.set_weights(slice.weight));
  CONVLAB_TRY(next.set_biases({slice.channel == kAllChannels ? slice.layer_bias : 0.0f}));
  CONVLAB_TRY(next.set_output_padding(0, 0));
  CONVLAB_TRY(next.set_stride(slice.tconv.stride_h, slice.tconv.stride_w));
  CONVLAB_TRY(next.set_dilation(slice.tconv.dilation_h, slice.tconv.dilation_w));
  CONVLAB_TRY(next.set_padding(slice.tconv.padding_h, slice.tconv.padding_w));
  CONVLAB_TRY(next.set_output_padding(slice.tconv.output_padding_h, slice.tconv.output_padding_w));
  next.to_start();
  explorer = std::move(next);
  return {};
}

}  // namespace convlab::app
