#include "app/layer_inspector.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "app/grid_view.h"
#include "app/panel_widgets.h"
#include "app/status_bar.h"
#include "app/text_audit.h"
#include "app/ui_label.h"
#include "core/base/i18n.h"
#include "core/explore/atlas_paint.h"
#include "core/explore/colormap.h"
#include "core/explore/setting_parse.h"
#include "core/explore/step_text.h"
#include "core/model/graph_text.h"
#include "core/model/layer_slice.h"
#include "core/ops/reference.h"

namespace convlab::app {

namespace {

constexpr int kMaxTile = 128;  // thumbnail pixels on the long side, before the panel scales them
constexpr int kHistogramBins = 48;

// A value as people read it (a decimal comma in Portuguese).
std::string number(double value) {
  return i18n::display_text(explore::format_value(static_cast<float>(value), 4));
}

// The ranges each tile is colored by: its own channel's (structure shows in
// every channel, even a weak one).
std::vector<explore::AtlasRange> channel_ranges(const explore::ActivationSummary& summary, int first,
                                                int count) {
  std::vector<explore::AtlasRange> ranges;
  for (int c = first; c < first + count; ++c) {
    const explore::ValueSummary& s = summary.channels[static_cast<size_t>(c)];
    ranges.push_back({s.min, s.max});
  }
  return ranges;
}

// An image scaled to fit `box`, crisp (the texture filters nearest).
struct Fitted {
  ImVec2 min, size;
  float scale = 1;
};
Fitted fit_image(int width, int height, ImVec2 box) {
  const float scale =
      std::max(0.01f, std::min(box.x / static_cast<float>(width), box.y / static_cast<float>(height)));
  const ImVec2 size(std::floor(static_cast<float>(width) * scale),
                    std::floor(static_cast<float>(height) * scale));
  return {ImGui::GetCursorScreenPos(), size, scale};
}

const GraphNode* block_node(const Model& model, const LayoutBlock& block, OpKind op) {
  for (const std::string& name : block.nodes)
    if (const GraphNode* node = model.graph.find(name); node && node->op == op) return node;
  return nullptr;
}

}  // namespace

Result<const Tensor*> LayerInspector::layer_values(session::NetworkSession& session,
                                                   const std::string& node) {
  auto host = session.activation(node);
  if (!host || (*host)->rank() == 4) return host;
  // A vector (a classifier's scores, a flattened map) as maps: a few values
  // each a channel of 1x1 (hover shows each class's number), many values one
  // strip.
  const std::string key = node + "#" + std::to_string(session.result_version());
  if (key != vector_key_) {
    const int64_t n = (*host)->numel();
    auto view = (*host)->reshaped(n <= 256 ? Shape{1, n, 1, 1} : Shape{1, 1, 1, n});
    if (!view) return view.error();
    vector_view_ = std::move(view).value();
    vector_key_ = key;
  }
  return &vector_view_;
}

void LayerInspector::refresh(session::NetworkSession& session, const std::string& node, ImVec2 region,
                             PanelContext& context) {
  (void)context;
  const int columns_hint = static_cast<int>(std::lround(8.0f * region.x / std::max(region.y, 1.0f)));
  if (node == node_ && version_ == session.result_version() && columns_hint == thumbs_columns_hint_) return;
  node_ = node;
  version_ = session.result_version();
  thumbs_columns_hint_ = columns_hint;
  zoom_key_.clear();
  error_.clear();
  auto host = layer_values(session, node);
  if (!host) {
    error_ = host.message();
    return;
  }
  const Tensor& values = **host;
  summary_ = explore::summarize_activation(values);
  if (zoom_ >= static_cast<int>(values.c())) zoom_ = -1;
  const int channels = static_cast<int>(values.c());
  thumbs_layout_ = explore::atlas_layout(channels, static_cast<int>(values.h()), static_cast<int>(values.w()),
                                         kMaxTile, region.x / std::max(region.y, 1.0f));
  thumbs_.upload(thumbs_layout_.width(), thumbs_layout_.height(),
                 explore::paint_atlas(values, 0, thumbs_layout_, channel_ranges(summary_, 0, channels),
                                      summary_.signed_values));
}

std::optional<OpenRequest> LayerInspector::draw(PanelContext& context, session::NetworkSession& session,
                                                const LayoutBlock& block, const std::string& node,
                                                const std::string& image_path, const std::string& category,
                                                bool can_open) {
  std::optional<OpenRequest> open;
  const Model& model = session.model();
  const float font = ImGui::GetFontSize();
  const GraphNode* graph_node = model.graph.find(node);

  // ---- header: which activation, its shape, op and time -----------------------
  ImGui::PushFont(context.heading_font);
  ImGui::Text(tr("Layer %s"), short_node_name(node).c_str());
  ImGui::PopFont();
  if (short_node_name(node) != node) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", node.c_str());  // the exporter's full name, as tools show it
  }
  if (block.nodes.size() > 1) {
    // conv1 -> conv1_bn -> c1: each step of the block has its own activation.
    // A folded residual block has many: they wrap at the window's edge.
    for (const std::string& name : block.nodes) {
      const std::string id = short_node_name(name) + "##" + name;
      const float width = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                          ImGui::CalcTextSize(short_node_name(name).c_str()).x;
      ImGui::SameLine();
      if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
      if (ImGui::RadioButton(id.c_str(), name == node)) {
        node_.clear();  // redraw for the new node
        open = OpenRequest{"", {{"layer", name}}};
      }
    }
  }
  if (graph_node && !graph_node->description.empty()) {
    // A model from a file names its nodes in its own words ("Conv conv1_1").
    std::optional<ContentText> own_words;
    if (!is_builtin_graph_text(graph_node->description)) own_words.emplace();
    ImGui::TextWrapped("%s", graph_text(graph_node->description));
  }

