// Small widgets every teaching panel uses: section headings, "(?)" help
// tooltips, and the step bar (first, back, play, forward, last, a step
// slider, speed, loop) for any explorer with the stepping interface of
// explore::ConvExplorer.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <optional>

#include "app/panel.h"
#include "app/ui_label.h"
#include "core/base/i18n.h"
#include "core/explore/presets.h"

namespace convlab::app {

void section(PanelContext& context, const char* title);

// Draws a control group unless the lesson step hides it; disabled when locked.
template <typename Draw>
void gated(const PanelContext& context, const std::string& id, Draw&& draw) {
  if (!control_shown(context, id)) return;
  const bool locked = control_locked(context, id);
  ImGui::BeginDisabled(locked);
  draw();
  ImGui::EndDisabled();
}
void help_marker(const char* text);

// What an input preset is called on screen, in the UI language (--set keeps
// the short names of presets.h).
const char* input_preset_label(explore::InputPreset preset);

// Five buttons share the width, Play twice as wide. Returns the key a button
// stands for, so the panel handles it exactly like the keyboard.
std::optional<StepKey> draw_step_buttons(bool has_steps, bool playing);

template <typename Explorer>
void draw_step_bar(Panel& panel, Explorer& explorer, bool& loop, double max_steps_per_second) {
  if (auto key = draw_step_buttons(explorer.step_count() > 0, explorer.playing())) panel.on_step(*key);
  ImGui::BeginDisabled(explorer.step_count() == 0);
  int step = explorer.step_index() + 1;
  if (ImGui::SliderInt("##step", &step, 1, std::max(1, explorer.step_count()), tr("step %d"))) {
    explorer.pause();
    explorer.set_step(step - 1);
  }
  ImGui::EndDisabled();
  float speed = static_cast<float>(explorer.steps_per_second());
  if (ImGui::SliderFloat("##speed", &speed, 0.25f, static_cast<float>(max_steps_per_second),
                         tr("%.2f steps/s"), ImGuiSliderFlags_Logarithmic))
    (void)explorer.set_steps_per_second(std::max(0.25f, speed));
  ImGui::Checkbox(ui_label(tr("Loop"), "loop").c_str(), &loop);
}

// Moves a playing explorer on by this frame's time; with `loop` it starts
// over at the end.
template <typename Explorer>
void advance_playback(Explorer& explorer, bool loop) {
  if (!explorer.playing()) return;
  explorer.advance(ImGui::GetIO().DeltaTime);
  if (loop && !explorer.playing() && explorer.step_count() > 1) {
    explorer.to_start();
    explorer.play();
  }
}

// The stepping keys, for any explorer: a manual step pauses playback.
template <typename Explorer>
bool apply_step_key(Explorer& explorer, StepKey key) {
  switch (key) {
    case StepKey::Previous:
    case StepKey::PagePrevious:
      explorer.pause();
      explorer.step_back();
      return true;
    case StepKey::Next:
    case StepKey::PageNext:
      explorer.pause();
      explorer.step_forward();
      return true;
    case StepKey::PlayPause:
      if (explorer.playing())
        explorer.pause();
      else
        explorer.play();
      return true;
    case StepKey::First:
      explorer.pause();
      explorer.to_start();
      return true;
    case StepKey::Last:
      explorer.pause();
      explorer.to_end();
      return true;
  }
  return false;
}

}  // namespace convlab::app
