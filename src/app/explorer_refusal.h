// How the conv, tconv and bn panels pass on an explorer's answer to a
// setting: when the explorer does not know the key at all, its refusal goes
// on with the keys the panel itself takes, so the message lists every valid
// key. One copy for the three panels.
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"

namespace convlab::app {

// `applied`: the explorer's status for `key`. `explorer_keys` (plus any
// `aliases` it also reads) are the keys it knows; `panel_keys` the panel's own, as text.
Status with_panel_keys(const char* panel, Status applied, const std::string& key,
                       const std::vector<std::string>& explorer_keys, const char* panel_keys,
                       const std::vector<std::string>& aliases = {});

}  // namespace convlab::app