  if (session.run() == nullptr) {
    ImGui::TextDisabled("%s", tr("The model has not run yet."));
    return open;
  }
  auto host = layer_values(session, node);
  if (!host) {
    ImGui::TextWrapped("%s", host.message().c_str());
    return open;
  }
  const Tensor& values = **host;

  if (ImGui::BeginTabBar("inspector tabs")) {
    const int requested = tab_request_;
    tab_request_ = -1;
    if (ImGui::BeginTabItem(ui_label(tr("Feature maps"), "feature maps").c_str(), nullptr,
                            requested == 0 ? ImGuiTabItemFlags_SetSelected : 0)) {
      ImGui::Text(tr("%lld channels of %lld×%lld"), static_cast<long long>(values.c()),
                  static_cast<long long>(values.h()), static_cast<long long>(values.w()));
      help_marker(tr(
          "Each square is one channel of this layer's output for your photo, colored by its own range "
          "(dark = its smallest value, light = its largest; red/blue around 0 when values can be negative). "
          "Hover for values, click to zoom into a channel."));
      const ImVec2 avail = ImGui::GetContentRegionAvail();
      // The stats column is as wide as its heading ("Todos os canais" in the
      // heading font) and a scrollbar, up to half the width.
      ImGui::PushFont(context.heading_font);
      const float heading_w = ImGui::CalcTextSize(tr("All channels")).x + ImGui::GetStyle().ScrollbarSize +
                              ImGui::GetStyle().WindowPadding.x;
      ImGui::PopFont();
      const float stats_w =
          std::min(std::max(heading_w, std::min(17.0f * font, 0.4f * avail.x)), 0.5f * avail.x);
      // The open-in buttons keep a row under the maps.
      const ImVec2 maps(avail.x - stats_w - ImGui::GetStyle().ItemSpacing.x,
                        std::max(avail.y - ImGui::GetFrameHeightWithSpacing(), 4.0f * font));
      ImGui::BeginChild("maps", maps, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
      const ImVec2 region = ImGui::GetContentRegionAvail();
      if (zoom_ >= 0) {
        draw_zoom(context, session, values, node, region);
      } else {
        refresh(session, node, region, context);
        draw_thumbnails(context, values, region);
      }
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("stats", ImVec2(0, maps.y), false, ImGuiWindowFlags_NoBackground);
      draw_stats(context, values);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    const GraphNode* conv = block_node(model, block, OpKind::Conv2d);
    if (!conv) conv = block_node(model, block, OpKind::ConvTranspose2d);
    const float button_row = ImGui::GetFrameHeightWithSpacing();
    if (conv && ImGui::BeginTabItem(ui_label(tr("Kernels"), "kernels").c_str(), nullptr,
                                    requested == 1 ? ImGuiTabItemFlags_SetSelected : 0)) {
      ImGui::BeginChild("kernels", ImVec2(0, -button_row), false, ImGuiWindowFlags_NoBackground);
      draw_kernels(context, model, *conv);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    const GraphNode* bn = block_node(model, block, OpKind::BatchNorm2d);
    if (bn && ImGui::BeginTabItem(ui_label(trc("tab", "Batch norm"), "batch norm").c_str(), nullptr,
                                  requested == 2 ? ImGuiTabItemFlags_SetSelected : 0)) {
      ImGui::BeginChild("batch norm", ImVec2(0, -button_row), false, ImGuiWindowFlags_NoBackground);
      draw_batch_norm(context, session, *bn);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }

  // ---- open the layer in the teaching panels ------------------------------------
  if (!can_open) {
    ImGui::TextDisabled("%s", tr("The teaching panels open layers of the shipped ECNN advanced model."));
    return open;
  }
  const GraphNode* conv = block_node(model, block, OpKind::Conv2d);
  const GraphNode* tconv = block_node(model, block, OpKind::ConvTranspose2d);
  const GraphNode* bn = block_node(model, block, OpKind::BatchNorm2d);
  // A zoomed channel of the conv's own output is a filter: open that one.
  int filter = filter_;
  if ((conv || tconv) && zoom_ >= 0 && zoom_ < (conv ? conv->out_channels : tconv->out_channels))
    filter = zoom_;
  std::vector<std::pair<std::string, std::string>> photo = open_settings_;
  photo.insert(photo.end(), {{"image", image_path},
                             {"category", category},
                             {"working_size", std::to_string(session.working_size())}});
  if (conv || tconv) {
    const GraphNode& n = conv ? *conv : *tconv;
    const std::string label =
        conv ? format(tr("%s filter %d  →  Convolution panel"), short_node_name(n.name).c_str(), filter + 1)
             : format(tr("%s filter %d  →  Transposed conv panel"), short_node_name(n.name).c_str(),
                      filter + 1);
    if (ImGui::Button(label.c_str())) {
      OpenRequest request{conv ? "conv" : "tconv", photo};
      request.settings.push_back({"filter", std::to_string(filter + 1)});
      request.settings.push_back({"channel", "1"});
      request.settings.push_back({"source", "layer:" + n.name});
      open = request;
    }
  }
  // A pooling layer: its window, stride and padding in the convolution
  // panel's pooling view, over the top-left of its real input (the zoomed
  // channel, else the first).
  if (const GraphNode* pool = block_node(model, block, OpKind::Pool2d);
      pool && pool->pool.kernel.h <= 7 && pool->pool.kernel.w <= 7 &&
      pool->pool.params.window.stride_h <= 4 && pool->pool.params.window.stride_w <= 4 &&
      pool->pool.params.window.dilation_h == 1) {
    const int channel = zoom_ >= 0 ? zoom_ : 0;
    const std::string label = format(tr("%s channel %d  →  Convolution panel (pooling)"),
                                     short_node_name(pool->name).c_str(), channel + 1);
    if (ImGui::Button(label.c_str())) {
      auto input = session.activation(pool->inputs.at(0));
      auto crop = input.ok() ? activation_crop(**input, channel, 16) : Result<ActivationCrop>(input.error());
      if (!crop.ok()) {
        if (context.status) context.status->error(crop.message());
      } else {
        const auto& w = pool->pool.params.window;
        const auto text = [](double v) { return explore::setting_text::double_text(v); };
        std::string numbers;
        for (float v : crop->values) {
          if (!numbers.empty()) numbers += ',';
          numbers += text(v);
        }
        open = OpenRequest{
            "conv",
            {{"source", "off"},
             {"operation", pool->pool.kind == PoolKind::Max ? "maxpool" : "avgpool"},
             {"in_channels", "1"},
             {"input", std::to_string(crop->h) + "x" + std::to_string(crop->w)},
             {"input_values", numbers},
             {"kernel", std::to_string(pool->pool.kernel.h) + "x" + std::to_string(pool->pool.kernel.w)},
             {"stride", std::to_string(w.stride_h) + "," + std::to_string(w.stride_w)},
             {"padding", std::to_string(w.padding.top) + "," + std::to_string(w.padding.bottom) + "," +
                             std::to_string(w.padding.left) + "," + std::to_string(w.padding.right)},
             {"count_include_pad", pool->pool.count_include_pad ? "on" : "off"},
             {"ceil_mode", pool->pool.params.ceil_mode ? "on" : "off"}}};
      }
    }
  }
  // The batch-norm panel opens the colorizer's layers only.
  const bool other_model = std::any_of(open_settings_.begin(), open_settings_.end(), [](const auto& setting) {
    return setting.first == "model" && setting.second != "ecnn";
  });
  if (bn && !other_model) {
    const std::string label = format(tr("%s  →  Batch-norm panel"), bn->name.c_str());
    const float needed = ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x;
    if ((conv || tconv) &&
        needed < ImGui::GetContentRegionAvail().x - ImGui::GetItemRectMax().x + ImGui::GetCursorScreenPos().x)
      ImGui::SameLine();
    if (ImGui::Button(label.c_str())) open = OpenRequest{"bn", {{"source", "layer:" + bn->name}}};
  }
  return open;
}

void LayerInspector::draw_thumbnails(PanelContext& context, const Tensor& values, ImVec2 size) {
  (void)context;
  if (!error_.empty()) {
    ImGui::TextWrapped("%s", error_.c_str());
    return;
  }
  if (thumbs_.empty()) return;
  const Fitted fit = fit_image(thumbs_.width(), thumbs_.height(), size);
  ImGui::Image(thumbs_.imgui_id(), fit.size);
  if (!ImGui::IsItemHovered()) return;
  const ImVec2 mouse = ImGui::GetMousePos();
  auto cell = explore::atlas_cell_at(thumbs_layout_, (mouse.x - fit.min.x) / fit.scale,
                                     (mouse.y - fit.min.y) / fit.scale);
  if (!cell) return;
  const explore::ValueSummary& s = summary_.channels[static_cast<size_t>(cell->channel)];
  ImGui::SetTooltip(
      tr("channel %d, row %d, column %d: %s\nchannel range %s .. %s, mean %s\nClick to zoom in."),
      cell->channel + 1, cell->y + 1, cell->x + 1,
      number(values.at(0, cell->channel, cell->y, cell->x)).c_str(), number(s.min).c_str(),
      number(s.max).c_str(), number(s.mean).c_str());
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) zoom_ = cell->channel;
}

void LayerInspector::draw_zoom(PanelContext& context, session::NetworkSession& session, const Tensor& values,
                               const std::string& node, ImVec2 size) {
  refresh(session, node, size, context);  // keeps the summary current
  const int channels = static_cast<int>(values.c());
  ImGui::SetNextItemWidth(std::min(size.x * 0.5f, 14.0f * ImGui::GetFontSize()));
  int shown = zoom_ + 1;
  if (ImGui::SliderInt("##zoom channel", &shown, 1, channels, tr("channel %d"))) zoom_ = shown - 1;
  ImGui::SameLine();
  if (ImGui::Button(ui_label(tr("All channels"), "all channels").c_str())) {
    zoom_ = -1;
    return;
  }
  const std::string key = node + "#" + std::to_string(zoom_) + "#" + std::to_string(session.result_version());
  if (key != zoom_key_) {
    zoom_key_ = key;
    const int h = static_cast<int>(values.h()), w = static_cast<int>(values.w());
    zoom_layout_ = explore::atlas_layout(1, h, w, std::max(h, w), 1.0);
    const explore::ValueSummary& s = summary_.channels[static_cast<size_t>(zoom_)];
    const explore::AtlasRange range{s.min, s.max};
    zoomed_.upload(
        zoom_layout_.width(), zoom_layout_.height(),
        explore::paint_atlas(values, zoom_, zoom_layout_, std::span(&range, 1), summary_.signed_values));
  }
  if (zoomed_.empty()) return;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const Fitted fit = fit_image(zoomed_.width(), zoomed_.height(), avail);
  ImGui::Image(zoomed_.imgui_id(), fit.size);
  if (ImGui::IsItemHovered()) {
    const ImVec2 mouse = ImGui::GetMousePos();
    auto cell = explore::atlas_cell_at(zoom_layout_, (mouse.x - fit.min.x) / fit.scale,
                                       (mouse.y - fit.min.y) / fit.scale);
    if (cell) {
      ImGui::SetTooltip(tr("row %d, column %d: %s"), cell->y + 1, cell->x + 1,
                        number(values.at(0, zoom_, cell->y, cell->x)).c_str());
      // The hovered cell outlined, big enough to see when cells are large.
      ImDrawList* draw = ImGui::GetWindowDrawList();
      const ImVec2 a(
          fit.min.x + static_cast<float>(cell->x) * fit.scale * static_cast<float>(zoom_layout_.tile_w) /
                          static_cast<float>(zoom_layout_.source_w),
          fit.min.y + static_cast<float>(cell->y) * fit.scale * static_cast<float>(zoom_layout_.tile_h) /
                          static_cast<float>(zoom_layout_.source_h));
      const float cell_w =
          fit.scale * static_cast<float>(zoom_layout_.tile_w) / static_cast<float>(zoom_layout_.source_w);
      if (cell_w >= 4.0f)
        draw->AddRect(a, ImVec2(a.x + cell_w, a.y + cell_w), IM_COL32(255, 160, 40, 255), 0, 0, 2.0f);
    }
  }
}

void LayerInspector::draw_stats(PanelContext& context, const Tensor& values) {
  const bool one = zoom_ >= 0 && zoom_ < static_cast<int>(summary_.channels.size());
  const explore::ValueSummary& s = one ? summary_.channels[static_cast<size_t>(zoom_)] : summary_.all;
  ImGui::PushFont(context.heading_font);
  if (one)
    ImGui::Text(tr("Channel %d"), zoom_ + 1);
  else
    ImGui::TextUnformatted(tr("All channels"));
  ImGui::PopFont();
  ImGui::PushFont(context.mono_font);
  // TRANSLATORS: four lines in a monospaced font; pad the words so that the
  // numbers of "min", "max", "mean" and "std" (standard deviation) line up.
  ImGui::Text(tr("min  %s"), number(s.min).c_str());
  ImGui::Text(tr("max  %s"), number(s.max).c_str());
  ImGui::Text(tr("mean %s"), number(s.mean).c_str());
  ImGui::Text(tr("std  %s"), number(s.std).c_str());
  if (s.non_finite > 0) ImGui::Text("NaN/inf %lld", static_cast<long long>(s.non_finite));
  ImGui::PopFont();
  // Zeros and the histogram scan the whole layer: once per (layer, run, zoom), not every frame.
  const std::string key = node_ + "#" + std::to_string(version_) + "#" + std::to_string(zoom_);
  if (key != stats_key_) {
    stats_key_ = key;
    const std::span<const float> data =
        one ? explore::channel_values(values, zoom_)
            : std::span<const float>(values.data(),
                                     static_cast<size_t>(values.c() * values.h() * values.w()));
    int64_t zeros = 0;
    for (float v : data) zeros += v == 0.0f;
    // Zeros after a ReLU: how much of the layer is switched off.
    zero_share_ = static_cast<double>(zeros) / static_cast<double>(std::max<size_t>(data.size(), 1));
    histogram_ = explore::make_histogram(data, kHistogramBins, s.min, s.max);
    histogram_counts_.assign(histogram_.counts.begin(), histogram_.counts.end());
  }
  if (zero_share_ > 0) ImGui::TextWrapped(tr("%.0f%% exactly 0"), 100.0 * zero_share_);
  ImGui::TextUnformatted(tr("Histogram"));
  ImGui::PlotHistogram("##histogram", histogram_counts_.data(), static_cast<int>(histogram_counts_.size()), 0,
                       nullptr, 0.0f, FLT_MAX,
                       ImVec2(ImGui::GetContentRegionAvail().x, 5.0f * ImGui::GetFontSize()));
  ImGui::PushFont(context.mono_font);
  ImGui::Text("%s", number(histogram_.low).c_str());
  const std::string hi = number(histogram_.high);
  ImGui::SameLine(std::max(0.0f, ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(hi.c_str()).x +
                                     ImGui::GetCursorPosX() - ImGui::GetStyle().ItemSpacing.x));
  ImGui::TextUnformatted(hi.c_str());
  ImGui::PopFont();
}

void LayerInspector::draw_kernels(PanelContext& context, const Model& model, const GraphNode& conv) {
  const bool transposed = conv.op == OpKind::ConvTranspose2d;
  const Tensor& w = model.weight(conv.weights + ".weight");  // conv (O,C,K,K); transposed (C,O,K,K)
  // From the weight itself: a grouped convolution (a model read from ONNX)
  // has fewer input channels per filter than the layer has, and a kernel
  // may be rectangular.
  if (w.rank() != 4) return;
  const int filters = static_cast<int>(transposed ? w.dim(1) : w.dim(0));
  const int channels = static_cast<int>(transposed ? w.dim(0) : w.dim(1));
  const int k = static_cast<int>(w.dim(2)), kw = static_cast<int>(w.dim(3));
  filter_ = std::clamp(filter_, 0, filters - 1);
  int shown = filter_ + 1;
  ImGui::SetNextItemWidth(14.0f * ImGui::GetFontSize());
  if (ImGui::SliderInt("##kernel filter", &shown, 1, filters, tr("filter %d"))) filter_ = shown - 1;
  ImGui::SameLine();
  ImGui::TextWrapped(tr("%d kernels of %d×%d: one per input channel. Red positive, blue negative, white 0."),
                     channels, k, kw);
  const std::string key = conv.name + "#" + std::to_string(filter_);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (key != kernel_key_) {
    kernel_key_ = key;
    Tensor kernels({1, channels, k, kw});
    float max_abs = 0;
    for (int c = 0; c < channels; ++c)
      for (int y = 0; y < k; ++y)
        for (int x = 0; x < kw; ++x) {
          const float v = transposed ? w.at(c, filter_, y, x) : w.at(filter_, c, y, x);
          kernels.at(0, c, y, x) = v;
          max_abs = std::max(max_abs, std::fabs(v));
        }
    kernels_layout_ = explore::atlas_layout(channels, k, kw, std::max(k, kw),
                                            avail.x / std::max(avail.y - 2.0f * ImGui::GetFontSize(), 1.0f));
    // One range for the filter: kernels of one filter compare with each other.
    std::vector<explore::AtlasRange> ranges(static_cast<size_t>(channels),
                                            explore::AtlasRange{-max_abs, max_abs});
    kernels_.upload(kernels_layout_.width(), kernels_layout_.height(),
                    explore::paint_atlas(kernels, 0, kernels_layout_, ranges, true));
  }
  if (kernels_.empty()) return;
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const Fitted fit =
      fit_image(kernels_.width(), kernels_.height(), ImVec2(room.x, room.y - 2.0f * ImGui::GetFontSize()));
  ImGui::Image(kernels_.imgui_id(), fit.size);
  if (ImGui::IsItemHovered()) {
    const ImVec2 mouse = ImGui::GetMousePos();
    if (auto cell = explore::atlas_cell_at(kernels_layout_, (mouse.x - fit.min.x) / fit.scale,
                                           (mouse.y - fit.min.y) / fit.scale)) {
      const float v = transposed ? w.at(cell->channel, filter_, cell->y, cell->x)
                                 : w.at(filter_, cell->channel, cell->y, cell->x);
      ImGui::SetTooltip(tr("filter %d, input channel %d, weight row %d, column %d: %s"), filter_ + 1,
                        cell->channel + 1, cell->y + 1, cell->x + 1, number(v).c_str());
    }
  }
  (void)context;
}

void LayerInspector::draw_batch_norm(PanelContext& context, session::NetworkSession& session,
                                     const GraphNode& bn) {
  const Model& model = session.model();
  auto input = session.activation(bn.inputs.at(0));
  if (!input) {
    ImGui::TextWrapped("%s", input.message().c_str());
    return;
  }
  auto stats = reference::batch_norm_statistics(**input);
  if (!stats) {
    ImGui::TextWrapped("%s", stats.message().c_str());
    return;
  }
  const Tensor& running_mean = model.weight(bn.weights + ".running_mean");
  const Tensor& running_var = model.weight(bn.weights + ".running_var");
  const int channels = bn.channels;
  double stored_mean = 0, image_mean = 0, stored_var = 0, image_var = 0;
  for (int c = 0; c < channels; ++c) {
    stored_mean += running_mean[c];
    stored_var += running_var[c];
    image_mean += stats->mean[static_cast<size_t>(c)];
    image_var += stats->biased_var[static_cast<size_t>(c)];
  }
  const double n = std::max(channels, 1);
  ImGui::TextWrapped(
      tr("In use, %s normalizes with the running statistics it stored while training (orange), not with this "
         "image's own (blue). Averaged over the %d channels: mean %s stored vs %s here; variance %s stored "
         "vs "
         "%s here."),
      bn.name.c_str(), channels, number(stored_mean / n).c_str(), number(image_mean / n).c_str(),
      number(stored_var / n).c_str(), number(image_var / n).c_str());
  // Two strip plots, channel on x: means, then variances.
  const GridPalette palette = grid_palette(context.theme);
  const auto plot = [&](const char* title, const char* id, const std::vector<float>& stored,
                        const std::vector<float>& image) {
    ImGui::TextUnformatted(title);
    const ImVec2 size(ImGui::GetContentRegionAvail().x,
                      std::max(4.0f * ImGui::GetFontSize(),
                               0.4f * (ImGui::GetContentRegionAvail().y - 3.0f * ImGui::GetFontSize())));
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    float lo = 0, hi = 0;
    for (size_t i = 0; i < stored.size(); ++i) {
      lo = std::min({lo, stored[i], image[i]});
      hi = std::max({hi, stored[i], image[i]});
    }
    if (hi - lo < 1e-6f) hi = lo + 1;
    draw->AddRect(a, ImVec2(a.x + size.x, a.y + size.y), palette.grid_line);
    const auto y_of = [&](float v) { return a.y + size.y - (v - lo) / (hi - lo) * (size.y - 6) - 3; };
    if (lo < 0) draw->AddLine(ImVec2(a.x, y_of(0)), ImVec2(a.x + size.x, y_of(0)), palette.muted);
    const float step = size.x / static_cast<float>(std::max<size_t>(stored.size(), 1));
    const float r = std::clamp(0.35f * step, 1.5f, 4.0f);
    for (size_t i = 0; i < stored.size(); ++i) {
      const float x = a.x + (static_cast<float>(i) + 0.5f) * step;
      draw->AddLine(ImVec2(x, y_of(stored[i])), ImVec2(x, y_of(image[i])), palette.grid_line);
      draw->AddCircleFilled(ImVec2(x, y_of(stored[i])), r, IM_COL32(255, 160, 40, 255));
      draw->AddCircleFilled(ImVec2(x, y_of(image[i])), r, IM_COL32(90, 170, 255, 255));
    }
    if (ImGui::IsItemHovered()) {
      const int c = std::clamp(static_cast<int>((ImGui::GetMousePos().x - a.x) / step), 0,
                               static_cast<int>(stored.size()) - 1);
      ImGui::SetTooltip(tr("channel %d: stored %s, this image %s"), c + 1,
                        number(stored[static_cast<size_t>(c)]).c_str(),
                        number(image[static_cast<size_t>(c)]).c_str());
    }
    ImGui::PushFont(context.mono_font);
    ImGui::TextDisabled("%s .. %s", number(lo).c_str(), number(hi).c_str());
    ImGui::PopFont();
  };
  std::vector<float> stored_means(running_mean.values().begin(), running_mean.values().end());
  std::vector<float> stored_vars(running_var.values().begin(), running_var.values().end());
  plot(tr("Mean per channel"), "##means", stored_means, stats->mean);
  plot(tr("Variance per channel"), "##variances", stored_vars, stats->biased_var);
}

}  // namespace convlab::app
