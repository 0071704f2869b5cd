#include "app/controls_drawer.h"

#include <imgui.h>

#include <string>

#include "core/base/i18n.h"

namespace convlab::app {

bool ControlsDrawer::begin(const char* id, float column_width, bool as_drawer) {
  if (!as_drawer) {
    ImGui::BeginChild(id, ImVec2(column_width, 0), true);
    pending_ = Pending::EndChild;
    return true;
  }
  pending_ = Pending::Nothing;
  // The strip: as narrow as its button, the full height.
  const float font = ImGui::GetFontSize();
  const float strip = ImGui::GetFrameHeight() + 0.4f * font;
  ImGui::BeginChild(id, ImVec2(strip, 0), false,
                    ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
  const ImVec2 strip_min = ImGui::GetWindowPos();
  const float strip_h = ImGui::GetWindowHeight();
  // » opens, « closes: DejaVu has both, and they read in any language.
  if (ImGui::Button(open_ ? "\xc2\xab" : "\xc2\xbb", ImVec2(ImGui::GetFrameHeight(), 2.5f * font)))
    open_ = !open_;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", open_ ? tr("Hide the controls") : tr("Show the controls"));
  ImGui::EndChild();
  if (!open_) return false;
  // The drawer: a window over the picture, beside the strip.
  ImGui::SetNextWindowPos(ImVec2(strip_min.x + strip, strip_min.y));
  ImGui::SetNextWindowSize(ImVec2(column_width, strip_h));
  const std::string window_id = std::string("##drawer ") + id;
  ImGui::Begin(window_id.c_str(), nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse);
  pending_ = Pending::End;
  return true;
}

void ControlsDrawer::end() {
  if (pending_ == Pending::EndChild) ImGui::EndChild();
  if (pending_ == Pending::End) ImGui::End();
  pending_ = Pending::Nothing;
}

}  // namespace convlab::app
