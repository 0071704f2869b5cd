#include "app/conv_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "app/explorer_refusal.h"
#include "app/layer_source_slot.h"
#include "app/panel_widgets.h"
#include "app/status_bar.h"
#include "app/text_audit.h"
#include "core/base/i18n.h"
#include "core/explore/presets.h"
#include "core/explore/setting_parse.h"
#include "core/explore/settings_text.h"
#include "core/explore/trace_export.h"
#include "core/explore/trace_json.h"
#include "core/io/asset_paths.h"
#include "core/io/image_io.h"

namespace convlab::app {

namespace fs = std::filesystem;
using explore::ConvExplorer;

namespace {

constexpr std::array kInputPresets = {explore::InputPreset::Numbers, explore::InputPreset::Ramp,
                                      explore::InputPreset::Checkerboard, explore::InputPreset::Random};
constexpr std::array kKernelPresets = {explore::KernelPreset::Identity,  explore::KernelPreset::Box,
                                       explore::KernelPreset::Gaussian,  explore::KernelPreset::Sharpen,
                                       explore::KernelPreset::SobelX,    explore::KernelPreset::SobelY,
                                       explore::KernelPreset::Laplacian, explore::KernelPreset::Random};
// What the kernel presets are called on screen (the names in --set stay the
// short ones from presets.h).
const char* kernel_preset_label(explore::KernelPreset preset) {
  switch (preset) {
    case explore::KernelPreset::Identity:
      return tr("Identity");
    case explore::KernelPreset::Box:
      return tr("Box blur");
    case explore::KernelPreset::Gaussian:
      return tr("Gaussian blur");
    case explore::KernelPreset::Sharpen:
      return tr("Sharpen (3×3)");
    case explore::KernelPreset::SobelX:
      return tr("Sobel x: vertical edges (3×3)");
    case explore::KernelPreset::SobelY:
      return tr("Sobel y: horizontal edges (3×3)");
    case explore::KernelPreset::Laplacian:
      return tr("Laplacian (3×3)");
    case explore::KernelPreset::Random:
      return tr("Random integers");
  }
  return "";
}

// Shorter names for the combo's closed box, where a narrow column has no
// room for the whole one.
const char* kernel_preset_short_label(explore::KernelPreset preset) {
  switch (preset) {
    case explore::KernelPreset::Sharpen:
      return tr("Sharpen");
    case explore::KernelPreset::SobelX:
      return tr("Sobel x (vertical edges)");
    case explore::KernelPreset::SobelY:
      return tr("Sobel y (horizontal edges)");
    case explore::KernelPreset::Laplacian:
      return tr("Laplacian");
    default:
      return kernel_preset_label(preset);
  }
}
// The shortest: the name alone.
const char* kernel_preset_shortest_label(explore::KernelPreset preset) {
  switch (preset) {
    case explore::KernelPreset::SobelX:
      return "Sobel x";
    case explore::KernelPreset::SobelY:
      return "Sobel y";
    case explore::KernelPreset::Gaussian:
      return tr("Gaussian");
    case explore::KernelPreset::Box:
      return trc("kernel", "Box");
    default:
      return kernel_preset_short_label(preset);
  }
}

Result<bool> parse_on_off(const std::string& key, const std::string& value) {
  if (value == "on" || value == "1" || value == "true") return true;
  if (value == "off" || value == "0" || value == "false") return false;
  return Error{
      format(tr("panel '%s': %s='%s' is not valid; use on or off"), "conv", key.c_str(), value.c_str())};
}

Result<InputCellRef> parse_hover(const std::string& value) {
  int c = 0, y = 0, x = 0;
  char tail = 0;
  if (std::sscanf(value.c_str(), "%d,%d,%d%c", &c, &y, &x, &tail) != 3 || c < 1 || y < 1 || x < 1)
    return Error{
        format(tr("panel 'conv': hover='%s' is not valid; use CHANNEL,ROW,COLUMN counted from 1 (for "
                  "example hover=1,2,3)"),
               value.c_str())};
  return InputCellRef{c - 1, y - 1, x - 1};
}

}  // namespace

ConvPanel::ConvPanel()
    : Panel("conv", tr_noop("Convolution")),
      exporter_(ExportSource{
          "conv", [this] { return explorer_.step_count(); }, [this] { return explorer_.step_index(); },
          [this](int step) { explorer_.set_step(step); }, [this] { explorer_.pause(); },
          [this](ExportKind kind) -> Result<std::string> {
            if (!explorer_.has_output()) return Error{explorer_.reason()};
            const Tensor input = explorer_.input_tensor();
            if (explorer_.pooling()) {  // the same files as `convlab trace maxpool|avgpool`
              if (kind == ExportKind::Csv) return explore::pool_trace_to_csv(explorer_.pool_trace());
              return explore::pool_trace_json(explorer_.pool_trace(), {&input});
            }
            if (kind == ExportKind::Csv) return explore::trace_to_csv(explorer_.trace());
            const Tensor weight = explorer_.weight_tensor(), bias = explorer_.bias_tensor();
            return explore::conv_trace_json(explorer_.trace(), {&input, &weight, &bias});
          }}) {
  samples_ = bundled_sample_photos();
  layer_.source().set_limits(false, 16, explore::kMaxInputChannels);
}

// ---- settings ---------------------------------------------------------------

Status ConvPanel::apply_setting(const std::string& key, const std::string& value) {
  if (exporter_.takes_key(key)) {
    Status requested = exporter_.request(key, value);
    return requested.ok() ? requested
                          : Error{format(tr("panel '%s': %s"), "conv", requested.message().c_str())};
  }
  if (layer_.takes_key(key)) return layer_.apply(key, value);
  if (key == "photo") {
    std::string path = value;
    for (const std::string& sample : samples_)
      if (fs::path(sample).stem() == value || fs::path(sample).filename() == value) path = sample;
    Status used = use_photo(path);
    if (!used.ok()) return Error{format(tr("panel '%s': %s: %s"), "conv", "photo", used.message().c_str())};
    return {};
  }
  if (key == "loop") {
    auto on = parse_on_off(key, value);
    if (!on.ok()) return on.error();
    loop_ = on.value();
    return {};
  }
  if (key == "play") {
    auto on = parse_on_off(key, value);
    if (!on.ok()) return on.error();
    if (on.value())
      explorer_.play();
    else
      explorer_.pause();
    return {};
  }
  if (key == "hover") {
    auto cell = parse_hover(value);
    if (!cell.ok()) return cell.error();
    const auto& s = explorer_.settings();
    if (cell->channel >= s.in_channels || cell->y >= s.input_h || cell->x >= s.input_w)
      return Error{format(tr("panel 'conv': hover=%s is outside the input (%d channel(s) of %dx%d)"),
                          value.c_str(), s.in_channels, s.input_h, s.input_w)};
    pinned_hover_ = cell.value();
    return {};
  }
  return with_panel_keys("conv", explore::apply_setting(explorer_, key, value), key, explore::setting_keys(),
                         "photo, loop, play, hover, export_png, export_gif, export_csv, export_json, source, "
                         "image, category, working_size, filter, channel");
}

void ConvPanel::draw_layer_section(PanelContext& context) {
  LayerCellView cell;
  if (const ConvStep* step = explorer_.current_step()) cell = {true, step->out_y, step->out_x, step->result};
  if (const PoolStep* step = explorer_.current_pool_step())
    cell = {true, step->out_y, step->out_x, step->result};
  // What the sliders, as they are now, would make of the whole layer.
  const auto& s = explorer_.settings();
  layer_.draw(context, cell, [&](Size2d full) {
    const Size2d kernel{s.kernel_h, s.kernel_w};
    if (explorer_.pooling()) return pool2d_output_size(full, kernel, explorer_.pool_options().params);
    return conv2d_output_size(full, kernel, explorer_.geometry().params);
  });
}

Status ConvPanel::use_photo(const std::string& path) {
  auto image = load_image(path);
  if (!image.ok()) return image.error();
  const auto& s = explorer_.settings();
  auto small = resize_image(center_crop_to_aspect(image.value(), s.input_w, s.input_h), s.input_w, s.input_h);
  if (!small.ok()) return small.error();
  CONVLAB_TRY(explorer_.set_input_from_photo(small.value(), explore::CropRect{0, 0, s.input_w, s.input_h},
                                             explore::LumaRange::Byte));
  photo_path_ = path;
  return {};
}

bool ConvPanel::on_file_dropped(const std::string& path) {
  Status used = use_photo(path);
  pending_status_.set(used,
                      format(tr("Input: gray values of %s"), fs::path(path).filename().string().c_str()));
  return true;
}

std::vector<std::string> ConvPanel::control_ids() const {
  return {"step", "layer", "input", "operation", "kernel", "padding", "stride", "dilation", "export"};
}

std::string ConvPanel::state_text() const {
  // A layer source is written as its request: the values come from the model.
  // A pool over the layer's slice says so after it (a layer loads as a convolution).
  if (layer_.source().active()) return layer_.source().state_text() + explore::describe_operation(explorer_);
  return explore::describe_state(explorer_);
}

bool ConvPanel::on_step(StepKey key) {
  if (exporter_.recording()) return false;  // recording owns the step
  return apply_step_key(explorer_, key);
}

void ConvPanel::report(PanelContext& context, const Status& status, const std::string& success) {
  if (context.status == nullptr) return;
  if (!status.ok())
    context.status->error(status.message());
  else if (!success.empty())
    context.status->info(success);
}

// ---- frame ------------------------------------------------------------------

void ConvPanel::draw(PanelContext& context) {
  pending_status_.show(context.status);
  const bool record_this_frame = exporter_.begin_frame();
  if (!exporter_.recording()) advance_playback(explorer_, loop_);

  // Narrower on a small window at a big scale, so the picture keeps room.
  const float unit = ImGui::GetFontSize();
  const float controls_width =
      std::clamp(0.3f * ImGui::GetContentRegionAvail().x, 11.5f * unit, 21.0f * unit);
  // A column beside the picture; in presenter mode a drawer (controls_drawer.h).
  controls_drawer_.column("conv controls", controls_width, context, [&] {
    ImGui::BeginDisabled(exporter_.recording());
    draw_controls(context);
    ImGui::EndDisabled();
  });
  ImGui::BeginChild("conv canvas", ImVec2(0, 0), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  const std::optional<InputCellRef> highlight = hover_ ? hover_ : pinned_hover_;
  const ConvCanvasEvents events = draw_conv_canvas(explorer_, highlight, context);
  ImGui::EndChild();
  hover_ = events.hovered_input;
  if (!exporter_.recording()) handle_canvas(events, context);
  draw_edit_popup(context);
  exporter_.end_frame(events.min, events.max, record_this_frame, context);
}

void ConvPanel::handle_canvas(const ConvCanvasEvents& events, PanelContext& context) {
  if (events.clicked_output) {
    explorer_.pause();
    report(context, explorer_.jump_to_cell(events.clicked_output->channel, events.clicked_output->y,
                                           events.clicked_output->x));
  }
  if (events.clicked_input) {
    edit_target_ = EditTarget::Input;
    edit_input_ = *events.clicked_input;
    edit_value_ = explorer_.input_value(edit_input_.channel, edit_input_.y, edit_input_.x);
    open_edit_popup_ = true;
  }
  if (events.clicked_weight) {
    edit_target_ = EditTarget::Weight;
    edit_weight_ = *events.clicked_weight;
    edit_value_ =
        explorer_.weight(edit_weight_.filter, edit_weight_.channel, edit_weight_.ky, edit_weight_.kx);
    open_edit_popup_ = true;
  }
}

void ConvPanel::draw_edit_popup(PanelContext& context) {
  if (open_edit_popup_) {
    ImGui::OpenPopup("Edit value");
    open_edit_popup_ = false;
  }
  if (!ImGui::BeginPopup("Edit value")) return;
  switch (edit_target_) {
    case EditTarget::Input:
      ImGui::Text(tr("Input channel %d, row %d, column %d"), edit_input_.channel + 1, edit_input_.y + 1,
                  edit_input_.x + 1);
      break;
    case EditTarget::Weight:
      ImGui::Text(tr("Filter %d, channel %d, weight row %d, column %d"), edit_weight_.filter + 1,
                  edit_weight_.channel + 1, edit_weight_.ky + 1, edit_weight_.kx + 1);
      break;
    case EditTarget::Bias:
      ImGui::TextUnformatted(tr("Bias"));
      break;
    case EditTarget::None:
      break;
  }
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(10.0f * ImGui::GetFontSize());
  const bool entered =
      ImGui::InputFloat("##value", &edit_value_, 1.0f, 10.0f, "%g", ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  const bool set = ImGui::Button(trc("button", "Set")) || entered;
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel"))) ImGui::CloseCurrentPopup();
  if (set) {
    Status done;
    if (edit_target_ == EditTarget::Input)
      done = explorer_.set_input_value(edit_input_.channel, edit_input_.y, edit_input_.x, edit_value_);
    else if (edit_target_ == EditTarget::Weight)
      done = explorer_.set_weight(edit_weight_.filter, edit_weight_.channel, edit_weight_.ky, edit_weight_.kx,
                                  edit_value_);
    report(context, done);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// ---- controls -----------------------------------------------------------------

void ConvPanel::draw_controls(PanelContext& context) {
  ImGui::PushItemWidth(-FLT_MIN);
  gated(context, "step", [&] { draw_step_controls(); });
  gated(context, "layer", [&] { draw_layer_section(context); });
  gated(context, "input", [&] { draw_input_controls(context); });
  gated(context, "operation", [&] { draw_operation_controls(context); });
  gated(context, "kernel", [&] {
    if (explorer_.pooling())
      draw_window_controls(context);
    else
      draw_filter_controls(context);
  });
  if (control_shown(context, "padding") || control_shown(context, "stride") ||
      control_shown(context, "dilation")) {
    ImGui::Spacing();
    ImGui::Separator();
  }
  gated(context, "padding", [&] { draw_padding_controls(); });
  gated(context, "stride", [&] { draw_stride_controls(); });
  gated(context, "dilation", [&] { draw_dilation_controls(); });
  gated(context, "export", [&] { draw_export_controls(context); });
  ImGui::PopItemWidth();
}

void ConvPanel::draw_input_controls(PanelContext& context) {
  section(context, trc("section", "Input"));
  const auto& s = explorer_.settings();
  int size[2] = {s.input_h, s.input_w};
  control_label(tr("Rows × columns"));
  if (ImGui::SliderInt2("##input size", size, 1, explore::kMaxInputSide)) {
    Status resized = explorer_.set_input_size(size[0], size[1]);
    // A photo input follows the size: the new grid shows the same photo.
    if (resized.ok() && !photo_path_.empty() && !s.input_preset) resized = use_photo(photo_path_);
    report(context, resized);
  }
  int channels = s.in_channels;
  control_label(tr("Channels"));
  help_marker(
      tr("Each filter has one kernel per input channel and adds all their products into one output "
         "value. ECNN's first layer takes 1 + 10 channels: the L channel and the category embedding."));
  if (ImGui::SliderInt("##channels", &channels, 1, explore::kMaxInputChannels))
    report(context, explorer_.set_in_channels(channels));

  const char* current =
      s.input_preset
          ? combo_preview({input_preset_label(*s.input_preset), input_preset_short_label(*s.input_preset)})
          : combo_preview({tr("Edited / photo"), trc("values", "Edited")});
  control_label(tr("Values"));
  if (ImGui::BeginCombo("##input preset", current)) {
    for (explore::InputPreset preset : kInputPresets)
      if (ImGui::Selectable(input_preset_label(preset), s.input_preset == preset)) {
        explorer_.apply_input_preset(preset);
        photo_path_.clear();
      }
    ImGui::EndCombo();
  }
  if (!samples_.empty()) {
    control_label(tr("Photo (gray values 0–255)"));
    help_marker(
        tr("The photo is cropped to the grid's shape and shrunk to one pixel per cell. Drop any image "
           "file on the window to use it instead."));
    // "animals_chelsea_cat.jpg" reads "chelsea cat": the category prefix
    // and the underscores are for the file system, not for people.
    const auto photo_name = [](const std::string& path) {
      std::string stem = fs::path(path).stem().string();
      if (const size_t cut = stem.find('_'); cut != std::string::npos && cut + 1 < stem.size())
        stem = stem.substr(cut + 1);
      std::replace(stem.begin(), stem.end(), '_', ' ');
      return stem;
    };
    const std::string name = photo_name(samples_[static_cast<size_t>(sample_index_)]);
    ImGui::SetNextItemWidth(-5.0f * ImGui::GetFontSize());
    const ContentText file_names;
    if (ImGui::BeginCombo("##photo", name.c_str())) {
      for (size_t i = 0; i < samples_.size(); ++i)
        if (ImGui::Selectable(photo_name(samples_[i]).c_str(), static_cast<int>(i) == sample_index_))
          sample_index_ = static_cast<int>(i);
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Button(trc("button", "Use"), ImVec2(-FLT_MIN, 0)))
      report(context, use_photo(samples_[static_cast<size_t>(sample_index_)]));
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  control_label(tr("Click a cell to edit its value."));
  ImGui::PopStyleColor();
}

void ConvPanel::draw_filter_controls(PanelContext& context) {
  section(context, trc("section", "Filters"));
  const auto& s = explorer_.settings();
  int filters = s.out_channels;
  control_label(tr("Filters (output channels)"));
  if (ImGui::SliderInt("##filters", &filters, 1, explore::kMaxFilters))
    report(context, explorer_.set_out_channels(filters));
  int size[2] = {s.kernel_h, s.kernel_w};
  control_label(tr("Kernel rows × columns"));
  if (ImGui::SliderInt2("##kernel size", size, 1, explore::kMaxKernelSide))
    report(context, explorer_.set_kernel_size(size[0], size[1]));
  control_label(trc("label", "Kernel"));
  const char* current =
      s.kernel_preset
          ? combo_preview({kernel_preset_label(*s.kernel_preset), kernel_preset_short_label(*s.kernel_preset),
                           kernel_preset_shortest_label(*s.kernel_preset)})
          : trc("values", "Edited");
  if (ImGui::BeginCombo("##kernel preset", current)) {
    for (explore::KernelPreset preset : kKernelPresets) {
      const bool fits = explore::kernel_preset_fits(preset, s.kernel_h, s.kernel_w).ok();
      if (ImGui::Selectable(kernel_preset_label(preset), s.kernel_preset == preset,
                            fits ? 0 : ImGuiSelectableFlags_Disabled))
        report(context, explorer_.apply_kernel_preset(preset));
    }
    ImGui::EndCombo();
  }
  const ConvStep* step = explorer_.current_step();
  const int filter = step != nullptr ? step->out_channel : 0;
  float bias = explorer_.bias(filter);
  control_label(format(tr("Bias of filter %d"), filter + 1).c_str());
  if (ImGui::InputFloat("##bias", &bias, 1.0f, 10.0f, "%g"))
    report(context, explorer_.set_bias(filter, bias));
  if (fitting_button("new random", ImVec2(-FLT_MIN, 0), {tr("New random values"), tr("New values")}))
    explorer_.set_seed(s.seed + 1);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("Draws new random integers for the presets that are random."));
}

void ConvPanel::draw_operation_controls(PanelContext& context) {
  section(context, trc("section", "Operation"));
  const char* help =
      tr("The same sliding window, padding, stride and dilation: a convolution multiplies the window by a "
         "kernel and adds up; a max pool keeps the window's largest value; an average pool its mean. A "
         "pool has no weights and pools each channel on its own.");
  const std::array<std::pair<const char*, explore::ConvOperation>, 3> operations = {
      {{tr("Convolution"), explore::ConvOperation::Convolution},
       {tr("Max pool"), explore::ConvOperation::MaxPool},
       {tr("Average pool"), explore::ConvOperation::AveragePool}}};
  // One row when the three fit, else one under the other.
  float row = -ImGui::GetStyle().ItemSpacing.x;
  for (const auto& operation : operations)
    row += toggle_width(operation.first) + ImGui::GetStyle().ItemSpacing.x;
  const bool one_row = row <= ImGui::GetContentRegionAvail().x;
  for (size_t i = 0; i < operations.size(); ++i) {
    if (i > 0 && one_row) ImGui::SameLine();
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::RadioButton(operations[i].first, explorer_.settings().operation == operations[i].second)) {
      explorer_.set_operation(operations[i].second);
      explorer_.to_start();
    }
    ImGui::PopID();
  }
  help_marker(help);  // beside the last choice
}

void ConvPanel::draw_window_controls(PanelContext& context) {
  section(context, trc("section", "Window"));
  const auto& s = explorer_.settings();
  int size[2] = {s.kernel_h, s.kernel_w};
  control_label(tr("Window rows × columns"));
  if (ImGui::SliderInt2("##window size", size, 1, explore::kMaxKernelSide))
    report(context, explorer_.set_kernel_size(size[0], size[1]));
  if (s.operation == explore::ConvOperation::AveragePool) {
    bool counts = s.count_include_pad;
    if (wrapped_checkbox(tr("Padding counts in the average"), "count_include_pad", &counts))
      explorer_.set_count_include_pad(counts);
    help_marker(
        tr("PyTorch's count_include_pad: on (its default), the padding's zeros are in the divisor, so a "
           "border window's average is pulled toward 0; off, only the input cells are counted."));
  }
  bool ceil_mode = s.ceil_mode;
  if (wrapped_checkbox(tr("Ceil mode"), "ceil_mode", &ceil_mode)) explorer_.set_ceil_mode(ceil_mode);
  help_marker(
      tr("PyTorch's ceil_mode: the output size rounds up, keeping a last window that only partly covers "
         "the input, as long as it starts inside the input or its top/left padding."));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  control_label(tr("No weights: each channel is pooled on its own."));
  ImGui::PopStyleColor();
}

void ConvPanel::draw_padding_controls() {
  const auto& s = explorer_.settings();
  control_label(trc("label", "Padding"));
  help_marker(
      tr("valid: no padding. same: output as big as the input at stride 1 (ceil(input/stride) "
         "otherwise); an even kernel puts the extra row/column at the bottom/right, as PyTorch does. "
         "full: every cell the kernel can touch. custom: choose each side."));
  // The radio buttons say the presets in the UI language; --set keeps the
  // English names (padding_preset_name).
  const std::array<std::pair<const char*, PaddingPreset>, 4> presets = {
      {{trc("padding preset", "valid"), PaddingPreset::Valid},
       {trc("padding preset", "same"), PaddingPreset::Same},
       {trc("padding preset", "full"), PaddingPreset::Full},
       {trc("padding preset", "custom"), PaddingPreset::Custom}}};
  // One row when the four fit, else two rows of two in columns, else one
  // under the other.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  float row = -spacing;
  for (const auto& preset : presets) row += toggle_width(preset.first) + spacing;
  const float first_column = std::max(toggle_width(presets[0].first), toggle_width(presets[2].first));
  const float second_column = std::max(toggle_width(presets[1].first), toggle_width(presets[3].first));
  const int per_row = row <= avail ? 4 : first_column + 1.5f * spacing + second_column <= avail ? 2 : 1;
  const float second_x = ImGui::GetCursorPosX() + first_column + 1.5f * spacing;
  for (size_t i = 0; i < presets.size(); ++i) {
    if (i > 0 && per_row == 4) ImGui::SameLine();
    if (per_row == 2 && i % 2 == 1) ImGui::SameLine(second_x);
    if (ImGui::RadioButton(presets[i].first, s.padding_preset == presets[i].second)) {
      if (presets[i].second == PaddingPreset::Custom) {
        // Start custom from what is on screen, so the grid does not jump.
        (void)explorer_.set_custom_padding(explorer_.geometry().padding);
      } else {
        explorer_.set_padding_preset(presets[i].second);
      }
    }
  }
  if (s.padding_preset == PaddingPreset::Custom) {
    int sides[4] = {s.custom_padding.top, s.custom_padding.bottom, s.custom_padding.left,
                    s.custom_padding.right};
    control_label(tr("Top, bottom, left, right"));
    if (ImGui::SliderInt4("##custom padding", sides, 0, explore::kMaxCustomPadding))
      (void)explorer_.set_custom_padding(Padding2d{sides[0], sides[1], sides[2], sides[3]});
  }
}

void ConvPanel::draw_stride_controls() {
  const auto& s = explorer_.settings();
  int stride[2] = {s.stride_h, s.stride_w};
  control_label(tr("Stride (rows, columns)"));
  if (ImGui::SliderInt2("##stride", stride, 1, explore::kMaxStride))
    (void)explorer_.set_stride(stride[0], stride[1]);
}

void ConvPanel::draw_dilation_controls() {
  const auto& s = explorer_.settings();
  int dilation[2] = {s.dilation_h, s.dilation_w};
  control_label(tr("Dilation (rows, columns)"));
  if (ImGui::SliderInt2("##dilation", dilation, 1, explore::kMaxDilation))
    (void)explorer_.set_dilation(dilation[0], dilation[1]);
}

void ConvPanel::draw_step_controls() { draw_step_bar(*this, explorer_, loop_, explore::kMaxStepsPerSecond); }

void ConvPanel::draw_export_controls(PanelContext& context) {
  section(context, trc("section", "Export"));
  exporter_.draw_controls(context);
}

}  // namespace convlab::app
