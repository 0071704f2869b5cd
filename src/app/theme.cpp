#include "app/theme.h"

#include <imgui.h>

namespace convlab::app {

namespace {

void set_spacing(ImGuiStyle& style) {
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(10, 6);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(8, 6);
  style.CellPadding = ImVec2(8, 5);
  style.ScrollbarSize = 16;
  style.GrabMinSize = 14;
  style.WindowRounding = 0;
  style.FrameRounding = 4;
  style.TabRounding = 4;
  style.GrabRounding = 4;
  style.FrameBorderSize = 1;
  style.WindowBorderSize = 0;
  style.TabBorderSize = 1;
}

void light_colors(ImGuiStyle& style) {
  ImGui::StyleColorsLight(&style);
  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = ImVec4(0.05f, 0.05f, 0.07f, 1.0f);  // near-black on white
  c[ImGuiCol_TextDisabled] = ImVec4(0.35f, 0.35f, 0.38f, 1.0f);
  c[ImGuiCol_WindowBg] = ImVec4(0.98f, 0.98f, 0.98f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.55f, 0.56f, 0.60f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.92f, 0.93f, 0.95f, 1.0f);
  c[ImGuiCol_Tab] = ImVec4(0.84f, 0.87f, 0.92f, 1.0f);
  c[ImGuiCol_TabHovered] = ImVec4(0.55f, 0.70f, 0.95f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.62f, 0.76f, 1.0f, 1.0f);  // light blue: black text stays readable
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.86f, 0.89f, 0.94f, 1.0f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(0.94f, 0.95f, 0.97f, 1.0f);
}

void dark_colors(ImGuiStyle& style) {
  ImGui::StyleColorsDark(&style);
  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = ImVec4(0.96f, 0.96f, 0.96f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.68f, 0.68f, 0.72f, 1.0f);
  c[ImGuiCol_WindowBg] = ImVec4(0.10f, 0.11f, 0.13f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.13f, 0.14f, 0.16f, 1.0f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.17f, 0.18f, 0.21f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.42f, 0.44f, 0.50f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.20f, 0.22f, 0.26f, 1.0f);
  c[ImGuiCol_Tab] = ImVec4(0.20f, 0.23f, 0.30f, 1.0f);
  c[ImGuiCol_TabHovered] = ImVec4(0.32f, 0.48f, 0.80f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.26f, 0.45f, 0.85f, 1.0f);
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.20f, 0.23f, 0.30f, 1.0f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(0.15f, 0.16f, 0.19f, 1.0f);
}

}  // namespace

void apply_theme(Theme theme, float scale) {
  ImGuiStyle style;
  set_spacing(style);
  if (theme == Theme::Light)
    light_colors(style);
  else
    dark_colors(style);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

ThemeColors theme_colors(Theme theme) {
  if (theme == Theme::Light) return {{0.75f, 0.0f, 0.0f, 1.0f}, {0.30f, 0.30f, 0.33f, 1.0f}};
  return {{1.0f, 0.42f, 0.40f, 1.0f}, {0.72f, 0.72f, 0.76f, 1.0f}};
}

}  // namespace convlab::app
