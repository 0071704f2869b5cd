// The network panel's look inside one layer: every channel of the
// activation as thumbnails (painted by the core's colormap, atlas_paint.h), one channel
// zoomed with its values under the mouse, min / max / mean / std and a
// histogram, the layer's kernels as images, and for a batch-norm block its
// stored running statistics next to this image's. Buttons open the layer in
// the teaching panels with its real numbers.
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/gl_texture.h"
#include "app/panel.h"
#include "core/explore/activation_stats.h"
#include "core/explore/atlas_layout.h"
#include "core/model/graph_layout.h"
#include "session/network_session.h"

namespace convlab::app {

struct OpenRequest {
  std::string panel;
  std::vector<std::pair<std::string, std::string>> settings;
};

class LayerInspector {
 public:
  // node: the activation shown (one of block.nodes, or the block's name).
  // image / category: what the teaching panels rerun the layer on;
  // can_open: the teaching panels hold the same model (the shipped one).
  std::optional<OpenRequest> draw(PanelContext& context, session::NetworkSession& session,
                                  const LayoutBlock& block, const std::string& node,
                                  const std::string& image_path, const std::string& category, bool can_open);

  // Settings sent first with every "open in" request: the model the layer is
  // in (model=PATH, preprocess=...) so the teaching panel runs the same one.
  void set_open_settings(std::vector<std::pair<std::string, std::string>> settings) {
    open_settings_ = std::move(settings);
  }
  int zoom_channel() const { return zoom_; }
  void set_zoom_channel(int channel) { zoom_ = channel; }
  int kernel_filter() const { return filter_; }
  // Which tab to show next frame: 0 feature maps, 1 kernels, 2 batch norm.
  void request_tab(int tab) { tab_request_ = tab; }

 private:
  // The node's value as (N, C, H, W): maps as they are, a vector reshaped.
  Result<const Tensor*> layer_values(session::NetworkSession& session, const std::string& node);
  void refresh(session::NetworkSession& session, const std::string& node, ImVec2 region,
               PanelContext& context);
  void draw_thumbnails(PanelContext& context, const Tensor& values, ImVec2 size);
  void draw_zoom(PanelContext& context, session::NetworkSession& session, const Tensor& values,
                 const std::string& node, ImVec2 size);
  void draw_stats(PanelContext& context, const Tensor& values);
  void draw_kernels(PanelContext& context, const Model& model, const GraphNode& conv);
  void draw_batch_norm(PanelContext& context, session::NetworkSession& session, const GraphNode& bn);

  GlTexture thumbs_, zoomed_, kernels_;
  explore::AtlasLayout thumbs_layout_, zoom_layout_, kernels_layout_;
  explore::ActivationSummary summary_;
  // What the textures hold now: redrawn only when one of these changes.
  std::string node_;
  int version_ = -1;
  int thumbs_columns_hint_ = 0;
  std::string zoom_key_, kernel_key_;
  // draw_stats' scan of the layer, kept for its (node, run, zoom).
  std::string stats_key_;
  double zero_share_ = 0;
  explore::Histogram histogram_;
  std::vector<float> histogram_counts_;
  std::string error_;
  Tensor vector_view_;
  std::string vector_key_;
  int zoom_ = -1;  // the zoomed channel, -1: none
  int filter_ = 0;
  int tab_request_ = -1;
  std::vector<std::pair<std::string, std::string>> open_settings_;
};

}  // namespace convlab::app
