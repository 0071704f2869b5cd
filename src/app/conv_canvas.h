// The picture of the convolution panel: the zero-padded input (one grid per
// channel), the current filter's kernels, the output grids filling in as the
// steps advance, the current step's taps and the lines linking them to its
// output cell, then the step's arithmetic written out. It reads the explorer
// and reports what the mouse did; it changes nothing itself.
#pragma once

#include <imgui.h>

#include <optional>

#include "app/grid_view.h"
#include "app/panel.h"
#include "core/explore/explorer.h"

namespace convlab::app {

struct InputCellRef {
  int channel = 0, y = 0, x = 0;
  bool operator==(const InputCellRef&) const = default;
};
struct OutputCellRef {
  int channel = 0, y = 0, x = 0;
};
struct WeightRef {
  int filter = 0, channel = 0, ky = 0, kx = 0;
};

struct ConvCanvasEvents {
  std::optional<InputCellRef> hovered_input;  // a real input cell (never padding)
  std::optional<InputCellRef> clicked_input;
  std::optional<OutputCellRef> clicked_output;
  std::optional<WeightRef> clicked_weight;
  ImVec2 min, max;  // the area drawn, in screen coordinates (for PNG/GIF export)
};

// `highlight` is the input cell whose outputs are shown (the hovered one, or
// one set with --set hover=...).
ConvCanvasEvents draw_conv_canvas(const explore::ConvExplorer& explorer,
                                  std::optional<InputCellRef> highlight, const PanelContext& context);

}  // namespace convlab::app
