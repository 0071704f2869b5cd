// The batch-norm panel's settings as text: `convlab --set KEY=VALUE` and saved
// states, like settings_text.h for the convolution panel.
// describe_bn_state() writes key=value lines that apply_bn_settings_text()
// reads back into an identical state (shape first, then values, the
// running statistics, and what is shown last). Fed activations are not
// text: a layer source is written as the request source=layer:NAME.
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/explore/bn_explorer.h"

namespace convlab::explore {

// The keys in the order describe_bn_state writes them.
const std::vector<std::string>& bn_setting_keys();

// Keys and values (per channel: one value for every channel, or C values
// separated by commas):
//  batch=1..16   channels=1..8   size=HxW or N (1..16 each)   seed=N
//  mean=v|v,...   scale=v|v,... (>= 0)   gamma=v|v,...   beta=v|v,...
//  eps=0..1   momentum=0..1   mode=train|eval
//  running_mean=v|v,...   running_var=v|v,... (>= 0)
//  source=random|layer:NAME   channel=0..C-1   bins=1..64
//  histogram_range=shared|separate
// A bad key or value is an Error naming the key, what is wrong and what is
// valid; the state is then unchanged.
Status apply_bn_setting(BnExplorer& explorer, const std::string& key, const std::string& value);
// "key=value" in one string.
Status apply_bn_setting(BnExplorer& explorer, const std::string& assignment);
// Lines of key=value; blank lines and lines starting with '#' are skipped.
// Errors say the line number. Stops at the first error.
Status apply_bn_settings_text(BnExplorer& explorer, const std::string& text);

std::string describe_bn_state(const BnExplorer& explorer);

}  // namespace convlab::explore
