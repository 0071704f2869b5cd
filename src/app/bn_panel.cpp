#include "app/bn_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <tuple>

#include "app/explorer_refusal.h"
#include "app/grid_view.h"
#include "app/panel_widgets.h"
#include "app/slider_text.h"
#include "app/status_bar.h"
#include "app/ui_label.h"
#include "core/base/i18n.h"
#include "core/explore/bn_settings_text.h"
#include "core/explore/colormap.h"
#include "core/explore/setting_parse.h"
#include "core/explore/step_text.h"
#include "core/explore/trace_export.h"
#include "core/explore/trace_json.h"
#include "core/io/asset_paths.h"

namespace convlab::app {

namespace fs = std::filesystem;
using explore::BnExplorer;
using explore::BnMode;

namespace {

constexpr int kLayerPhotoSide = 64;  // small: the layer runs on the CPU as the slider moves
constexpr const char* kArch = "advanced";

// A statistic as people read it (a decimal comma in Portuguese).
std::string fixed(double value, int digits = 3) { return i18n::display_number(value, digits); }

// The mode as the heading says it.
const char* mode_word(BnMode mode) {
  return mode == BnMode::Train ? trc("bn mode", "train") : trc("bn mode", "eval");
}

// Whether a plot's overlay text fits inside a plot `width` wide.
bool overlay_fits_in(const char* overlay, float width) {
  return ImGui::CalcTextSize(overlay).x <= width - 2.0f * ImGui::GetStyle().FramePadding.x;
}

}  // namespace

BnPanel::BnPanel()
    : Panel("bn", tr_noop("Batch norm")),
      exporter_(ExportSource{
          "bn", [] { return 0; }, [] { return 0; }, [](int) {}, [] {},
          [this](ExportKind kind) -> Result<std::string> {
            if (!explorer_.has_output()) return Error{explorer_.reason()};
            if (kind == ExportKind::Csv)
              return explore::batch_norm_trace_to_csv(explorer_.trace(), explorer_.values());
            const Tensor gamma = explorer_.gamma_tensor(), beta = explorer_.beta_tensor();
            return explore::batch_norm_trace_json(explorer_.trace(), {&explorer_.values(), &gamma, &beta});
          }}) {
  photos_ = bundled_sample_photos();
  // Each histogram on its own value axis: the normalized values live near 0
  // whatever the input's range, and a shared axis would squash them.
  explorer_.set_shared_range(false);
}

Status BnPanel::ensure_model() {
  if (model_) return {};
  auto graph = Graph::builtin(kArch);
  if (!graph.ok()) return graph.error();
  if (auto path = find_asset(std::string("models/ecnn_") + kArch + ".safetensors")) {
    auto loaded = load_model(graph.value(), *path);
    if (!loaded.ok()) return loaded.error();
    model_ = std::move(loaded).value();
    model_label_ = format(tr("trained weights (%s)"), fs::path(*path).filename().string().c_str());
  } else {
    model_ = random_model(graph.value(), 1);
    model_label_ =
        tr("random weights: no trained model is installed yet, so the statistics are a random network's");
  }
  return {};
}

Status BnPanel::load_layer(const std::string& name) {
  CONVLAB_TRY(ensure_model());
  auto layer = batch_norm_layer(*model_, name);
  if (!layer.ok()) return layer.error();
  if (photos_.empty()) return Error{tr("no bundled photos found (assets/samples) to run the colorizer on")};
  const size_t count = std::min(photos_.size(), static_cast<size_t>(explore::kMaxBnBatch));
  std::vector<std::string> paths(photos_.begin(), photos_.begin() + static_cast<std::ptrdiff_t>(count));
  auto batch = load_photo_batch(paths, kLayerPhotoSide, model_->graph.size_multiple());
  if (!batch.ok()) return batch.error();
  auto acts = run_model_cpu(*model_, batch->gray, batch->categories, CpuPath::Fast, true);
  if (!acts.ok()) return acts.error();
  auto rows = summarize_batch_norm_layers(*model_, acts.value());
  if (!rows.ok()) return rows.error();
  layer_rows_ = std::move(rows).value();
  const Tensor& input = acts->values.at(layer->input);
  const std::string label =
      format(tr("%s input (%s) for %d bundled photos at %d×%d, %s"), name.c_str(), layer->input.c_str(),
             static_cast<int>(count), kLayerPhotoSide, kLayerPhotoSide, model_label_.c_str());
  CONVLAB_TRY(explorer_.request_layer(name));
  CONVLAB_TRY(explorer_.set_batch_values(input, label));
  CONVLAB_TRY(explorer_.set_gammas(layer->gamma.values()));
  CONVLAB_TRY(explorer_.set_betas(layer->beta.values()));
  CONVLAB_TRY(explorer_.set_running(layer->running_mean.values(), layer->running_var.values()));
  CONVLAB_TRY(explorer_.set_eps(layer->eps));
  CONVLAB_TRY(explorer_.set_momentum(layer->momentum));
  const auto names = batch_norm_layer_names(model_->graph);
  layer_choice_ = static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
  return {};
}

std::vector<std::string> BnPanel::control_ids() const {
  return {"batch", "statistics", "mode", "layers", "export"};
}

std::string BnPanel::state_text() const { return explore::describe_bn_state(explorer_); }

Status BnPanel::apply_setting(const std::string& key, const std::string& value) {
  if (exporter_.takes_key(key)) {
    if (key == "export_gif")
      return Error{tr("panel 'bn': batch norm has no step-through to record; use export_png")};
    Status requested = exporter_.request(key, value);
    return requested.ok() ? requested
                          : Error{format(tr("panel '%s': %s"), "bn", requested.message().c_str())};
  }
  if (key == "steps") {
    char* end = nullptr;
    const long steps = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || steps < 0 || steps > 1000)
      return Error{
          format(tr("panel 'bn': steps='%s' is not valid; use a number of training steps from 0 to 1000"),
                 value.c_str())};
    for (long i = 0; i < steps; ++i)
      if (Status stepped = explorer_.next_batch(); !stepped.ok())
        return Error{format(tr("panel '%s': %s: %s"), "bn", "steps", stepped.message().c_str())};
    return {};
  }
  if (key == "source" && value.rfind("layer:", 0) == 0) {
    Status loaded = load_layer(value.substr(6));
    if (!loaded.ok())
      return Error{format(tr("panel '%s': %s: %s"), "bn", "source", loaded.message().c_str())};
    return {};
  }
  return with_panel_keys("bn", explore::apply_bn_setting(explorer_, key, value), key,
                         explore::bn_setting_keys(), "steps, export_png, export_csv, export_json");
}

