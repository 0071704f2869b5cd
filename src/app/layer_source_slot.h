// What the convolution and transposed-convolution panels share to show a real
// layer (--set source=layer:NAME): the request (LayerSource), the slice it
// gives, loading that slice into the panel's explorer, and the "Colorizer
// layer" section with what the panel's sliders would make of the whole layer.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/layer_source.h"
#include "app/layer_source_view.h"
#include "app/panel.h"
#include "core/base/conv_arithmetic.h"

namespace convlab::app {

class LayerSourceSlot {
 public:
  using Load = std::function<Status(const LayerSlice&)>;  // the slice into the panel's explorer
  // The panel's op, with its current settings, on an input of this size.
  using FullOutput = std::function<Result<Size2d>(Size2d input)>;

  LayerSourceSlot(const char* panel, Load load) : panel_(panel), load_(std::move(load)) {}

  LayerSource& source() { return source_; }
  const LayerSource& source() const { return source_; }
  bool active() const { return slice_.has_value(); }
  const std::optional<LayerSlice>& slice() const { return slice_; }

  bool takes_key(const std::string& key) const { return source_.takes_key(key); }
  // A layer-source key; errors name the panel. The slice is reloaded.
  Status apply(const std::string& key, const std::string& value);
  // The source's slice into the explorer (or none, when the source is off).
  Status reload();
  // The section, while a layer is shown; a failed change goes to the status bar.
  void draw(PanelContext& context, const LayerCellView& cell, const FullOutput& full_output);

 private:
  const char* panel_;
  Load load_;
  LayerSource source_;
  std::optional<LayerSlice> slice_;  // the layer shown, while source=layer:NAME
};

}  // namespace convlab::app
