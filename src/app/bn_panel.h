// The batch-normalization panel: a mini-batch of feature maps, one channel's
// statistics with the formulas and numbers, histograms before and after,
// gamma/beta, train vs eval with running statistics that move batch by
// batch, and the colorizer's own batch-norm layers: their stored running
// statistics against the statistics of real photos' activations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/controls_drawer.h"
#include "app/panel.h"
#include "app/panel_exporter.h"
#include "core/explore/bn_explorer.h"
#include "core/model/layer_batch.h"

namespace convlab::app {

class BnPanel : public Panel {
 public:
  BnPanel();
  void draw(PanelContext& context) override;
  // explore::bn_setting_keys() (source=layer:NAME runs the colorizer on the
  // bundled photos and feeds that layer's input), plus export_png,
  // export_csv, export_json=PATH and steps=N (N training steps).
  Status apply_setting(const std::string& key, const std::string& value) override;
  bool on_step(StepKey key) override;  // Right / Page Down: the next mini-batch
  bool busy() const override { return exporter_.busy(); }
  std::vector<std::string> control_ids() const override;
  std::string state_text() const override;

  const explore::BnExplorer& explorer() const { return explorer_; }

 private:
  ControlsDrawer controls_drawer_;
  void draw_controls(PanelContext& context);
  void draw_values(PanelContext& context);
  void draw_statistics(PanelContext& context);
  void draw_histograms(PanelContext& context);
  void draw_running(PanelContext& context);
  void draw_layers(PanelContext& context);
  Status load_layer(const std::string& name);
  Status ensure_model();

  explore::BnExplorer explorer_;
  // The colorizer whose layers feed the panel: trained weights when they are
  // installed, else random ones (said on screen).
  std::optional<Model> model_;
  std::string model_label_;
  std::vector<std::string> photos_;
  std::vector<BatchNormLayerSummary> layer_rows_;
  std::string layer_error_;
  int layer_choice_ = 0;

  PanelExporter exporter_;
};

}  // namespace convlab::app
