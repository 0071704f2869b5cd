#include "app/network_diagram.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/grid_view.h"
#include "app/text_audit.h"
#include "core/base/i18n.h"

namespace convlab::app {

namespace {

// Width of a column in units: joins are small circles, inputs short labels.
float column_weight(BlockKind kind) {
  switch (kind) {
    case BlockKind::Join:
      return 0.45f;
    case BlockKind::Input:
    case BlockKind::Embedding:
      return 0.8f;
    default:
      return 1.0f;
  }
}

ImU32 with_alpha(ImU32 color, float alpha) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
  c.w *= alpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

struct Palette {
  ImU32 conv, tconv, input, embedding, join, text, muted, edge, skip, selected, glow;
  ImU32 pool, head, group, unsupported;
};

Palette palette(Theme theme) {
  const bool dark = theme == Theme::Dark;
  return {dark ? IM_COL32(52, 92, 150, 255) : IM_COL32(178, 205, 240, 255),
          dark ? IM_COL32(40, 128, 110, 255) : IM_COL32(170, 225, 210, 255),
          dark ? IM_COL32(80, 80, 88, 255) : IM_COL32(215, 215, 222, 255),
          dark ? IM_COL32(120, 84, 160, 255) : IM_COL32(215, 195, 240, 255),
          dark ? IM_COL32(150, 150, 160, 255) : IM_COL32(110, 110, 120, 255),
          dark ? IM_COL32(240, 240, 245, 255) : IM_COL32(20, 20, 30, 255),
          dark ? IM_COL32(170, 170, 180, 255) : IM_COL32(90, 90, 100, 255),
          dark ? IM_COL32(200, 200, 210, 255) : IM_COL32(60, 60, 70, 255),
          dark ? IM_COL32(120, 190, 255, 255) : IM_COL32(30, 100, 200, 255),
          IM_COL32(255, 160, 40, 255),
          IM_COL32(255, 200, 60, 255),
          dark ? IM_COL32(96, 96, 140, 255) : IM_COL32(200, 200, 235, 255),
          dark ? IM_COL32(150, 110, 50, 255) : IM_COL32(245, 215, 160, 255),
          dark ? IM_COL32(45, 70, 120, 255) : IM_COL32(160, 190, 235, 255),
          dark ? IM_COL32(190, 40, 40, 255) : IM_COL32(240, 110, 110, 255)};
}

std::string shape_line(const Shape& s) {
  if (s.size() == 2) return std::to_string(s[1]);  // a vector: its length
  if (s.size() != 4) return "";
  char text[64];
  std::snprintf(text, sizeof text, "%lld × %lld×%lld", static_cast<long long>(s[1]),
                static_cast<long long>(s[2]), static_cast<long long>(s[3]));
  return text;
}

void arrow_head(ImDrawList* draw, ImVec2 tip, ImVec2 from, ImU32 color, float size) {
  const float dx = tip.x - from.x, dy = tip.y - from.y;
  const float length = std::max(std::sqrt(dx * dx + dy * dy), 1e-3f);
  const ImVec2 u(dx / length, dy / length), n(-u.y, u.x);
  draw->AddTriangleFilled(
      tip, ImVec2(tip.x - u.x * size + n.x * size * 0.5f, tip.y - u.y * size + n.y * size * 0.5f),
      ImVec2(tip.x - u.x * size - n.x * size * 0.5f, tip.y - u.y * size - n.y * size * 0.5f), color);
}

}  // namespace

DiagramEvents draw_network_diagram(const GraphLayout& layout, const DiagramState& state, ImVec2 size,
                                   const PanelContext& context) {
  DiagramEvents events;
  const Palette p = palette(context.theme);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##diagram", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const ImVec2 mouse = ImGui::GetMousePos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();

  // Columns: x from the weights; rows: one per level plus one for the
  // category input, under the deepest level; room above for skip arches.
  int columns = 0;
  for (const LayoutBlock& b : layout.blocks) columns = std::max(columns, b.column + 1);
  std::vector<float> weight(static_cast<size_t>(columns), 0.0f);
  for (const LayoutBlock& b : layout.blocks)
    weight[static_cast<size_t>(b.column)] =
        std::max(weight[static_cast<size_t>(b.column)], column_weight(b.kind));
  float total = 0;
  for (float w : weight) total += w;
  float unit = size.x / std::max(total, 1.0f);
  // A column is at least as wide as its name at a readable size (the
  // inputs "gray" and "category" are longer than the layers' "c1"); the
  // others share what is left.
  ImFont* heading = context.heading_font ? context.heading_font : ImGui::GetFont();
  for (int pass = 0; pass < 2; ++pass) {
    for (const LayoutBlock& b : layout.blocks) {
      if (b.kind == BlockKind::Join) continue;
      const std::string& shown = b.label.empty() ? b.name : b.label;
      const float needed = heading->CalcTextSizeA(0.62f * font, FLT_MAX, 0, shown.c_str()).x + 1.2f * font;
      float& w = weight[static_cast<size_t>(b.column)];
      w = std::max(w, needed / std::max(unit, 1.0f));
    }
    total = 0;
    for (float w : weight) total += w;
    unit = size.x / std::max(total, 1.0f);
  }
  std::vector<float> column_x(static_cast<size_t>(columns) + 1, origin.x);
  for (int c = 0; c < columns; ++c)
    column_x[static_cast<size_t>(c) + 1] =
        column_x[static_cast<size_t>(c)] + weight[static_cast<size_t>(c)] * unit;
  // A row under the deepest level for inputs that are not maps (ECNN's category).
  bool vector_input = false;
  for (const LayoutBlock& b : layout.blocks)
    vector_input = vector_input || (b.kind == BlockKind::Input && b.shape.size() != 4);
  const int rows = layout.deepest + (vector_input ? 2 : 1);
  const float top_room = 0.9f * font;
  const float row_h = (size.y - top_room) / static_cast<float>(rows);
  const float box_h = std::min(row_h * 0.72f, 3.3f * font);

  struct Placed {
    ImVec2 min, max;
  };
  std::map<std::string, Placed> placed;
  for (const LayoutBlock& b : layout.blocks) {
    const bool category_input = b.kind == BlockKind::Input && b.shape.size() != 4;
    const int row = category_input ? rows - 1 : b.level;
    const float x0 = column_x[static_cast<size_t>(b.column)],
                x1 = column_x[static_cast<size_t>(b.column) + 1];
    const float cy = origin.y + top_room + (static_cast<float>(row) + 0.5f) * row_h;
    const float margin = std::min(0.12f * (x1 - x0), 0.4f * font);
    float w = x1 - x0 - 2 * margin, h = box_h;
    if (b.kind == BlockKind::Join) w = h = std::min(x1 - x0 - 2 * margin, 1.6f * font);
    const float cx = 0.5f * (x0 + x1);
    placed[b.name] = {ImVec2(std::floor(cx - 0.5f * w), std::floor(cy - 0.5f * h)),
                      ImVec2(std::floor(cx + 0.5f * w), std::floor(cy + 0.5f * h))};
  }
  auto center_left = [](const Placed& q) { return ImVec2(q.min.x, 0.5f * (q.min.y + q.max.y)); };
  auto center_right = [](const Placed& q) { return ImVec2(q.max.x, 0.5f * (q.min.y + q.max.y)); };
  auto column_of = [&](const std::string& name) {
    const LayoutBlock* b = layout.find(name);
    return b ? b->column : 0;
  };
  auto passed = [&](const std::string& name) { return !state.data_at || column_of(name) <= *state.data_at; };

  // ---- edges under the boxes -------------------------------------------------
  const float thickness = std::max(1.5f, 0.09f * font);
  for (const LayoutEdge& e : layout.edges) {
    if (!placed.count(e.from) || !placed.count(e.to)) continue;
    const Placed &a = placed[e.from], &b = placed[e.to];
    const float alpha = passed(e.to) ? 1.0f : 0.3f;
    if (e.kind == EdgeKind::Skip) {
      // An arch over the row: from the top of the source to the top of the join.
      const ImVec2 start(0.5f * (a.min.x + a.max.x), a.min.y), end(0.5f * (b.min.x + b.max.x), b.min.y);
      const float lift = std::min(0.55f * row_h, top_room + 0.5f * row_h - 0.5f * box_h);
      const ImVec2 c1(start.x + 0.25f * (end.x - start.x), start.y - lift * 1.3f),
          c2(end.x - 0.25f * (end.x - start.x), end.y - lift * 1.3f);
      draw->AddBezierCubic(start, c1, c2, end, with_alpha(p.skip, alpha), thickness);
      arrow_head(draw, end, c2, with_alpha(p.skip, alpha), 0.55f * font);
      continue;
    }
    const ImU32 color = with_alpha(e.kind == EdgeKind::Embedding ? p.embedding : p.edge, alpha);
    ImVec2 start = center_right(a), end = center_left(b);
    const LayoutBlock* from = layout.find(e.from);
    if (from && from->kind == BlockKind::Input && from->shape.size() != 4) {
      // From the category input below: up into the embedding block's bottom.
      start = ImVec2(0.5f * (a.min.x + a.max.x), a.min.y);
      end = ImVec2(0.5f * (b.min.x + b.max.x), b.max.y);
      if (std::fabs(start.x - end.x) > 1.0f) {
        // Along the bottom row first, then up.
        draw->AddLine(ImVec2(a.max.x, 0.5f * (a.min.y + a.max.y)), ImVec2(end.x, 0.5f * (a.min.y + a.max.y)),
                      with_alpha(p.embedding, alpha), thickness);
        start = ImVec2(end.x, 0.5f * (a.min.y + a.max.y));
      }
      draw->AddLine(start, end, with_alpha(p.embedding, alpha), thickness);
      arrow_head(draw, end, start, with_alpha(p.embedding, alpha), 0.55f * font);
      continue;
    }
    if (std::fabs(start.y - end.y) < 1.0f) {
      draw->AddLine(start, end, color, thickness);
    } else {
      // Down or up a level: a smooth S between the two rows.
      const float mid = 0.5f * (start.x + end.x);
      draw->AddBezierCubic(start, ImVec2(mid, start.y), ImVec2(mid, end.y), end, color, thickness);
    }
    arrow_head(draw, end, ImVec2(end.x - 1.0f, end.y), color, 0.55f * font);
  }

  // ---- boxes ---------------------------------------------------------------------
  const LayoutBlock* hovered_block = nullptr;
  for (const LayoutBlock& b : layout.blocks) {
    const Placed& q = placed[b.name];
    const bool is_selected = b.name == state.selected;
    const bool here = state.data_at && b.column == *state.data_at;
    const float alpha = passed(b.name) ? 1.0f : 0.3f;
    ImU32 fill = p.conv;
    if (b.kind == BlockKind::TransposedConv) fill = p.tconv;
    if (b.kind == BlockKind::Input) fill = p.input;
    if (b.kind == BlockKind::Embedding) fill = p.embedding;
    if (b.kind == BlockKind::Join) fill = p.join;
    if (b.kind == BlockKind::Pool) fill = p.pool;
    if (b.kind == BlockKind::Head) fill = p.head;
    if (b.kind == BlockKind::Group) fill = p.group;
    if (b.kind == BlockKind::Unsupported) fill = p.unsupported;
    const float rounding = b.kind == BlockKind::Join ? 0.5f * (q.max.x - q.min.x) : 0.25f * font;
    if (here)
      draw->AddRectFilled(ImVec2(q.min.x - 4, q.min.y - 4), ImVec2(q.max.x + 4, q.max.y + 4),
                          with_alpha(p.glow, 0.45f), rounding + 4);
    draw->AddRectFilled(q.min, q.max, with_alpha(fill, alpha), rounding);
    // A folded residual block: a second outline, as a stack of layers.
    if (b.kind == BlockKind::Group)
      draw->AddRect(ImVec2(q.min.x + 3, q.min.y + 3), ImVec2(q.max.x - 3, q.max.y - 3),
                    with_alpha(p.skip, alpha), rounding, 0, std::max(1.5f, 0.08f * font));
    if (is_selected)
      draw->AddRect(ImVec2(q.min.x - 2, q.min.y - 2), ImVec2(q.max.x + 2, q.max.y + 2), p.selected,
                    rounding + 2, 0, std::max(2.5f, 0.15f * font));
    const ImU32 text = with_alpha(b.kind == BlockKind::Join ? IM_COL32(20, 20, 30, 255) : p.text, alpha);
    if (b.kind == BlockKind::Join) {
      const char* plus = "+";
      const ImVec2 ts = ImGui::CalcTextSize(plus);
      draw->AddText(ImVec2(0.5f * (q.min.x + q.max.x - ts.x), 0.5f * (q.min.y + q.max.y - ts.y)), text, plus);
    } else {
      // Name on top (heading font), channels × size under it, each only if it fits.
      const float width = q.max.x - q.min.x - 0.3f * font;
      const float heading_size = std::min(heading->FontSize, 0.48f * (q.max.y - q.min.y));
      const auto real = state.shapes.find(b.name);
      const Shape& shape = real != state.shapes.end() ? real->second : b.shape;
      const std::string detail = b.kind == BlockKind::Input && b.shape.size() != 4
                                     ? std::string(trc("diagram", "category"))
                                     : shape_line(shape);
      ImFont* mono = context.mono_font ? context.mono_font : ImGui::GetFont();
      float detail_size = std::min(mono->FontSize, 0.34f * (q.max.y - q.min.y));
      ImVec2 detail_extent = mono->CalcTextSizeA(detail_size, FLT_MAX, 0, detail.c_str());
      if (detail_extent.x > width) {
        detail_size *= width / detail_extent.x;
        detail_extent = mono->CalcTextSizeA(detail_size, FLT_MAX, 0, detail.c_str());
      }
      const bool two_lines = detail_size >= 0.55f * font;
      // The op's settings next to the name when the box is wide enough.
      std::string name = b.label.empty() ? b.name : b.label;
      if (!b.brief.empty() && b.brief.rfind(name, 0) != 0) {  // not "fc  fc 7"
        const std::string with_brief = name + "  " + b.brief;
        if (heading->CalcTextSizeA(heading_size, FLT_MAX, 0, with_brief.c_str()).x <= width)
          name = with_brief;
      }
      // A narrow box (an input column on a small window) takes its name in a
      // smaller size; a name that would be too small to read is left to the
      // tooltip rather than spilling over the box's neighbours.
      float name_size = heading_size;
      ImVec2 label_size = heading->CalcTextSizeA(name_size, FLT_MAX, 0, name.c_str());
      if (label_size.x > width) {
        name_size *= width / label_size.x;
        label_size = heading->CalcTextSizeA(name_size, FLT_MAX, 0, name.c_str());
      }
      const bool show_name = name_size >= 0.5f * font && label_size.x <= width + 0.5f;
      const float block_h = (show_name ? label_size.y : 0.0f) + (two_lines ? detail_extent.y : 0.0f);
      const float y0 = 0.5f * (q.min.y + q.max.y - block_h);
      if (show_name) {
        const ContentText node_name;  // the graph's own names ("pool1", "fc"), not UI words
        draw->AddText(heading, name_size, ImVec2(0.5f * (q.min.x + q.max.x - label_size.x), y0), text,
                      name.c_str());
      }
      if (!show_name) label_size.y = 0.0f;
      if (two_lines)
        draw->AddText(mono, detail_size,
                      ImVec2(0.5f * (q.min.x + q.max.x - detail_extent.x), y0 + label_size.y),
                      with_alpha(p.text, 0.85f * alpha), detail.c_str());
    }
    // The block's time under it, when the run was timed.
    const bool timed_kind = b.kind == BlockKind::Conv || b.kind == BlockKind::TransposedConv;
    if (auto it = state.ms.find(b.name); it != state.ms.end() && timed_kind) {
      const std::string ms = i18n::display_number(it->second, it->second < 10 ? 2 : 0) + " ms";
      ImFont* mono = context.mono_font ? context.mono_font : ImGui::GetFont();
      // As wide as its column at most, and inside the diagram at its edges.
      const float column_w =
          column_x[static_cast<size_t>(b.column) + 1] - column_x[static_cast<size_t>(b.column)];
      float ms_size = 0.72f * font;
      ImVec2 extent = mono->CalcTextSizeA(ms_size, FLT_MAX, 0, ms.c_str());
      if (extent.x > column_w) {
        ms_size *= column_w / extent.x;
        extent = mono->CalcTextSizeA(ms_size, FLT_MAX, 0, ms.c_str());
      }
      const float ms_x = std::clamp(0.5f * (q.min.x + q.max.x - extent.x), origin.x,
                                    std::max(origin.x, origin.x + size.x - extent.x));
      if (ms_size >= 0.45f * font)
        draw->AddText(mono, ms_size, ImVec2(ms_x, q.max.y + 0.1f * font), with_alpha(p.muted, alpha),
                      ms.c_str());
    }
    if (hovered && mouse.x >= q.min.x && mouse.x <= q.max.x && mouse.y >= q.min.y && mouse.y <= q.max.y)
      hovered_block = &b;
  }
  if (hovered_block) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(28.0f * font);
    const std::string summary =
        state.graph ? block_summary(*state.graph, *hovered_block) : hovered_block->summary;
    ImGui::Text("%s: %s", hovered_block->name.c_str(), summary.c_str());
    if (hovered_block->kind == BlockKind::Group) ImGui::TextDisabled("%s", tr("Click to open this block."));
    if (!hovered_block->nodes.empty()) {
      std::string nodes;
      for (const std::string& n : hovered_block->nodes)
        nodes += (nodes.empty() ? "" : " → ") + short_node_name(n);
      ImGui::TextDisabled("%s", nodes.c_str());
    }
    if (hovered_block->shape.size() == 4)
      ImGui::Text(tr("output %s"), shape_line(hovered_block->shape).c_str());
    ImGui::TextDisabled("%s", tr("Click to inspect this layer."));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    if (clicked) events.clicked = hovered_block->name;
  }
  return events;
}

}  // namespace convlab::app
