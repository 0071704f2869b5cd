#include "app/view_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"
#include "core/lesson/lesson.h"

namespace convlab::app {

namespace st = explore::setting_text;

std::string view_block(const std::string& panel, const std::string& state_text) {
  std::string text = "::: panel " + panel + "\n" + state_text;
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text + ":::\n";
}

Status write_view_file(const std::string& path, const std::string& panel, const std::string& state_text) {
  if (state_text.empty()) return Error{format(tr("the %s panel has no view to save"), panel.c_str())};
  const std::string temporary = path + ".part";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
      return Error{format(tr("%s: cannot write here (is the folder there and writable?)"), path.c_str())};
    out << view_block(panel, state_text);
    if (!out.flush()) return Error{format(tr("%s: writing failed (disk full?)"), path.c_str())};
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return Error{format(tr("%s: cannot replace the file: %s"), path.c_str(), ec.message().c_str())};
  }
  return {};
}

Result<View> parse_view(const std::string& text, const std::string& source) {
  View view;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  bool open = false, closed = false;
  while (std::getline(in, line)) {
    ++number;
    const std::string t = st::trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::string where = source + ":" + std::to_string(number) + ": ";
    if (closed) return Error{where + tr("nothing may follow the closing ':::'")};
    if (!open) {
      if (t.rfind(":::", 0) != 0 || st::trim(t.substr(3)).rfind("panel ", 0) != 0)
        return Error{where + tr("a view starts with '::: panel ID' (ID: conv, tconv, bn or network)")};
      view.panel = st::trim(st::trim(t.substr(3)).substr(6));
      const auto& panels = lesson::lesson_panels();
      if (std::find(panels.begin(), panels.end(), view.panel) == panels.end())
        return Error{where +
                     format(tr("unknown panel '%s'; valid: conv, tconv, bn, network"), view.panel.c_str())};
      open = true;
      continue;
    }
    if (t == ":::") {
      closed = true;
      continue;
    }
    const size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0)
      return Error{where + format(tr("a view line is key=value; got '%s'"), t.c_str())};
    view.settings.emplace_back(st::trim(t.substr(0, eq)), st::trim(t.substr(eq + 1)));
  }
  if (!open) return Error{format(tr("%s: empty; a view starts with '::: panel ID'"), source.c_str())};
  if (!closed) return Error{format(tr("%s: the view has no closing ':::' line"), source.c_str())};
  return view;
}

Result<View> read_view_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{format(tr("%s: cannot open the view file"), path.c_str())};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_view(text.str(), path);
}

}  // namespace convlab::app
