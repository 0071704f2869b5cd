#include "app/panel_widgets.h"

#include <algorithm>

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
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  ImGui::Separator();
}

void help_marker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
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

std::optional<StepKey> draw_step_buttons(bool has_steps, bool playing) {
  std::optional<StepKey> pressed;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float slot = (ImGui::GetContentRegionAvail().x - 4.0f * spacing) / 6.0f;
  const ImVec2 button(slot, 0);
  const auto item = [&](const char* label, ImVec2 size, StepKey key, const char* tip, bool same_line) {
    if (same_line) ImGui::SameLine();
    if (ImGui::Button(label, size)) pressed = key;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  };
  ImGui::BeginDisabled(!has_steps);
  item("|<", button, StepKey::First, tr("First step (Home)"), false);
  item("<", button, StepKey::Previous, tr("Step back (Left, Page Up)"), true);
  // One id whatever the word on it, as the button swaps Play and Pause.
  const std::string play = ui_label(playing ? trc("button", "Pause") : trc("button", "Play"), "play");
  item(play.c_str(), ImVec2(2.0f * slot, 0), StepKey::PlayPause, tr("Play / pause (Space)"), true);
  item(">", button, StepKey::Next, tr("Step forward (Right, Page Down)"), true);
  item(">|", button, StepKey::Last, tr("Last step (End)"), true);
  ImGui::EndDisabled();
  return pressed;
}

}  // namespace convlab::app