bool BnPanel::on_step(StepKey key) {
  switch (key) {
    case StepKey::Next:
    case StepKey::PageNext:
      (void)explorer_.next_batch();
      return true;
    case StepKey::First:
      explorer_.reset_running();
      return true;
    default:
      return false;
  }
}

// ---- frame ------------------------------------------------------------------

void BnPanel::draw(PanelContext& context) {
  const float unit = ImGui::GetFontSize();
  const float controls_width =
      std::clamp(0.26f * ImGui::GetContentRegionAvail().x, 14.0f * unit, 19.0f * unit);
  // A column beside the picture; in presenter mode a drawer (controls_drawer.h).
  if (controls_drawer_.begin("bn controls", controls_width, context)) draw_controls(context);
  controls_drawer_.end();
  ImGui::SameLine();
  ImGui::BeginChild("bn canvas", ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  const auto& s = explorer_.settings();
  ImGui::PushFont(context.heading_font);
  ImGui::TextWrapped(tr("Batch norm: %d × %d channels × %d×%d   ·   channel %d   ·   %s mode"), s.batch,
                     s.channels, s.height, s.width, s.channel + 1, mode_word(s.mode));
  ImGui::PopFont();
  // The random source in the UI language (source_label() is English: the
  // state text keeps it as a comment).
  const std::string source =
      s.source == explore::BnSource::Random
          ? format(tr("random: mean + scale * normal, seed %llu"), static_cast<unsigned long long>(s.seed))
          : explorer_.source_label();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  control_label(source.c_str());
  ImGui::PopStyleColor();
  if (!explorer_.has_output()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(grid_palette(context.theme).focus));
    ImGui::TextWrapped(tr("No output: %s"), explorer_.reason().c_str());
    ImGui::PopStyleColor();
  }
  // Two columns where each has room for its formulas and histograms, else
  // one under the other (the canvas scrolls).
  if (ImGui::GetContentRegionAvail().x >= 36.0f * unit) {
    if (ImGui::BeginTable("bn columns", 2, ImGuiTableFlags_SizingStretchSame)) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      draw_values(context);
      draw_statistics(context);
      ImGui::TableSetColumnIndex(1);
      draw_histograms(context);
      draw_running(context);
      ImGui::EndTable();
    }
  } else {
    draw_values(context);
    draw_statistics(context);
    ImGui::Spacing();
    draw_histograms(context);
    draw_running(context);
  }
  if (control_shown(context, "layers")) draw_layers(context);
  ImGui::EndChild();
  exporter_.end_frame(min, ImVec2(min.x + size.x, min.y + size.y), false, context);
}

