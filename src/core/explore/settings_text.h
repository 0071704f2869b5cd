// The explorer's settings as text: `convlab --set KEY=VALUE` and saved
// states. describe_state() writes key=value lines that apply_settings_text()
// reads back into an identical state (sizes first, then values, step last).
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/explore/explorer.h"

namespace convlab::explore {

// The keys in the order describe_state writes them.
const std::vector<std::string>& setting_keys();

// Keys and values (sizes "HxW" or "N"; pairs "H,W" or "N"):
//  input=HxW | preset       in_channels=1..3     out_channels=1..4
//  kernel=HxW | preset      seed=N
//  input_preset=numbers|ramp|checkerboard|random
//  input_values=v,v,...|preset (C*H*W values, channel by channel, row-major)
//  kernel_preset=identity|box|gaussian|sharpen|sobel_x|sobel_y|laplacian|random
//  kernel_values=v,v,...|preset (O*C*KH*KW values)
//  bias=v,... (one per filter)
//  padding=valid|same|full|T,B,L,R|N    stride=N|H,W    dilation=N|H,W
//  operation=conv|maxpool|avgpool (the window convolves, or pools each channel)
//  count_include_pad=on|off (average pool: padding zeros in the divisor)
//  ceil_mode=on|off (pools: a last window that only partly covers the input)
//  speed=steps per second    step=index|start|end
// A bad key or value is an Error naming the key, what is wrong and what is
// valid; the state is then unchanged.
Status apply_setting(ConvExplorer& explorer, const std::string& key, const std::string& value);
// "key=value" in one string.
Status apply_setting(ConvExplorer& explorer, const std::string& assignment);
// Lines of key=value; blank lines and lines starting with '#' are skipped.
// Errors say the line number. Stops at the first error.
Status apply_settings_text(ConvExplorer& explorer, const std::string& text);

std::string describe_state(const ConvExplorer& explorer);
// The operation lines of describe_state (empty for a convolution with the
// pools' default flags), for a panel that saves the rest another way.
std::string describe_operation(const ConvExplorer& explorer);

}  // namespace convlab::explore
