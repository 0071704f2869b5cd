// The "Colorizer layer" section the convolution and transposed-convolution
// panels show while they hold a real layer (--set source=layer:NAME): what
// the slice is, the layer's real settings and shapes, what the current
// sliders would make of the full layer, the layer's own value at the
// current step's cell, and controls for layer / filter / channel.
#pragma once

#include <optional>
#include <string>

#include "app/layer_source.h"
#include "app/panel.h"

namespace convlab::app {

struct LayerCellView {
  bool has_step = false;
  int y = 0, x = 0;    // the current step's output cell
  float computed = 0;  // what the panel's op gives there
};

// what_if: "on the full 128×128 input these settings give 64×64" (the
// panel computes it with core arithmetic). Returns a status to report
// (a changed layer / filter / channel) or nothing.
std::optional<Status> draw_layer_source_section(PanelContext& context, LayerSource& source,
                                                const LayerSlice& slice, const LayerCellView& cell,
                                                const std::string& what_if);

}  // namespace convlab::app