void BnPanel::draw_controls(PanelContext& context) {
  ImGui::PushItemWidth(-FLT_MIN);
  const auto report = [&context](const Status& status) {
    if (!status.ok() && context.status != nullptr) context.status->error(status.message());
  };
  const auto& s = explorer_.settings();

  const bool random = s.source == explore::BnSource::Random;
  gated(context, "batch", [&] {
    section(context, tr("Mini-batch"));
    if (wrapped_radio(tr("Random values"), "random", random) && !random) explorer_.use_random_source();
    if (wrapped_radio(tr("Colorizer layer"), "layer", !random) && random) {
      if (Status ok = ensure_model(); ok.ok())
        report(load_layer(batch_norm_layer_names(model_->graph).front()));
      else
        report(ok);
    }
    if (!random && model_) {
      const auto names = batch_norm_layer_names(model_->graph);
      const int current = std::clamp(layer_choice_, 0, static_cast<int>(names.size()) - 1);
      if (ImGui::BeginCombo("##layer", names[static_cast<size_t>(current)].c_str())) {
        for (size_t i = 0; i < names.size(); ++i)
          if (ImGui::Selectable(names[i].c_str(), static_cast<int>(i) == current))
            report(load_layer(names[i]));
        ImGui::EndCombo();
      }
    }
    ImGui::BeginDisabled(!random);
    int batch = s.batch;
    control_label(tr("Batch size N"));
    if (ImGui::SliderInt("##batch", &batch, 1, explore::kMaxBnBatch)) report(explorer_.set_batch(batch));
    int channels = s.channels;
    control_label(tr("Channels C"));
    if (ImGui::SliderInt("##channels", &channels, 1, explore::kMaxBnChannels))
      report(explorer_.set_channels(channels));
    int size[2] = {s.height, s.width};
    control_label(tr("Height × width"));
    if (ImGui::SliderInt2("##size", size, 1, explore::kMaxBnSide))
      report(explorer_.set_size(size[0], size[1]));
    ImGui::EndDisabled();
  });

  gated(context, "statistics", [&] {
    section(context, trc("section", "Channel"));
    int channel = s.channel + 1;
    if (ImGui::SliderInt("##channel", &channel, 1, s.channels, tr("channel %d")))
      report(explorer_.set_channel(channel - 1));
    const size_t c = static_cast<size_t>(s.channel);
    if (random && c < s.mean.size()) {
      float mean = s.mean[c], scale = s.scale[c];
      control_label(tr("Values: mean, spread"));
      if (ImGui::SliderFloat("##mean", &mean, -10.0f, 10.0f, slider_text(tr("mean %.2f"), mean).c_str()))
        report(explorer_.set_mean(s.channel, mean));
      if (ImGui::SliderFloat("##scale", &scale, 0.0f, 5.0f, slider_text(tr("spread %.2f"), scale).c_str()))
        report(explorer_.set_scale(s.channel, scale));
    }
    if (c < s.gamma.size()) {
      float gamma = s.gamma[c], beta = s.beta[c];
      control_label(tr("Scale γ and shift β"));
      help_marker(tr(
          "After normalizing to mean 0 and variance 1, the layer multiplies by γ (weight) and adds β (bias): "
          "two learned numbers per channel, so the network can undo the normalization where that helps."));
      if (ImGui::SliderFloat("##gamma", &gamma, -3.0f, 3.0f, slider_text("γ %.3f", gamma).c_str()))
        report(explorer_.set_gamma(s.channel, gamma));
      if (ImGui::SliderFloat("##beta", &beta, -3.0f, 3.0f, slider_text("β %.3f", beta).c_str()))
        report(explorer_.set_beta(s.channel, beta));
    }
    bool shared = s.shared_range;
    if (wrapped_checkbox(tr("Histograms share one axis"), "shared", &shared))
      explorer_.set_shared_range(shared);
    float eps = s.eps;
    control_label(tr("ε (added to the variance)"));
    // Scientific notation keeps ImGui's own format: its logarithmic slider
    // reads the format's precision to place small values.
    if (ImGui::SliderFloat("##eps", &eps, 1e-8f, 1.0f, "%.1e", ImGuiSliderFlags_Logarithmic))
      report(explorer_.set_eps(eps));
  });

  gated(context, "mode", [&] {
    section(context, tr("Train or eval"));
    if (ImGui::RadioButton(trc("bn mode", "Train"), s.mode == BnMode::Train))
      explorer_.set_mode(BnMode::Train);
    ImGui::SameLine();
    if (ImGui::RadioButton(trc("bn mode", "Eval"), s.mode == BnMode::Eval)) explorer_.set_mode(BnMode::Eval);
    help_marker(
        tr("Train: normalize with this batch's own mean and variance, and move the running statistics toward "
           "them. Eval: normalize with the running statistics, so one image's output does not depend on the "
           "others in the batch."));
    float momentum = s.momentum;
    control_label(tr("Momentum"));
    if (ImGui::SliderFloat("##momentum", &momentum, 0.0f, 1.0f, slider_text("%.2f", momentum).c_str()))
      report(explorer_.set_momentum(momentum));
    // The key in brackets only where the words fit with it.
    if (fitting_button("next batch", ImVec2(-FLT_MIN, 0),
                       {tr("Next mini-batch  (→)"), tr("Next mini-batch")}))
      report(explorer_.next_batch());
    if (fitting_button(
            "reset running", ImVec2(-FLT_MIN, 0),
            {tr("Reset running statistics  (Home)"), tr("Reset running statistics"), tr("Reset statistics")}))
      explorer_.reset_running();
  });

  gated(context, "export", [&] {
    section(context, trc("section", "Export"));
    exporter_.draw_controls(context);
  });
  ImGui::PopItemWidth();
}

