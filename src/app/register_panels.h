// Every panel the app has, in tab order. Adding a panel is one line in
// panel_ids() and one in create_panel() (register_panels.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/panel_registry.h"

namespace convlab::app {

const std::vector<std::string>& panel_ids();
// A fresh panel (the lesson runner starts every step from one); null for an unknown id.
std::unique_ptr<Panel> create_panel(const std::string& id);
PanelRegistry make_panels();

}  // namespace convlab::app
