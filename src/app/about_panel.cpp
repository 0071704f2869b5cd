#include "app/about_panel.h"

#include <imgui.h>

#include "app/ui_label.h"
#include "core/base/i18n.h"
#include "core/model/graph_text.h"

namespace convlab::app {

namespace {

// Shapes are shown for one photo of this size, the size ECNN was trained on.
constexpr int64_t kExampleSide = 256;

void heading(PanelContext& context, const char* text) {
  ImGui::Spacing();
  ImGui::PushFont(context.heading_font);
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

void shortcut_row(const char* keys, const char* action) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextUnformatted(keys);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextUnformatted(action);
}

void draw_shortcuts() {
  const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("shortcuts", 2, flags)) return;
  shortcut_row("1 … 9", tr("Open the panel with that number (order of the tabs)"));
  shortcut_row("F1", tr("Open this page"));
  shortcut_row("Ctrl +  /  Ctrl −", tr("Make everything bigger / smaller (for a projector)"));
  shortcut_row("Ctrl 0", tr("Reset the size"));
  // TRANSLATORS: the keys' names as printed on a keyboard in your language.
  shortcut_row(tr("← → Space Home End"),
               tr("Step through the current panel (back, forward, play, first, last)"));
  shortcut_row("Page Up / Page Down", tr("Previous / next step: a presenter clicker works too"));
  shortcut_row(tr("Drag a file"), tr("Drop an image on a panel that takes images"));
  ImGui::EndTable();
}

}  // namespace

AboutPanel::AboutPanel() : Panel("about", tr_noop("About")) { load_graph(); }

void AboutPanel::load_graph() {
  graph_.reset();
  shapes_.clear();
  auto graph = Graph::builtin(arch_);
  if (!graph.ok()) {
    graph_error_ = graph.message();
    return;
  }
  graph_error_.clear();
  auto shapes = graph->infer_shapes(1, kExampleSide, kExampleSide);
  if (shapes.ok()) shapes_ = std::move(shapes.value());
  graph_ = std::move(graph.value());
}

Status AboutPanel::apply_setting(const std::string& key, const std::string& value) {
  std::string names;
  for (const std::string& name : Graph::builtin_names()) names += (names.empty() ? "" : ", ") + name;
  if (key != "arch")
    return Error{format(tr("panel 'about' has no setting '%s'; valid settings: arch (%s)"), key.c_str(),
                        names.c_str())};
  if (Graph::builtin_json(value).empty())
    return Error{format(tr("panel 'about': arch '%s' is not a built-in model; valid values: %s"),
                        value.c_str(), names.c_str())};
  arch_ = value;
  load_graph();
  return {};
}

void AboutPanel::draw(PanelContext& context) {
  ImGui::PushFont(context.heading_font);
  ImGui::TextUnformatted("ConvLab");
  ImGui::PopFont();
  ImGui::TextWrapped("%s",
                     tr("ConvLab shows how a convolutional network works, one multiplication at a time: "
                        "convolution with padding, stride and dilation; transposed convolution; batch "
                        "normalization. Then it runs a real network built from those pieces, ECNN, which "
                        "colorizes black-and-white photos."));
  ImGui::TextWrapped("%s",
                     tr("Pick a panel from the tabs above or the Panels menu. Everything the app shows is "
                        "computed by the same code the command-line tool uses (run  convlab --help  in a "
                        "terminal)."));

  heading(context, tr("Keyboard"));
  draw_shortcuts();

  heading(context, tr("Graphics device"));
  ImGui::PushFont(context.mono_font);
  // TRANSLATORS: three lines in a monospaced font; pad the words so that
  // the values of "Renderer", "Vendor" and "OpenGL" line up.
  ImGui::Text(tr("Renderer  %s"), context.gl_renderer.c_str());
  ImGui::Text(tr("Vendor    %s"), context.gl_vendor.c_str());
  ImGui::Text(tr("OpenGL    %s"), context.gl_version.c_str());
  ImGui::PopFont();

  draw_architecture(context);
}

void AboutPanel::draw_architecture(PanelContext& context) {
  if (!graph_) {
    heading(context, tr("The colorizer"));
    ImGui::TextColored(ImVec4(0.85f, 0.1f, 0.1f, 1.0f), "%s", graph_error_.c_str());
    return;
  }
  heading(context, graph_->title().c_str());
  ImGui::TextWrapped("%s", graph_text(graph_->description()));
  ImGui::TextWrapped(tr("Layer shapes for one %lldx%lld photo (batch x channels x height x width):"),
                     static_cast<long long>(kExampleSide), static_cast<long long>(kExampleSide));
  const ImGuiTableFlags flags =
      ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("layers", 4, flags)) return;
  ImGui::TableSetupColumn(ui_label(trc("table", "Layer"), "layer").c_str());
  ImGui::TableSetupColumn(ui_label(trc("table", "Op"), "op").c_str());
  ImGui::TableSetupColumn(ui_label(tr("Output shape"), "output shape").c_str());
  ImGui::TableSetupColumn(ui_label(tr("What it does"), "what it does").c_str(),
                          ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  for (const GraphNode& node : graph_->nodes()) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::PushFont(context.mono_font);
    ImGui::TextUnformatted(node.name.c_str());
    ImGui::TableSetColumnIndex(1);
    const std::string op(op_name(node.op));
    ImGui::TextUnformatted(op.c_str());
    ImGui::TableSetColumnIndex(2);
    const auto shape = shapes_.find(node.name);
    ImGui::TextUnformatted(shape == shapes_.end() ? "" : shape_to_string(shape->second).c_str());
    ImGui::PopFont();
    ImGui::TableSetColumnIndex(3);
    ImGui::TextWrapped("%s", graph_text(node.description));
  }
  ImGui::EndTable();
}

}  // namespace convlab::app
