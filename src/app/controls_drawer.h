// An explorer panel's controls, placed for the room they are seen in.
// Normally a column beside the picture. In presenter mode the picture gets
// the screen: the controls fold into a thin strip with one button, and open
// on demand as a drawer over the picture's left edge (the teacher opens it,
// moves a slider, closes it).
#pragma once

#include <imgui.h>

#include "app/panel.h"

namespace convlab::app {

class ControlsDrawer {
 public:
  // Where the controls column would start. True when the controls are to
  // be drawn now (into the column, or the open drawer); call end() after
  // either way. `column_width` is the column's width outside presenter mode.
  bool begin(const char* id, float column_width, const PanelContext& context) {
    return begin(id, column_width, context.presenter);
  }
  // The same, folded into the strip whenever `as_drawer` (presenter mode, or
  // a panel too narrow for a column beside its picture).
  bool begin(const char* id, float column_width, bool as_drawer);
  void end();

  bool open() const { return open_; }

  // begin, draw() when due, end, and the picture on the same line after it.
  template <typename Draw>
  void column(const char* id, float column_width, const PanelContext& context, Draw&& draw) {
    if (begin(id, column_width, context)) draw();
    end();
    ImGui::SameLine();
  }

 private:
  bool open_ = false;
  // What end() closes: the column (a child), the drawer (a window), or
  // nothing (the strip alone, already closed).
  enum class Pending { Nothing, EndChild, End };
  Pending pending_ = Pending::Nothing;
};

}  // namespace convlab::app
