// The transposed-convolution panel: the seed's picture of a transposed
// convolution (one intermediate per input element, then their sum and the
// crop), the same numbers as a direct convolution, and the overlap counts
// behind the checkerboard artifact, shown on a real photo too. Settings
// live in explore::TconvExplorer; this class holds the screen's own state.
#pragma once

#include <string>
#include <vector>

#include "app/controls_drawer.h"
#include "app/gl_texture.h"
#include "app/layer_source_slot.h"
#include "app/panel.h"
#include "app/panel_exporter.h"
#include "app/status_bar.h"
#include "core/explore/tconv_explorer.h"

namespace convlab::app {

class TconvPanel : public Panel {
 public:
  TconvPanel();
  void draw(PanelContext& context) override;
  // explore::tconv_setting_keys() plus artifact=on|off, photo=PATH|sample
  // (the artifact demo's photo), loop=on|off, play=on|off and
  // export_png|export_gif|export_csv|export_json=PATH.
  Status apply_setting(const std::string& key, const std::string& value) override;
  bool on_file_dropped(const std::string& path) override;
  bool takes_files() const override { return true; }
  bool on_step(StepKey key) override;
  std::vector<std::string> control_ids() const override;
  std::string state_text() const override;
  bool busy() const override { return exporter_.busy(); }

  const explore::TconvExplorer& explorer() const { return explorer_; }

 private:
  ControlsDrawer controls_drawer_;
  void draw_controls(PanelContext& context);
  void draw_artifact(PanelContext& context);
  Status load_artifact_photo(const std::string& path);
  void refresh_artifact(PanelContext& context);
  void draw_layer_section(PanelContext& context);

  explore::TconvExplorer explorer_;
  bool loop_ = false;
  bool show_artifact_ = false;
  std::vector<std::string> samples_;
  std::string photo_path_;
  Tensor photo_;                  // (1, 1, H, W) gray in [0, 1]
  PendingStatus pending_status_;  // from a drop, shown on the next frame

  // The artifact images, rebuilt when the kernel, stride or photo change.
  struct ArtifactKey {
    int kernel = 0, stride = 0;
    std::string photo;
    bool operator==(const ArtifactKey&) const = default;
  };
  ArtifactKey artifact_key_;
  GlTexture photo_texture_, upsampled_texture_, gain_texture_;
  std::string artifact_note_;

  // source=layer:NAME (app/layer_source.h); declared after explorer_, which it loads.
  LayerSourceSlot layer_{"tconv", [this](const LayerSlice& slice) { return load_slice(explorer_, slice); }};

  PanelExporter exporter_;  // after explorer_: its callbacks use it
};

}  // namespace convlab::app
