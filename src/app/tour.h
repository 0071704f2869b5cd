// The screens `convlab --tour DIR` shows, in order: each panel's default,
// a few states that bring up more text (a dilated kernel, a stride, a later
// step, an inspected layer, a bad setting's error on the status bar), then
// every step of every lesson in the UI's language. Used for the docs'
// screenshots and by the text audit.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace convlab::app {

struct TourScreen {
  std::string name;   // file-name safe: "conv-dilation", "lesson-pt-BR-04-dilation-3"
  std::string panel;  // panel id
  std::vector<std::pair<std::string, std::string>> settings;  // applied to a fresh panel
  // A setting that must fail, applied after the others: its error is what the
  // status bar shows, so the text audit sees an error message too. Empty key: none.
  std::pair<std::string, std::string> failing = {};
};

// `panel_ids` in tab order; lessons from `lessons_folder`/<language> (the
// pseudo language tours the English lessons). `only` keeps the screens whose
// name starts with it ("" keeps all).
std::vector<TourScreen> tour_screens(const std::vector<std::string>& panel_ids,
                                     const std::string& lessons_folder, const std::string& language,
                                     const std::string& only);

}  // namespace convlab::app
