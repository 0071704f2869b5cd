// The transposed-convolution panel's settings as text: `convlab --set
// KEY=VALUE` and saved states, like settings_text.h for the convolution
// panel. describe_tconv_state() writes key=value lines that
// apply_tconv_settings_text() reads back into an identical state (sizes
// first, then values, view and step last).
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/explore/tconv_explorer.h"

namespace convlab::explore {

// The keys in the order describe_tconv_state writes them.
const std::vector<std::string>& tconv_setting_keys();

// Keys and values (sizes "HxW" or "N"; pairs "H,W" or "N"):
//  input=HxW | preset (input_size=HxW too)   in_channels=1..2   out_channels=1..2
//  kernel=HxW | preset (kernel_size=HxW too) seed=N
//  input_preset=numbers|ramp|checkerboard|random
//  input_values=v,v,...|preset (C*H*W values, channel by channel, row-major)
//  kernel_preset=numbers|ones|bilinear|random
//  kernel_values=v,v,...|preset (C*O*KH*KW values: in channel, out channel, rows)
//  bias=v,... (one per output channel)
//  stride=N|H,W (1..3)   padding=N|H,W (0..17)   output_padding=N|H,W (0..2,
//  below stride or dilation)   dilation=N|H,W (1..3)
//  view=sum|direct|overlap   speed=steps per second   step=index|start|end
// A bad key or value is an Error naming the key, what is wrong and what is
// valid; the state is then unchanged.
Status apply_tconv_setting(TconvExplorer& explorer, const std::string& key, const std::string& value);
// "key=value" in one string.
Status apply_tconv_setting(TconvExplorer& explorer, const std::string& assignment);
// Lines of key=value; blank lines and lines starting with '#' are skipped.
// Errors say the line number. Stops at the first error.
Status apply_tconv_settings_text(TconvExplorer& explorer, const std::string& text);

std::string describe_tconv_state(const TconvExplorer& explorer);

}  // namespace convlab::explore
