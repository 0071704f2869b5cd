#include "app/panel_registry.h"

namespace convlab::app {

Status PanelRegistry::add(std::unique_ptr<Panel> panel) {
  if (!panel || panel->id().empty()) return Error{"a panel needs a non-empty id"};
  if (find(panel->id()).ok()) return Error{"two panels have the id '" + panel->id() + "'"};
  panels_.push_back(std::move(panel));
  return {};
}

Result<size_t> PanelRegistry::find(const std::string& id) const {
  for (size_t i = 0; i < panels_.size(); ++i)
    if (panels_[i]->id() == id) return i;
  return Error{format(tr("unknown panel '%s'; valid panels: %s"), id.c_str(), ids().c_str())};
}

std::string PanelRegistry::ids() const {
  std::string list;
  for (const auto& panel : panels_) list += (list.empty() ? "" : ", ") + panel->id();
  return list;
}

std::vector<std::string> PanelRegistry::titles_taking_files() const {
  std::vector<std::string> titles;
  for (const auto& panel : panels_)
    if (panel->takes_files()) titles.push_back(panel->title());
  return titles;
}

}  // namespace convlab::app
