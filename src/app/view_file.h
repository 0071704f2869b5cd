// A saved view: one panel's state as the block a lesson step uses
//   ::: panel conv
//   input=5x5
//   ...
//   :::
// so a view a teacher saves can be shared with students (File > Open a view,
// or convlab --view FILE) or pasted into a lesson as it is.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"

namespace convlab::app {

struct View {
  std::string panel;
  std::vector<std::pair<std::string, std::string>> settings;
};

std::string view_block(const std::string& panel, const std::string& state_text);
// Written to a temporary file first and renamed: a failed write never
// leaves half a file.
Status write_view_file(const std::string& path, const std::string& panel, const std::string& state_text);
// Errors name the file and the line.
Result<View> read_view_file(const std::string& path);
Result<View> parse_view(const std::string& text, const std::string& source);

}  // namespace convlab::app
