#include "app/tconv_panel.h"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

#include "app/explorer_refusal.h"
#include "app/layer_source_slot.h"
#include "app/panel_widgets.h"
#include "app/status_bar.h"
#include "app/tconv_canvas.h"
#include "app/ui_label.h"
#include "core/base/i18n.h"
#include "core/explore/colormap.h"
#include "core/explore/explorer.h"
#include "core/explore/presets.h"
#include "core/explore/setting_parse.h"
#include "core/explore/step_text.h"
#include "core/explore/tconv_settings_text.h"
#include "core/explore/trace_export.h"
#include "core/explore/trace_json.h"
#include "core/io/asset_paths.h"
#include "core/io/image_io.h"

namespace convlab::app {

namespace fs = std::filesystem;
using explore::TconvExplorer;
using explore::TconvView;

namespace {

constexpr int kArtifactPhotoSide = 48;  // small: each output pixel stays visible when enlarged

Result<bool> parse_on_off(const std::string& key, const std::string& value) {
  if (value == "on" || value == "1" || value == "true") return true;
  if (value == "off" || value == "0" || value == "false") return false;
  return Error{
      format(tr("panel '%s': %s='%s' is not valid; use on or off"), "tconv", key.c_str(), value.c_str())};
}

// Gray values in [0, 1] (values outside are clamped) as opaque RGBA.
std::vector<uint8_t> gray_rgba(const Tensor& gray) {
  std::vector<uint8_t> rgba;
  rgba.reserve(static_cast<size_t>(gray.numel()) * 4);
  for (float v : gray.values()) {
    const auto byte = static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
    rgba.insert(rgba.end(), {byte, byte, byte, 255});
  }
  return rgba;
}

// Gain around 1 as a diverging color: blue below (darker), red above.
std::vector<uint8_t> gain_rgba(const Tensor& gain) {
  float deviation = 0;
  for (float v : gain.values()) deviation = std::max(deviation, std::fabs(v - 1.0f));
  std::vector<uint8_t> rgba;
  rgba.reserve(static_cast<size_t>(gain.numel()) * 4);
  for (float v : gain.values()) {
    const explore::Rgb8 color = explore::diverging_color(v - 1.0f, std::max(deviation, 1e-6f));
    rgba.insert(rgba.end(), {color.r, color.g, color.b, 255});
  }
  return rgba;
}

// What the kernel presets are called on screen (--set keeps the short names).
const char* kernel_preset_label(explore::TconvKernelPreset preset) {
  switch (preset) {
    case explore::TconvKernelPreset::Numbers:
      return tr("Numbers 0, 1, 2, …");
    case explore::TconvKernelPreset::Ones:
      return tr("All ones");
    case explore::TconvKernelPreset::Bilinear:
      return tr("Bilinear (upsampling)");
    case explore::TconvKernelPreset::Random:
      return tr("Random integers");
  }
  return "";
}

// The name alone, for a combo's closed box in a narrow column.
const char* kernel_preset_short_label(explore::TconvKernelPreset preset) {
  switch (preset) {
    case explore::TconvKernelPreset::Numbers:
      return input_preset_short_label(explore::InputPreset::Numbers);
    case explore::TconvKernelPreset::Bilinear:
      return tr("Bilinear");
    default:
      return kernel_preset_label(preset);
  }
}

}  // namespace

TconvPanel::TconvPanel()
    : Panel("tconv", tr_noop("Transposed conv")),
      exporter_(ExportSource{
          "tconv", [this] { return explorer_.step_count(); }, [this] { return explorer_.step_index(); },
          [this](int step) { explorer_.set_step(step); }, [this] { explorer_.pause(); },
          [this](ExportKind kind) -> Result<std::string> {
            if (!explorer_.has_output()) return Error{explorer_.reason()};
            const Tensor input = explorer_.input_tensor(), weight = explorer_.weight_tensor(),
                         bias = explorer_.bias_tensor();
            return kind == ExportKind::Csv
                       ? explore::tconv_trace_to_csv(explorer_.trace(), weight, &bias)
                       : explore::tconv_trace_json(explorer_.trace(), {&input, &weight, &bias});
          }}) {
  samples_ = bundled_sample_photos();
  layer_.source().set_limits(true, explore::kMaxTconvInputSide, explore::kMaxTconvChannels);
  if (!samples_.empty()) (void)load_artifact_photo(samples_.front());
}

Status TconvPanel::apply_setting(const std::string& key, const std::string& value) {
  if (exporter_.takes_key(key)) {
    Status requested = exporter_.request(key, value);
    return requested.ok() ? requested
                          : Error{format(tr("panel '%s': %s"), "tconv", requested.message().c_str())};
  }
  if (layer_.takes_key(key)) return layer_.apply(key, value);
  if (key == "artifact" || key == "loop" || key == "play") {
    auto on = parse_on_off(key, value);
    if (!on.ok()) return on.error();
    if (key == "artifact") show_artifact_ = on.value();
    if (key == "loop") loop_ = on.value();
    if (key == "play") {
      if (on.value())
        explorer_.play();
      else
        explorer_.pause();
    }
    return {};
  }
  if (key == "photo") {
    std::string path = value;
    for (const std::string& sample : samples_)
      if (fs::path(sample).stem() == value || fs::path(sample).filename() == value) path = sample;
    Status loaded = load_artifact_photo(path);
    if (!loaded.ok())
      return Error{format(tr("panel '%s': %s: %s"), "tconv", "photo", loaded.message().c_str())};
    return {};
  }
  // input_size and kernel_size are older spellings of input and kernel.
  return with_panel_keys(
      "tconv", explore::apply_tconv_setting(explorer_, key, value), key, explore::tconv_setting_keys(),
      "artifact, photo, loop, play, export_png, export_gif, export_csv, export_json, source, "
      "image, category, working_size, filter, channel",
      {"input_size", "kernel_size"});
}

std::vector<std::string> TconvPanel::control_ids() const {
  return {"step", "layer", "view", "input", "kernel", "stride", "padding", "dilation", "export"};
}

std::string TconvPanel::state_text() const {
  if (layer_.source().active()) return layer_.source().state_text();
  return explore::describe_tconv_state(explorer_);
}

void TconvPanel::draw_layer_section(PanelContext& context) {
  LayerCellView cell;
  if (const ConvStep* step = explorer_.current_direct_step(); step && explorer_.view() == TconvView::Direct)
    cell = {true, step->out_y, step->out_x, step->result};
  const auto& s = explorer_.settings();
  const ConvTranspose2dParams params{s.stride_h,         s.stride_w,         s.padding_h,  s.padding_w,
                                     s.output_padding_h, s.output_padding_w, s.dilation_h, s.dilation_w};
  layer_.draw(context, cell, [&](Size2d full) {
    return conv_transpose2d_output_size(full, Size2d{s.kernel_h, s.kernel_w}, params);
  });
}

Status TconvPanel::load_artifact_photo(const std::string& path) {
  auto image = load_image(path);
  if (!image.ok()) return image.error();
  auto small =
      resize_image(center_crop_to_aspect(image.value(), 1, 1), kArtifactPhotoSide, kArtifactPhotoSide);
  if (!small.ok()) return small.error();
  auto luma =
      explore::photo_patch(small.value(), explore::CropRect{0, 0, kArtifactPhotoSide, kArtifactPhotoSide},
                           explore::LumaRange::Unit, kArtifactPhotoSide);
  if (!luma.ok()) return luma.error();
  auto tensor = Tensor::from_data({1, 1, kArtifactPhotoSide, kArtifactPhotoSide}, std::move(luma).value());
  if (!tensor.ok()) return tensor.error();
  photo_ = std::move(tensor).value();
  photo_path_ = path;
  return {};
}

bool TconvPanel::on_file_dropped(const std::string& path) {
  Status used = load_artifact_photo(path);
  if (used.ok()) {
    show_artifact_ = true;
    explorer_.set_view(TconvView::Overlap);
  }
  pending_status_.set(used, format(tr("Checkerboard demo: %s"), fs::path(path).filename().string().c_str()));
  return true;
}

bool TconvPanel::on_step(StepKey key) {
  if (exporter_.recording()) return false;
  return apply_step_key(explorer_, key);
}

void TconvPanel::draw(PanelContext& context) {
  pending_status_.show(context.status);
  const bool record_this_frame = exporter_.begin_frame();
  if (!exporter_.recording()) advance_playback(explorer_, loop_);

  const float unit = ImGui::GetFontSize();
  const float controls_width =
      std::clamp(0.3f * ImGui::GetContentRegionAvail().x, 11.5f * unit, 21.0f * unit);
  // A column beside the picture; in presenter mode a drawer (controls_drawer.h).
  controls_drawer_.column("tconv controls", controls_width, context, [&] {
    ImGui::BeginDisabled(exporter_.recording());
    draw_controls(context);
    ImGui::EndDisabled();
  });
  const bool artifact = show_artifact_ && explorer_.view() == TconvView::Overlap;
  // The photo beside the counts; in a narrow room (a lesson at a big
  // scale) under them, so neither is squeezed into a sliver.
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const bool stacked = artifact && room.x < 36.0f * unit;
  const ImVec2 canvas_size = !artifact ? ImVec2(0, 0)
                             : stacked ? ImVec2(0, 0.55f * room.y)
                                       : ImVec2(0.5f * room.x, 0);
  ImGui::BeginGroup();
  ImGui::BeginChild("tconv canvas", canvas_size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  const TconvCanvasEvents events = draw_tconv_canvas(explorer_, context);
  ImGui::EndChild();
  if (artifact) {
    if (!stacked) ImGui::SameLine();
    ImGui::BeginChild("tconv artifact", ImVec2(0, 0), false);
    draw_artifact(context);
    ImGui::EndChild();
  }
  ImGui::EndGroup();
  if (events.clicked_step && !exporter_.recording()) {
    explorer_.pause();
    explorer_.set_step(*events.clicked_step);
  }
  exporter_.end_frame(events.min, events.max, record_this_frame, context);
}

void TconvPanel::draw_controls(PanelContext& context) {
  ImGui::PushItemWidth(-FLT_MIN);
  const auto report = [&context](const Status& status) {
    if (!status.ok() && context.status != nullptr) context.status->error(status.message());
  };
  gated(context, "step", [&] { draw_step_bar(*this, explorer_, loop_, explore::kMaxStepsPerSecond); });
  gated(context, "layer", [&] { draw_layer_section(context); });

  gated(context, "view", [&] {
    section(context, trc("section", "View"));
    const std::array<std::pair<const char*, TconvView>, 3> views = {
        {{trc("tconv view", "Sum"), TconvView::Sum},
         {trc("tconv view", "Direct"), TconvView::Direct},
         {trc("tconv view", "Overlap"), TconvView::Overlap}}};
    // One row when the three fit, else one under the other.
    float row = -ImGui::GetStyle().ItemSpacing.x;
    for (const auto& view : views) row += toggle_width(view.first) + ImGui::GetStyle().ItemSpacing.x;
    const bool one_row = row <= ImGui::GetContentRegionAvail().x;
    for (size_t i = 0; i < views.size(); ++i) {
      if (i > 0 && one_row) ImGui::SameLine();
      if (ImGui::RadioButton(views[i].first, explorer_.view() == views[i].second))
        explorer_.set_view(views[i].second);
    }
    help_marker(
        tr("Sum: every input element scales the kernel; the scaled copies are added at stride offsets, then "
           "padding crops the border. Direct: the same numbers from an ordinary convolution of the input "
           "with zeros inserted, by the flipped kernel. Overlap: how many taps land on each output cell."));
    if (explorer_.view() == TconvView::Overlap)
      wrapped_checkbox(tr("Show the checkerboard on a photo"), "artifact", &show_artifact_);
  });

  const auto& s = explorer_.settings();
  gated(context, "input", [&] {
    section(context, trc("section", "Input"));
    int size[2] = {s.input_h, s.input_w};
    control_label(tr("Rows × columns"));
    if (ImGui::SliderInt2("##input size", size, 1, explore::kMaxTconvInputSide))
      report(explorer_.set_input_size(size[0], size[1]));
    int channels[2] = {s.in_channels, s.out_channels};
    control_label(tr("Channels in, out"));
    if (ImGui::SliderInt2("##channels", channels, 1, explore::kMaxTconvChannels)) {
      report(explorer_.set_in_channels(channels[0]));
      report(explorer_.set_out_channels(channels[1]));
    }
    const std::array<explore::InputPreset, 4> inputs = {
        explore::InputPreset::Numbers, explore::InputPreset::Ramp, explore::InputPreset::Checkerboard,
        explore::InputPreset::Random};
    control_label(tr("Values"));
    if (ImGui::BeginCombo("##input preset", s.input_preset
                                                ? combo_preview({input_preset_label(*s.input_preset),
                                                                 input_preset_short_label(*s.input_preset)})
                                                : trc("values", "Edited"))) {
      for (explore::InputPreset preset : inputs)
        if (ImGui::Selectable(input_preset_label(preset), s.input_preset == preset))
          explorer_.apply_input_preset(preset);
      ImGui::EndCombo();
    }
  });

  gated(context, "kernel", [&] {
    section(context, trc("section", "Kernel"));
    int kernel[2] = {s.kernel_h, s.kernel_w};
    control_label(tr("Rows × columns"));
    if (ImGui::SliderInt2("##kernel size", kernel, 1, explore::kMaxTconvKernelSide))
      report(explorer_.set_kernel_size(kernel[0], kernel[1]));
    const std::array<explore::TconvKernelPreset, 4> kernels = {
        explore::TconvKernelPreset::Numbers, explore::TconvKernelPreset::Ones,
        explore::TconvKernelPreset::Bilinear, explore::TconvKernelPreset::Random};
    control_label(tr("Values"));
    if (ImGui::BeginCombo("##kernel preset",
                          s.kernel_preset ? combo_preview({kernel_preset_label(*s.kernel_preset),
                                                           kernel_preset_short_label(*s.kernel_preset)})
                                          : trc("values", "Edited"))) {
      for (explore::TconvKernelPreset preset : kernels)
        if (ImGui::Selectable(kernel_preset_label(preset), s.kernel_preset == preset))
          explorer_.apply_kernel_preset(preset);
      ImGui::EndCombo();
    }
    if (fitting_button("new random", ImVec2(-FLT_MIN, 0), {tr("New random values"), tr("New values")}))
      explorer_.set_seed(s.seed + 1);
  });

  if (control_shown(context, "stride") || control_shown(context, "padding") ||
      control_shown(context, "dilation"))
    section(context, trc("section", "Geometry"));
  gated(context, "stride", [&] {
    int stride[2] = {s.stride_h, s.stride_w};
    control_label(tr("Stride (rows, columns)"));
    if (ImGui::SliderInt2("##stride", stride, 1, explore::kMaxTconvStride))
      report(explorer_.set_stride(stride[0], stride[1]));
  });
  gated(context, "padding", [&] {
    int padding[2] = {s.padding_h, s.padding_w};
    control_label(tr("Padding (cropped from each side)"));
    if (ImGui::SliderInt2("##padding", padding, 0, 4)) report(explorer_.set_padding(padding[0], padding[1]));
    int output_padding[2] = {s.output_padding_h, s.output_padding_w};
    control_label(tr("Output padding (bottom, right)"));
    help_marker(
        tr("Adds rows/columns at the bottom/right, to pick among the output sizes that a stride-s "
           "convolution would map to the same input size. It must stay below the stride or the dilation."));
    if (ImGui::SliderInt2("##output padding", output_padding, 0, explore::kMaxTconvOutputPadding))
      report(explorer_.set_output_padding(output_padding[0], output_padding[1]));
  });
  gated(context, "dilation", [&] {
    int dilation[2] = {s.dilation_h, s.dilation_w};
    control_label(tr("Dilation (rows, columns)"));
    if (ImGui::SliderInt2("##dilation", dilation, 1, explore::kMaxTconvDilation))
      report(explorer_.set_dilation(dilation[0], dilation[1]));
  });

  gated(context, "export", [&] {
    section(context, trc("section", "Export"));
    exporter_.draw_controls(context);
  });
  ImGui::PopItemWidth();
}

void TconvPanel::refresh_artifact(PanelContext& context) {
  const auto& s = explorer_.settings();
  const ArtifactKey key{s.kernel_h, s.stride_h, photo_path_};
  if (key == artifact_key_ || photo_.empty()) return;
  artifact_key_ = key;
  auto demo = explore::checkerboard_artifact_demo(photo_, s.kernel_h, s.stride_h);
  if (!demo.ok()) {
    artifact_note_ = demo.message();
    if (context.status != nullptr) context.status->error(demo.message());
    return;
  }
  photo_texture_.upload(static_cast<int>(photo_.w()), static_cast<int>(photo_.h()), gray_rgba(photo_));
  upsampled_texture_.upload(static_cast<int>(demo->output.w()), static_cast<int>(demo->output.h()),
                            gray_rgba(demo->output));
  gain_texture_.upload(static_cast<int>(demo->gain.w()), static_cast<int>(demo->gain.h()),
                       gain_rgba(demo->gain));
  artifact_note_ = format(tr("Kernel %d×%d of constant %s, stride %d."), s.kernel_h, s.kernel_h,
                          i18n::display_text(explore::format_value(demo->weight, 4)).c_str(), s.stride_h);
}

void TconvPanel::draw_artifact(PanelContext& context) {
  refresh_artifact(context);
  ImGui::PushFont(context.heading_font);
  control_label(tr("On a photo"));
  ImGui::PopFont();
  ImGui::TextWrapped(
      tr("%s A flat region should stay flat; where the stride does not divide the kernel, a grid "
         "pattern appears."),
      artifact_note_.c_str());
  if (upsampled_texture_.empty()) return;
  const float side = std::min(ImGui::GetContentRegionAvail().x, 0.42f * ImGui::GetContentRegionAvail().y);
  control_label(tr("Upsampled by the transposed convolution"));
  ImGui::Image(upsampled_texture_.imgui_id(), ImVec2(side, side));
  const float small = 0.48f * side;
  ImGui::BeginGroup();
  control_label(trc("image caption", "Photo"));
  ImGui::Image(photo_texture_.imgui_id(), ImVec2(small, small));
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  control_label(tr("Gain (white = 1)"));
  ImGui::Image(gain_texture_.imgui_id(), ImVec2(small, small));
  ImGui::EndGroup();
}

}  // namespace convlab::app