// The chosen channel's values, one small grid per sample of the batch.
void BnPanel::draw_values(PanelContext& context) {
  const auto& s = explorer_.settings();
  const Tensor& values = explorer_.values();
  if (values.empty()) return;
  const int n = static_cast<int>(values.n()), h = static_cast<int>(values.h()),
            w = static_cast<int>(values.w());
  control_label(tr("Channel values over the batch (these feed the mean and variance)"));
  const GridPalette palette = grid_palette(context.theme);
  const float unit = ImGui::GetFontSize();
  const float width = ImGui::GetContentRegionAvail().x;
  const float gap = 0.5f * unit;
  // The whole batch within about 40% of the panel's height: try every
  // number of grids per row and keep the one with the biggest cells.
  const float max_height = std::max(6.0f * unit, 0.4f * ImGui::GetWindowHeight());
  int per_row = 1;
  float cell = 0;
  for (int columns = 1; columns <= n; ++columns) {
    const int rows_of_grids = (n + columns - 1) / columns;
    const float by_width = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns * w);
    const float by_height =
        (max_height - gap * static_cast<float>(rows_of_grids)) / static_cast<float>(rows_of_grids * h);
    const float fit = std::min({by_width, by_height, 2.6f * unit});
    if (fit > cell) {
      cell = fit;
      per_row = columns;
    }
  }
  cell = std::max(1.0f, std::floor(cell));
  const int grid_rows = (n + per_row - 1) / per_row;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const CellText text{context.mono_font, context.mono_font != nullptr ? context.mono_font->FontSize : unit,
                      0.45f * unit};
  const auto& view = explorer_.channel_view();
  const float max_abs = explore::grid_max_abs(view.values);
  for (int k = 0; k < n; ++k) {
    const int col = k % per_row, row = k / per_row;
    GridPlacement grid{ImVec2(origin.x + static_cast<float>(col) * (static_cast<float>(w) * cell + gap),
                              origin.y + static_cast<float>(row) * (static_cast<float>(h) * cell + gap)),
                       cell, h, w};
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        draw_value_cell(draw, grid.cell_min(y, x), grid.cell_max(y, x), values.at(k, s.channel, y, x),
                        max_abs, text, palette);
    draw_grid_lines(draw, grid, palette);
  }
  ImGui::Dummy(ImVec2(width, static_cast<float>(grid_rows) * (static_cast<float>(h) * cell + gap)));
}

