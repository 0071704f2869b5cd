// The input grid that the convolution and transposed-convolution explorers
// both edit: C x H x W values in PyTorch's order (channel by channel, rows
// left to right) and the preset that produced them. The explorers keep these
// fields in their own settings structs (the settings text and the panels read
// them there); this is the one place that resizes, edits and checks them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/base/result.h"
#include "core/explore/presets.h"

namespace convlab::explore {

// "<what> is 9 but must be 1..8", with `what` translated: the explorers'
// message for any integer setting out of range.
Status check_range(const char* what, int value, int low, int high);

// Each (filter, channel) kernel of a random preset gets its own stream, and
// the kernel streams differ from the input's even with the same seed.
uint64_t kernel_seed(uint64_t seed, int index);

// Ok when (c, y, x) lies inside a channels x height x width grid, else an
// Error naming the cell and the grid's size.
Status check_input_cell_in(int channels, int height, int width, int c, int y, int x);

// References to an explorer's input fields; made by the explorer on demand.
struct ExplorerInput {
  std::vector<float>& values;
  int& channels;
  int& height;
  int& width;
  std::optional<InputPreset>& preset;  // nullopt once edited by hand
  uint64_t seed;

  float at(int c, int y, int x) const { return values[index(c, y, x)]; }
  size_t index(int c, int y, int x) const { return static_cast<size_t>((c * height + y) * width + x); }

  // Keeps the values that still have a place (same c, y, x), zeros the rest;
  // a live preset is regenerated instead, so 'numbers' stays 0..n.
  void resize(int new_channels, int new_height, int new_width);
  void regenerate();  // from the live preset
  void apply_preset(InputPreset chosen);
  // Hand edits: the preset is no longer live. Both refuse, changing
  // nothing, a cell outside the grid or a count that is not C*H*W.
  Status set_value(int c, int y, int x, float value);
  Status set_values(std::vector<float> new_values);
};

}  // namespace convlab::explore
