// The pictures of the transposed-convolution panel, one per view:
//  sum:     input and kernel; every input element's intermediate (the kernel
//           scaled by the element, placed at its stride offset) as its own
//           small grid, laid out like the input; their running sum with the
//           crop that padding makes; the output.
//  direct:  the same output as an ordinary convolution of the input with
//           zeros inserted and a frame added, by the flipped kernel, next to
//           the transposed convolution's own output.
//  overlap: how many kernel taps land on each output cell.
// Reads the explorer; reports what the mouse did; changes nothing.
#pragma once

#include <imgui.h>

#include <optional>

#include "app/panel.h"
#include "core/explore/tconv_explorer.h"

namespace convlab::app {

struct TconvCanvasEvents {
  std::optional<int> clicked_step;  // an intermediate or direct output cell
  ImVec2 min, max;                  // the area drawn (exports)
};

TconvCanvasEvents draw_tconv_canvas(const explore::TconvExplorer& explorer, const PanelContext& context);

}  // namespace convlab::app
