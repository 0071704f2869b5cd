// The colorizer's architecture as a U: blocks from core/model/graph_layout
// (never hard-coded), left to right in execution order, lower the smaller
// the image; flow arrows, U-Net skips arching over, the category embedding
// in violet. The selected block is outlined; in step mode the blocks the
// data has passed are lit, the one it is at glows, the rest are dimmed.
#pragma once

#include <imgui.h>

#include <map>
#include <optional>
#include <string>

#include "app/panel.h"
#include "core/model/graph_layout.h"

namespace convlab::app {

struct DiagramState {
  std::string selected;                 // block name
  std::optional<int> data_at;           // step mode: the column the data has reached
  std::map<std::string, double> ms;     // per block, when a run has timed it
  std::map<std::string, Shape> shapes;  // the real shapes of this run (else the layout's example)
  const Graph* graph = nullptr;         // the laid-out graph: summaries in the UI language (else English)
};

struct DiagramEvents {
  std::optional<std::string> clicked;  // block name
};

// Fills `size` (the caller's region) from the cursor.
DiagramEvents draw_network_diagram(const GraphLayout& layout, const DiagramState& state, ImVec2 size,
                                   const PanelContext& context);

}  // namespace convlab::app
