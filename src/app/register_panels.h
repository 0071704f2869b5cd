// Every panel the app has, in tab order. Adding a panel is one line in
// register_panels.cpp.
#pragma once

#include "app/panel_registry.h"

namespace convlab::app {

PanelRegistry make_panels();

}  // namespace convlab::app
