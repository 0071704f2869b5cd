#include "core/explore/explorer_input.h"

#include <algorithm>

#include "core/base/i18n.h"

namespace convlab::explore {

Status check_range(const char* what, int value, int low, int high) {
  if (value >= low && value <= high) return {};
  return Error{format(tr("%s is %d but must be %d..%d"), tr(what), value, low, high)};
}

uint64_t kernel_seed(uint64_t seed, int index) {
  return seed * 0x9E3779B97F4A7C15ULL + 0x6B65726E656CULL + static_cast<uint64_t>(index);
}

Status check_input_cell_in(int channels, int height, int width, int c, int y, int x) {
  if (c >= 0 && c < channels && y >= 0 && y < height && x >= 0 && x < width) return {};
  return Error{format(tr("input cell (channel %d, row %d, column %d) is outside the %dx%dx%d input"), c, y, x,
                      channels, height, width)};
}

void ExplorerInput::resize(int new_channels, int new_height, int new_width) {
  std::vector<float> kept(static_cast<size_t>(new_channels * new_height * new_width), 0.0f);
  for (int c = 0; c < std::min(new_channels, channels); ++c)
    for (int y = 0; y < std::min(new_height, height); ++y)
      for (int x = 0; x < std::min(new_width, width); ++x)
        kept[static_cast<size_t>((c * new_height + y) * new_width + x)] = at(c, y, x);
  values = std::move(kept);
  channels = new_channels;
  height = new_height;
  width = new_width;
  if (preset) regenerate();
}

void ExplorerInput::regenerate() { values = make_input_preset(*preset, channels, height, width, seed); }

void ExplorerInput::apply_preset(InputPreset chosen) {
  preset = chosen;
  regenerate();
}

Status ExplorerInput::set_value(int c, int y, int x, float value) {
  CONVLAB_TRY(check_input_cell_in(channels, height, width, c, y, x));
  values[index(c, y, x)] = value;
  preset.reset();
  return {};
}

Status ExplorerInput::set_values(std::vector<float> new_values) {
  const size_t expected = static_cast<size_t>(channels * height * width);
  if (new_values.size() != expected)
    return Error{
        format(tr("input values: got %zu but the %dx%dx%d input needs %zu (channel by channel, rows left "
                  "to right)"),
               new_values.size(), channels, height, width, expected)};
  values = std::move(new_values);
  preset.reset();
  return {};
}

}  // namespace convlab::explore