void BnPanel::draw_statistics(PanelContext& context) {
  if (!explorer_.has_output()) return;
  const explore::BnFormulas f = explorer_.formulas(4);
  ImGui::Spacing();
  ImGui::PushFont(context.mono_font);
  const auto line = [](const std::string& text) {
    if (!text.empty()) ImGui::TextWrapped("%s", i18n::display_text(text).c_str());
  };
  line(f.mean);
  line(f.biased_var);
  line(f.inv_std);
  line(f.normalize);
  line(f.output);
  if (explorer_.settings().mode == BnMode::Train) {
    line(f.unbiased_var);
    line(f.running_mean);
    line(f.running_var);
  }
  ImGui::PopFont();
}

void BnPanel::draw_histograms(PanelContext& context) {
  (void)context;
  const explore::BnHistograms& histograms = explorer_.histograms();
  const float width = ImGui::GetContentRegionAvail().x;
  const float height = 4.0f * ImGui::GetFontSize();
  const auto& view = explorer_.channel_view();
  const auto plot = [&](const char* id, const char* title, const explore::Histogram& h, const char* overlay) {
    if (h.counts.empty()) return;
    std::vector<float> counts(h.counts.begin(), h.counts.end());
    control_label(title);
    // The statistics over the bars where they fit, else under them.
    const bool overlay_fits = overlay_fits_in(overlay, width);
    ImGui::PlotHistogram(id, counts.data(), static_cast<int>(counts.size()), 0,
                         overlay_fits ? overlay : nullptr, 0.0f, FLT_MAX, ImVec2(width, height));
    std::string range = i18n::display_text(explore::format_value(h.low, 4)) + " … " +
                        i18n::display_text(explore::format_value(h.high, 4));
    if (!overlay_fits) range += std::string("   ") + overlay;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    control_label(range.c_str());
    ImGui::PopStyleColor();
  };
  const std::string before =
      format(tr("mean %s   var %s"), fixed(view.stats.mean).c_str(), fixed(view.stats.biased_var).c_str());
  plot("##input", tr("Before: the channel's values"), histograms.input, before.c_str());
  plot("##normalized", tr("Normalized: (x − mean) / √(var + ε)"), histograms.normalized,
       tr("mean 0, variance 1"));
  const std::string after = "γ " + fixed(view.stats.gamma) + "   β " + fixed(view.stats.beta);
  plot("##output", tr("Output: γ · normalized + β"), histograms.output, after.c_str());
}

