// `--set source=layer:NAME` for the convolution and transposed-convolution
// panels: a photo run through the colorizer (or, with model=PATH, any image
// model the network panel opens) on the CPU (every layer kept),
// and one filter / input channel of one of its layers cut down to what the
// panel can draw (core/model/layer_slice.h). The network panel's "open in"
// buttons send the same keys. Keys:
//   source=layer:NAME | off    image=PATH | sample name    category=NAME
//   working_size=N (16..512)   filter=N (1-based)          channel=N | sum
//   model=PATH | ecnn (the model; setting it clears the layer)
//   preprocess=KEY=VALUE;KEY=VALUE (that model's preprocessing, core/model/preprocess.h)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/colorizer_model.h"
#include "core/explore/explorer.h"
#include "core/explore/tconv_explorer.h"
#include "core/model/layer_slice.h"
#include "core/model/preprocess.h"

namespace convlab::app {

class LayerSource {
 public:
  static const std::vector<std::string>& keys();
  bool takes_key(const std::string& key) const;
  // Sets a key; when a layer is active, the slice is rebuilt (on_change).
  Status apply(const std::string& key, const std::string& value);

  bool active() const { return !layer_.empty(); }
  bool other_model() const { return image_model_ != nullptr; }  // model=PATH, not the colorizer
  // The keys that reopen this layer (image, category, working_size, filter,
  // channel, then source), one key=value per line.
  std::string state_text() const;
  void clear() { layer_.clear(); }
  // The current slice (rebuilt on a change); an error when none is active.
  Result<LayerSlice> slice();
  const std::string& image_label() const { return image_label_; }
  const std::string& model_label() const;
  std::string category_name() const;

  // What the slice is limited to in the panel using it.
  void set_limits(bool transposed, int max_side, int max_channels);

 private:
  Status ensure_run();
  Status apply_unchecked(const std::string& key, const std::string& value);
  std::string layer_;
  int filter_ = 0, channel_ = 0;
  std::string image_path_, image_label_;
  int category_ = -1;  // -1: from the photo's file name
  int working_size_ = 128;
  bool transposed_ = false;
  int max_side_ = 16, max_channels_ = 3;
  std::shared_ptr<const ColorizerModel> model_;
  // model=PATH: an image model and how a photo becomes its input.
  std::string model_path_, preprocess_text_;
  std::shared_ptr<const Model> image_model_;
  std::optional<Preprocess> recipe_;
  const Model& model() const { return image_model_ ? *image_model_ : model_->model; }
  std::optional<Activations> activations_;  // for the image / category / size below
  std::string run_key_;
};

// The slice into a panel's explorer: sizes, values, the layer's settings;
// all or nothing (on an error the explorer is unchanged). A single-channel
// slice gets bias 0 (the layer adds its bias once, after the channel sum).
Status load_slice(explore::ConvExplorer& explorer, const LayerSlice& slice);
Status load_slice(explore::TconvExplorer& explorer, const LayerSlice& slice);

}  // namespace convlab::app
