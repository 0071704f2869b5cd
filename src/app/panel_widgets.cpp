#include "app/panel_widgets.h"

#include <algorithm>
#include <cfloat>
#include <string>

#include "core/base/i18n.h"

namespace convlab::app {

bool control_shown(const PanelContext& context, const std::string& id) {
  const lesson::ControlRules* rules = context.controls;
  if (rules == nullptr) return true;
  const auto has = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), id) != list.end();
  };
  if (!rules->show.empty() && !has(rules->show)) return false;
  return !has(rules->hide);
}

bool control_locked(const PanelContext& context, const std::string& id) {
  const lesson::ControlRules* rules = context.controls;
  return rules != nullptr && std::find(rules->lock.begin(), rules->lock.end(), id) != rules->lock.end();
}

void section(PanelContext& context, const char* title) {
  ImGui::Spacing();
  ImGui::PushFont(context.heading_font);
  control_label(title);
  ImGui::PopFont();
  ImGui::Separator();
}

void help_marker(const char* text) {
  same_line_if_fits(ImGui::CalcTextSize("(?)").x);
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

bool fits_same_line(float width) {
  // The right edge of the content region: the cursor (on the next line)
  // plus the room left there.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  return ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right;
}

void same_line_if_fits(float width) {
  if (fits_same_line(width)) ImGui::SameLine();
}

float toggle_width(const char* label) {
  return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
         ImGui::CalcTextSize(label, nullptr, true).x;
}

void control_label(const char* text) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
}

bool wrapped_checkbox(const char* label, const char* id, bool* value) {
  if (toggle_width(label) <= ImGui::GetContentRegionAvail().x)
    return ImGui::Checkbox(ui_label(label, id).c_str(), value);
  ImGui::PushID(id);
  bool changed = ImGui::Checkbox("##box", value);
  ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
  // Every line of the wrapped label starts beside the box.
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(label);
  ImGui::PopTextWrapPos();
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
    *value = !*value;
    changed = true;
  }
  ImGui::PopID();
  return changed;
}

bool wrapped_radio(const char* label, const char* id, bool active) {
  if (toggle_width(label) <= ImGui::GetContentRegionAvail().x)
    return ImGui::RadioButton(ui_label(label, id).c_str(), active);
  ImGui::PushID(id);
  bool pressed = ImGui::RadioButton("##radio", active);
  ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(label);
  ImGui::PopTextWrapPos();
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) pressed = true;
  ImGui::PopID();
  return pressed;
}

const char* fitting_wording(float width, std::initializer_list<const char*> wordings) {
  for (const char* text : wordings)
    if (ImGui::CalcTextSize(text).x <= width) return text;
  return *(wordings.end() - 1);
}

bool fitting_button(const char* id, ImVec2 size, std::initializer_list<const char*> wordings) {
  // As ImGui sizes it: a negative width is the room left minus that much.
  const float width = size.x > 0   ? size.x
                      : size.x < 0 ? std::max(4.0f, ImGui::GetContentRegionAvail().x + size.x)
                                   : FLT_MAX;
  const char* text = fitting_wording(width - 2.0f * ImGui::GetStyle().FramePadding.x, wordings);
  return ImGui::Button(ui_label(text, id).c_str(), size);
}

const char* combo_preview(std::initializer_list<const char*> wordings) {
  const float room =
      ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - 2.0f * ImGui::GetStyle().FramePadding.x;
  return fitting_wording(room, wordings);
}

const char* input_preset_label(explore::InputPreset preset) {
  switch (preset) {
    case explore::InputPreset::Numbers:
      return tr("Numbers 0, 1, 2, …");
    case explore::InputPreset::Ramp:
      return tr("Ramp (left to right)");
    case explore::InputPreset::Checkerboard:
      return tr("Checkerboard");
    case explore::InputPreset::Random:
      return tr("Random integers");
  }
  return "";
}

const char* input_preset_short_label(explore::InputPreset preset) {
  switch (preset) {
    case explore::InputPreset::Numbers:
      return tr("Numbers");
    case explore::InputPreset::Ramp:
      return tr("Ramp");
    case explore::InputPreset::Random:
      return tr("Random");
    default:
      return input_preset_label(preset);
  }
}

std::optional<StepKey> draw_step_buttons(bool has_steps, bool playing) {
  std::optional<StepKey> pressed;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float spacing = style.ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const auto need = [&](const char* text) {
    return ImGui::CalcTextSize(text).x + 2.0f * style.FramePadding.x;
  };
  const char* play_word = trc("button", "Play");
  const char* pause_word = trc("button", "Pause");
  // One row (Play twice as wide) when every word fits there, else the
  // arrows in a row and Play under them, the whole width: the words stay
  // whole in a narrow column and at a big scale. Play and Pause count both,
  // so the bar does not jump when one turns into the other.
  const float arrow = std::max(need("|<"), need(">|"));
  const float play_need = std::max(need(play_word), need(pause_word));
  const float slot = (avail - 4.0f * spacing) / 6.0f;
  const bool one_row = slot >= arrow && 2.0f * slot >= play_need;
  const float arrow_width = one_row ? slot : (avail - 3.0f * spacing) / 4.0f;
  const ImVec2 button(arrow_width, 0);
  const auto item = [&](const char* label, ImVec2 size, StepKey key, const char* tip, bool same_line) {
    if (same_line) ImGui::SameLine();
    if (ImGui::Button(label, size)) pressed = key;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  };
  // One id whatever the word on it, as the button swaps Play and Pause.
  const std::string play = ui_label(playing ? pause_word : play_word, "play");
  ImGui::BeginDisabled(!has_steps);
  item("|<", button, StepKey::First, tr("First step (Home)"), false);
  item("<", button, StepKey::Previous, tr("Step back (Left, Page Up)"), true);
  if (one_row)
    item(play.c_str(), ImVec2(2.0f * slot, 0), StepKey::PlayPause, tr("Play / pause (Space)"), true);
  item(">", button, StepKey::Next, tr("Step forward (Right, Page Down)"), true);
  item(">|", button, StepKey::Last, tr("Last step (End)"), true);
  if (!one_row)
    item(play.c_str(), ImVec2(-FLT_MIN, 0), StepKey::PlayPause, tr("Play / pause (Space)"), false);
  ImGui::EndDisabled();
  return pressed;
}

}  // namespace convlab::app
