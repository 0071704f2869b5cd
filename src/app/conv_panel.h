// The convolution panel: a kernel sliding over a zero-padded input, one
// output cell at a time; or the same window max- or average-pooling it. Settings live in
// explore::ConvExplorer (core); this class holds only what is about the screen: hover, cell editing, playback
// looping, photo choice and exports.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/controls_drawer.h"
#include "app/conv_canvas.h"
#include "app/layer_source_slot.h"
#include "app/panel.h"
#include "app/panel_exporter.h"
#include "app/status_bar.h"
#include "core/explore/explorer.h"

namespace convlab::app {

class ConvPanel : public Panel {
 public:
  ConvPanel();
  void draw(PanelContext& context) override;
  // The explorer's keys (explore::setting_keys) plus the panel's own:
  //  photo=PATH | sample name   loop=on|off   play=on|off
  //  hover=C,Y,X (1-based, as shown in the tooltips)
  //  source=layer:NAME image= category= working_size= filter= channel=
  //  (a real layer of the colorizer: app/layer_source.h)
  //  export_png|export_gif|export_csv|export_json=PATH (written after the
  //  first frames are drawn, so they show the final state)
  Status apply_setting(const std::string& key, const std::string& value) override;
  bool on_file_dropped(const std::string& path) override;
  bool takes_files() const override { return true; }
  bool on_step(StepKey key) override;
  bool busy() const override { return exporter_.busy(); }
  std::vector<std::string> control_ids() const override;
  std::string state_text() const override;

  const explore::ConvExplorer& explorer() const { return explorer_; }

 private:
  ControlsDrawer controls_drawer_;
  void draw_controls(PanelContext& context);
  void draw_input_controls(PanelContext& context);
  void draw_operation_controls(PanelContext& context);  // convolution, max pool, average pool
  void draw_filter_controls(PanelContext& context);
  void draw_window_controls(PanelContext& context);  // a pool's, instead of the filters
  void draw_padding_controls();
  void draw_stride_controls();
  void draw_dilation_controls();
  void draw_step_controls();
  void draw_export_controls(PanelContext& context);
  void draw_edit_popup(PanelContext& context);
  void handle_canvas(const ConvCanvasEvents& events, PanelContext& context);

  Status use_photo(const std::string& path);
  void draw_layer_section(PanelContext& context);  // grayscale of the photo at the input's size
  void report(PanelContext& context, const Status& status, const std::string& success = "");

  explore::ConvExplorer explorer_;
  bool loop_ = false;
  std::optional<InputCellRef> pinned_hover_;  // --set hover=...
  std::optional<InputCellRef> hover_;         // the mouse, last frame

  // Click-to-edit: which value the popup edits and the number being typed.
  enum class EditTarget { None, Input, Weight, Bias };
  EditTarget edit_target_ = EditTarget::None;
  InputCellRef edit_input_;
  WeightRef edit_weight_;
  float edit_value_ = 0;
  bool open_edit_popup_ = false;

  std::vector<std::string> samples_;  // bundled photos
  int sample_index_ = 0;
  std::string photo_path_;  // the photo in use, if any

  PendingStatus pending_status_;  // from a drop, shown on the next frame

  // source=layer:NAME (app/layer_source.h); declared after explorer_, which it loads.
  LayerSourceSlot layer_{"conv", [this](const LayerSlice& slice) { return load_slice(explorer_, slice); }};

  PanelExporter exporter_;  // after explorer_: its callbacks use it
};

}  // namespace convlab::app
