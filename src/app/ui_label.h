// A translated label with a stable ImGui id: "Pilha###stack". ImGui keys a
// widget's state (an open header, a selected tab, a table's column widths)
// by its label; with the id after "###", switching the language keeps it.
#pragma once

#include <string>

namespace convlab::app {

inline std::string ui_label(const char* shown, const char* id) { return std::string(shown) + "###" + id; }

}  // namespace convlab::app
