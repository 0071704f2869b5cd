#include "app/layer_source_view.h"

#include <imgui.h>

#include <cmath>

#include "app/panel_widgets.h"
#include "core/base/i18n.h"
#include "core/explore/step_text.h"
#include "core/model/graph_layout.h"

namespace convlab::app {

namespace {

std::string shape_text(const Shape& s) {
  return std::to_string(s[1]) + "×" + std::to_string(s[2]) + "×" + std::to_string(s[3]);
}

std::string settings_text(const LayerSlice& slice) {
  const int stride = slice.transposed ? slice.tconv.stride_h : slice.conv.stride_h;
  const int padding = slice.transposed ? slice.tconv.padding_h : slice.conv.padding.top;
  const int dilation = slice.transposed ? slice.tconv.dilation_h : slice.conv.dilation_h;
  if (dilation > 1)
    return format(tr("kernel %d, stride %d, padding %d, dilation %d"), slice.kernel_h, stride, padding,
                  dilation);
  return format(tr("kernel %d, stride %d, padding %d"), slice.kernel_h, stride, padding);
}

// A number as people read it.
std::string shown(float value, int digits) {
  return i18n::display_text(explore::format_value(value, digits));
}

}  // namespace

std::optional<Status> draw_layer_source_section(PanelContext& context, LayerSource& source,
                                                const LayerSlice& slice, const LayerCellView& cell,
                                                const std::string& what_if) {
  std::optional<Status> result;
  section(context, source.other_model() ? tr("Model layer") : tr("Colorizer layer"));
  ImGui::TextWrapped("%s: %s", short_node_name(slice.layer).c_str(), settings_text(slice).c_str());
  ImGui::TextWrapped(tr("Input %s %s → output %s"), short_node_name(slice.input_name).c_str(),
                     shape_text(slice.full_input).c_str(), shape_text(slice.full_output).c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", source.image_label().c_str());
  ImGui::PopStyleColor();
  if (!what_if.empty()) ImGui::TextWrapped("%s", what_if.c_str());

  // The layer's own number at the current cell.
  if (cell.has_step && cell.y < slice.out_h && cell.x < slice.out_w) {
    const float real = slice.real_output[static_cast<size_t>(cell.y * slice.out_w + cell.x)];
    const bool exact = cell.y < slice.exact_rows && cell.x < slice.exact_cols;
    if (slice.channel == kAllChannels) {
      if (exact)
        ImGui::TextWrapped(
            std::fabs(real - cell.computed) <= 1e-3f * std::max(1.0f, std::fabs(real))
                ? tr("The layer itself computed %s here (before batch norm): the same number.")
                : tr("The layer itself computed %s here (before batch norm): different, because "
                     "values were edited."),
            shown(real, 6).c_str());
      else
        ImGui::TextWrapped(
            tr("The layer computed %s here; the crop's edge cuts this cell's field, so the zeros "
               "beyond the crop change it."),
            shown(real, 6).c_str());
    } else {
      ImGui::TextWrapped(
          tr("This is channel %d's part only. The layer adds all %d channels' parts and its bias %s: "
             "%s here (before batch norm)."),
          slice.channel + 1, slice.layer_in_channels, shown(slice.layer_bias, 4).c_str(),
          shown(real, 6).c_str());
    }
  }

  // Filter and channel, 1-based as shown everywhere.
  const int out_channels = static_cast<int>(slice.full_output[1]);
  int filter = slice.filter + 1;
  control_label(trc("label", "Filter"));
  if (ImGui::SliderInt("##layer filter", &filter, 1, out_channels))
    result = source.apply("filter", std::to_string(filter));
  bool sum = slice.channel == kAllChannels;
  const bool can_sum = slice.layer_in_channels <= (slice.transposed ? 2 : 3);
  control_label(tr("Input channel"));
  ImGui::BeginDisabled(sum);
  int channel = sum ? 1 : slice.channel + 1;
  if (ImGui::SliderInt("##layer channel", &channel, 1, slice.layer_in_channels))
    result = source.apply("channel", std::to_string(channel));
  ImGui::EndDisabled();
  ImGui::BeginDisabled(!can_sum);
  if (wrapped_checkbox(tr("Sum over all input channels"), "sum channels", &sum))
    result = source.apply("channel", sum ? "sum" : "1");
  ImGui::EndDisabled();
  if (!can_sum)
    help_marker(
        tr("This layer adds up more input channels than the panel can draw side by side; it shows one "
           "channel's part at a time, and the layer's real sum in the line above."));
  if (fitting_button("back", ImVec2(-FLT_MIN, 0), {tr("Back to the examples"), trc("button", "Back")}))
    result = source.apply("source", "off");
  return result;
}

}  // namespace convlab::app
