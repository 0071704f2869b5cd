// "About / Getting started": what ConvLab is, the keyboard shortcuts, the
// graphics device, and the ECNN architecture read from the built-in graph
// description (so it always matches the model the app runs).
#pragma once

#include <optional>
#include <string>

#include "app/panel.h"
#include "core/model/graph.h"

namespace convlab::app {

class AboutPanel : public Panel {
 public:
  AboutPanel();
  void draw(PanelContext& context) override;
  // arch=advanced|basic: which built-in ECNN description to show.
  Status apply_setting(const std::string& key, const std::string& value) override;

 private:
  void load_graph();
  void draw_architecture(PanelContext& context);

  std::string arch_ = "advanced";
  std::optional<Graph> graph_;
  std::string graph_error_;
  std::map<std::string, Shape> shapes_;  // activation shapes for a 256x256 photo
};

}  // namespace convlab::app
