// Small widgets every teaching panel uses: section headings, "(?)" help
// tooltips, and the step bar (first, back, play, forward, last, a step
// slider, speed, loop) for any explorer with the stepping interface of
// explore::ConvExplorer.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "app/panel.h"
#include "app/slider_text.h"
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
// A "(?)" with a tooltip, after the last item when it fits there, else on
// the next line (never past the column's edge).
void help_marker(const char* text);

// Whether an item `width` wide still fits on the line of the last item.
bool fits_same_line(float width);
// SameLine() when an item `width` wide fits there; otherwise the item goes
// on the next line.
void same_line_if_fits(float width);
// The width a radio button or checkbox with this label takes.
float toggle_width(const char* label);
// A label over a control: wrapped at the column's edge.
void control_label(const char* text);
// A checkbox whose label wraps beside the box when the column is narrow;
// the label toggles it like the box. `id` keeps the widget's id whatever
// the language.
bool wrapped_checkbox(const char* label, const char* id, bool* value);
// The same for a radio button: true when clicked.
bool wrapped_radio(const char* label, const char* id, bool active);
// The first of the wordings (longest first) that is at most `width` wide in
// the current font; the last one when none is.
const char* fitting_wording(float width, std::initializer_list<const char*> wordings);
// A button of `size` (x -FLT_MIN: the rest of the line) with the longest
// wording whose text fits in it.
bool fitting_button(const char* id, ImVec2 size, std::initializer_list<const char*> wordings);
// The preview a combo of the current item width has room for.
const char* combo_preview(std::initializer_list<const char*> wordings);

// What an input preset is called on screen, in the UI language (--set keeps
// the short names of presets.h).
const char* input_preset_label(explore::InputPreset preset);
// A shorter one, for a combo's closed box in a narrow column.
const char* input_preset_short_label(explore::InputPreset preset);

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
                         slider_text(tr("%.2f steps/s"), speed).c_str(), ImGuiSliderFlags_Logarithmic))
    (void)explorer.set_steps_per_second(std::max(0.25f, speed));
  wrapped_checkbox(tr("Loop"), "loop", &loop);
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
