#include "app/explorer_refusal.h"

#include <algorithm>

#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"

namespace convlab::app {

Status with_panel_keys(const char* panel, Status applied, const std::string& key,
                       const std::vector<std::string>& explorer_keys, const char* panel_keys,
                       const std::vector<std::string>& aliases) {
  if (applied.ok()) return applied;
  // Told by the key, not by the message's words: those are in the UI language.
  const std::string trimmed = explore::setting_text::trim(key);
  const auto known = [&](const std::vector<std::string>& keys) {
    return std::find(keys.begin(), keys.end(), trimmed) != keys.end();
  };
  if (known(explorer_keys) || known(aliases)) return applied;
  return Error{
      format(tr("panel '%s': %s; and the panel's own: %s"), panel, applied.message().c_str(), panel_keys)};
}

}  // namespace convlab::app
