// The panels, in tab order (number keys 1-9 follow this order). Panels are
// added in one place, register_panels.cpp, one line each.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/panel.h"

namespace convlab::app {

class PanelRegistry {
 public:
  // Fails on an empty or repeated id.
  Status add(std::unique_ptr<Panel> panel);

  size_t size() const { return panels_.size(); }
  void clear() { panels_.clear(); }
  // Swaps in a fresh panel of the same id (a lesson step, an opened view).
  void replace(size_t index, std::unique_ptr<Panel> panel) { panels_.at(index) = std::move(panel); }
  Panel& at(size_t index) { return *panels_.at(index); }
  // Index of the panel with this id, or an error listing the valid ids.
  Result<size_t> find(const std::string& id) const;
  std::string ids() const;  // "conv, tconv, about"
  std::vector<std::string> titles_taking_files() const;

 private:
  std::vector<std::unique_ptr<Panel>> panels_;
};

}  // namespace convlab::app