void BnPanel::draw_running(PanelContext& context) {
  const auto& s = explorer_.settings();
  const auto& history = explorer_.history();
  const size_t c = static_cast<size_t>(s.channel);
  ImGui::Spacing();
  ImGui::PushFont(context.heading_font);
  control_label(tr("Running statistics"));
  ImGui::PopFont();
  std::vector<float> means, vars;
  for (const explore::BnRunningPoint& point : history) {
    if (c < point.mean.size()) means.push_back(point.mean[c]);
    if (c < point.var.size()) vars.push_back(point.var[c]);
  }
  const float width = ImGui::GetContentRegionAvail().x;
  const float height = 3.0f * ImGui::GetFontSize();
  const std::string mean_now = "running_mean " + fixed(explorer_.running_mean()[static_cast<int64_t>(c)]);
  const std::string var_now = "running_var " + fixed(explorer_.running_var()[static_cast<int64_t>(c)]);
  // The value over its curve where it fits, else under it.
  for (const auto& [id, points, now] :
       {std::tuple{"##running mean", &means, &mean_now}, std::tuple{"##running var", &vars, &var_now}}) {
    const bool fits = overlay_fits_in(now->c_str(), width);
    ImGui::PlotLines(id, points->data(), static_cast<int>(points->size()), 0, fits ? now->c_str() : nullptr,
                     FLT_MAX, FLT_MAX, ImVec2(width, height));
    if (!fits) control_label(now->c_str());
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  control_label(format(tr("%lld training steps (→ for the next mini-batch)"),
                       static_cast<long long>(explorer_.batches_tracked()))
                    .c_str());
  ImGui::PopStyleColor();

  auto comparison = explorer_.compare_train_eval();
  if (!comparison.ok()) return;
  if (ImGui::BeginTable("train eval", 3, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableSetupColumn(tr("Same batch"));
    ImGui::TableSetupColumn(trc("bn mode", "Train"));
    ImGui::TableSetupColumn(trc("bn mode", "Eval"));
    ImGui::TableHeadersRow();
    const auto row = [](const char* name, float train, float eval) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      control_label(name);  // wraps in a narrow column
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(fixed(train).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(fixed(eval).c_str());
    };
    if (c < comparison->train_mean.size()) {
      row(tr("mean used"), comparison->train_mean[c], comparison->eval_mean[c]);
      row(tr("variance used"), comparison->train_var[c], comparison->eval_var[c]);
    }
    ImGui::EndTable();
  }
  ImGui::TextWrapped(
      tr("Largest output difference between the modes: %s. Train normalizes with this batch's own "
         "statistics; eval with the running ones, which only match after many batches."),
      fixed(comparison->max_difference, 4).c_str());
}

void BnPanel::draw_layers(PanelContext& context) {
  if (layer_rows_.empty()) return;
  ImGui::Spacing();
  ImGui::PushFont(context.heading_font);
  control_label(tr("The colorizer's batch-norm layers"));
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  control_label(
      format(
          tr("Stored running statistics next to those of the bundled photos (averages over channels); %s."),
          model_label_.c_str())
          .c_str());
  ImGui::PopStyleColor();
  const ImGuiTableFlags flags =
      ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchSame;
  if (!ImGui::BeginTable("layers", 6, flags)) return;
  for (const char* name : {trc("table column", "Layer"), tr("Channels"), tr("Stored mean"),
                           tr("Photos' mean"), tr("Stored var"), tr("Photos' var")})
    ImGui::TableSetupColumn(name);
  ImGui::TableHeadersRow();
  for (const BatchNormLayerSummary& row : layer_rows_) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(row.name.c_str());
    ImGui::TableSetColumnIndex(1);
    ImGui::Text("%d", row.channels);
    ImGui::TableSetColumnIndex(2);
    ImGui::TextUnformatted(fixed(row.stored_mean).c_str());
    ImGui::TableSetColumnIndex(3);
    ImGui::TextUnformatted(fixed(row.batch_mean).c_str());
    ImGui::TableSetColumnIndex(4);
    ImGui::TextUnformatted(fixed(row.stored_var).c_str());
    ImGui::TableSetColumnIndex(5);
    ImGui::TextUnformatted(fixed(row.batch_var).c_str());
  }
  ImGui::EndTable();
}

}  // namespace convlab::app
