#include "app/register_panels.h"

#include <cstdio>

#include "app/about_panel.h"
#include "app/bn_panel.h"
#include "app/conv_panel.h"
#include "app/lesson_panel.h"
#include "app/network_panel.h"
#include "app/tconv_panel.h"

namespace convlab::app {

const std::vector<std::string>& panel_ids() {
  // Tab order = number keys: the learning panels, the lesson, About last.
  static const std::vector<std::string> ids = {"conv", "tconv", "bn", "network", "lesson", "about"};
  return ids;
}

std::unique_ptr<Panel> create_panel(const std::string& id) {
  if (id == "conv") return std::make_unique<ConvPanel>();
  if (id == "tconv") return std::make_unique<TconvPanel>();
  if (id == "bn") return std::make_unique<BnPanel>();
  if (id == "network") return std::make_unique<NetworkPanel>();
  if (id == "lesson") return std::make_unique<LessonPanel>();
  if (id == "about") return std::make_unique<AboutPanel>();
  return nullptr;
}

PanelRegistry make_panels() {
  PanelRegistry registry;
  for (const std::string& id : panel_ids()) {
    Status added = registry.add(create_panel(id));
    // Only a programming error (a repeated id) can fail here; say so loudly
    // in a debug run rather than crash a class.
    if (!added.ok()) std::fprintf(stderr, "convlab: %s\n", added.message().c_str());
  }
  return registry;
}

}  // namespace convlab::app
