#include "app/conv_canvas.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "app/space_wrap.h"
#include "core/base/i18n.h"
#include "core/explore/colormap.h"
#include "core/explore/step_text.h"

namespace convlab::app {

namespace {

using explore::ConvExplorer;

// One column of equal grids: the input channels, the filter's kernels or the
// outputs.
struct Block {
  int count = 0, rows = 0, cols = 0;
  int columns = 1;     // grids side by side
  float own_cell = 0;  // > 0: this block keeps its own cell size (kernels stay readable next to a big input)
  float cell_or(float shared) const { return own_cell > 0 ? own_cell : shared; }
  float width(float cell, float gap) const {
    return static_cast<float>(columns * cols) * cell + static_cast<float>(columns - 1) * gap;
  }
  int grid_rows() const { return (count + columns - 1) / columns; }
  ImVec2 origin(int k, ImVec2 block_origin, float cell, float gap, float label) const {
    const int col = k % columns, row = k / columns;
    return {
        block_origin.x + static_cast<float>(col) * (static_cast<float>(cols) * cell + gap),
        block_origin.y + static_cast<float>(row) * (label + static_cast<float>(rows) * cell + gap) + label};
  }
};

// One cell size for every block, so a kernel lies over the input exactly as
// big as it is drawn, and the largest that fits: every way of arranging each
// block's grids (side by side or stacked) is tried.
float fit_blocks(std::vector<Block>& blocks, ImVec2 box, float gap, float block_gap, float label,
                 float max_cell) {
  float best = 0;
  std::vector<int> choice(blocks.size(), 1), best_choice(blocks.size(), 1);
  const auto evaluate = [&]() {
    float total_cols = 0, fixed = block_gap * static_cast<float>(blocks.size() - 1);
    float cell = max_cell;
    for (size_t b = 0; b < blocks.size(); ++b) {
      const Block& block = blocks[b];
      const int columns = choice[b];
      if (block.own_cell > 0) {  // its width is fixed; it does not limit the shared cell
        fixed +=
            static_cast<float>(columns * block.cols) * block.own_cell + static_cast<float>(columns - 1) * gap;
        continue;
      }
      const int grid_rows = (block.count + columns - 1) / columns;
      total_cols += static_cast<float>(columns * block.cols);
      fixed += static_cast<float>(columns - 1) * gap;
      const float by_height = (box.y - static_cast<float>(grid_rows) * (label + gap)) /
                              static_cast<float>(grid_rows * block.rows);
      cell = std::min(cell, by_height);
    }
    if (total_cols > 0) cell = std::min(cell, (box.x - fixed) / total_cols);
    if (cell > best) {
      best = cell;
      best_choice = choice;
    }
  };
  // Odometer over the column counts (at most 4 x 3 x 4 cases).
  while (true) {
    evaluate();
    size_t b = 0;
    while (b < blocks.size() && ++choice[b] > blocks[b].count) choice[b++] = 1;
    if (b == blocks.size()) break;
  }
  for (size_t b = 0; b < blocks.size(); ++b) blocks[b].columns = best_choice[b];
  return std::max(0.0f, std::floor(best));
}

ImU32 with_alpha(ImU32 color, int alpha) {
  return (color & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

std::string int_pair(int a, int b) { return std::to_string(a) + "×" + std::to_string(b); }

void draw_header(const ConvExplorer& e, const PanelContext& context) {
  const explore::ExploreSettings& s = e.settings();
  const explore::ExploreGeometry& g = e.geometry();
  ImGui::PushFont(context.heading_font);
  ImGui::PushTextWrapPos(0.0f);
  // Short enough for one line at a projector's scale; counts only when
  // there are several channels or filters. Each term is one phrase of its
  // own (the sizes put in), so a translation can order its words.
  const std::string input_size =
      int_pair(s.input_h, s.input_w) + (s.in_channels > 1 ? "×" + std::to_string(s.in_channels) : "");
  const std::string kernel_size =
      (s.out_channels > 1 ? std::to_string(s.out_channels) + " × " : "") + int_pair(s.kernel_h, s.kernel_w);
  const int outputs = e.output_channels();
  const std::string output_size =
      int_pair(g.output.h, g.output.w) + (outputs > 1 ? "×" + std::to_string(outputs) : "");
  const std::string outcome = g.valid ? format(tr("%s output"), output_size.c_str()) : tr("no output");
  const std::string window = int_pair(s.kernel_h, s.kernel_w);
  std::string title;
  if (e.pooling()) {
    // The sizes alone where the words do not fit on one line.
    const bool max = s.operation == explore::ConvOperation::MaxPool;
    title = format(max ? tr("%s input  →  %s max pool  =  %s") : tr("%s input  →  %s average pool  =  %s"),
                   input_size.c_str(), window.c_str(), outcome.c_str());
    if (ImGui::CalcTextSize(title.c_str()).x > ImGui::GetContentRegionAvail().x)
      title = format(max ? tr("%s  →  %s max pool  =  %s") : tr("%s  →  %s average pool  =  %s"),
                     input_size.c_str(), window.c_str(), g.valid ? output_size.c_str() : tr("no output"));
  } else
    title =
        format(tr("%s input  ∗  %s kernel  =  %s"), input_size.c_str(), kernel_size.c_str(), outcome.c_str());
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  if (!g.formula.empty()) {
    // Wrapped: at a projector's scale the whole formula is wider than the picture.
    ImGui::PushFont(context.mono_font);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(g.formula.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
  }
  const GridPalette palette = grid_palette(context.theme);
  if (s.dilation_h > 1 || s.dilation_w > 1) {
    const int field_h = s.dilation_h * (s.kernel_h - 1) + 1, field_w = s.dilation_w * (s.kernel_w - 1) + 1;
    const std::string dilation = int_pair(s.dilation_h, s.dilation_w),
                      kernel = int_pair(s.kernel_h, s.kernel_w), field = int_pair(field_h, field_w);
    const std::string note =
        e.pooling()
            ? format(tr("Dilation %s: the %s window spans %s input cells but looks at only %d of them."),
                     dilation.c_str(), kernel.c_str(), field.c_str(), s.kernel_h * s.kernel_w)
            : format(tr("Dilation %s: the %s kernel covers %s input cells with only %d weights (a dense %s "
                        "kernel would need %d)."),
                     dilation.c_str(), kernel.c_str(), field.c_str(), s.kernel_h * s.kernel_w, field.c_str(),
                     field_h * field_w);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette.muted));
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }
  if (!g.valid) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette.focus));
    ImGui::TextWrapped(tr("No output: %s"), g.reason.c_str());
    ImGui::PopStyleColor();
  }
}

// Where the step is: which output cell it computes (the output's number
// only when there are several).
std::string step_line(const ConvExplorer& e) {
  if (const PoolStep* pool = e.current_pool_step()) {
    if (e.output_channels() > 1)
      return format(tr("Step %d of %d   ·   channel %d, row %d, column %d"), e.step_index() + 1,
                    e.step_count(), pool->channel + 1, pool->out_y + 1, pool->out_x + 1);
    return format(tr("Step %d of %d   ·   row %d, column %d"), e.step_index() + 1, e.step_count(),
                  pool->out_y + 1, pool->out_x + 1);
  }
  const ConvStep* step = e.current_step();
  if (step == nullptr) return {};
  if (e.settings().out_channels > 1)
    return format(tr("Step %d of %d   ·   output %d, row %d, column %d"), e.step_index() + 1, e.step_count(),
                  step->out_channel + 1, step->out_y + 1, step->out_x + 1);
  return format(tr("Step %d of %d   ·   row %d, column %d"), e.step_index() + 1, e.step_count(),
                step->out_y + 1, step->out_x + 1);
}

// With several input channels: what the filter adds up.
std::string channels_line(const ConvExplorer& e) {
  const ConvStep* step = e.current_step();
  const explore::ExploreSettings& s = e.settings();
  if (step == nullptr || s.in_channels <= 1) return {};
  return format(tr("Filter %d adds up all %d input channels: %d × %d×%d = %d products, plus its bias."),
                step->out_channel + 1, s.in_channels, s.in_channels, s.kernel_h, s.kernel_w,
                s.in_channels * s.kernel_h * s.kernel_w);
}

void draw_arithmetic(const ConvExplorer& e, const PanelContext& context) {
  if (e.step_count() == 0) return;
  const GridPalette palette = grid_palette(context.theme);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette.focus));
  ImGui::TextWrapped("%s", step_line(e).c_str());
  ImGui::PopStyleColor();
  if (const std::string channels = channels_line(e); !channels.empty())
    ImGui::TextWrapped("%s", channels.c_str());
  ImGui::BeginChild("arithmetic", ImVec2(0, 0), false);
  ImGui::PushFont(context.mono_large_font);
  ImGui::TextUnformatted(wrap_at_spaces(ImGui::GetFont(), ImGui::GetFontSize(),
                                        i18n::display_text(e.current_arithmetic(6)),
                                        ImGui::GetContentRegionAvail().x)
                             .c_str());
  ImGui::PopFont();
  // A pool's note (what the padding does) under its sum: where room is
  // short it scrolls with the sum rather than shrink the picture.
  if (const std::string note = e.current_note(); !note.empty()) ImGui::TextWrapped("%s", note.c_str());
  ImGui::EndChild();
}

// The room draw_arithmetic needs at this width: the step's sum wraps over
// more lines for bigger kernels. At most a third of the canvas; the rest scrolls.
float arithmetic_height(const ConvExplorer& e, const PanelContext& context, ImVec2 avail) {
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  // The lines over the sum wrap at a big scale in a narrow canvas; they
  // stay whole, the sum under them scrolls.
  const auto wrapped = [&](const std::string& text) {
    return text.empty() ? 0.0f : ImGui::CalcTextSize(text.c_str(), nullptr, false, avail.x).y + spacing;
  };
  const float lines = wrapped(step_line(e)) + wrapped(channels_line(e));
  float sum = 0.5f * ImGui::GetTextLineHeightWithSpacing();
  if (context.mono_large_font != nullptr && e.step_count() > 0) {
    ImFont* mono = context.mono_large_font;
    const std::string text =
        wrap_at_spaces(mono, mono->FontSize, i18n::display_text(e.current_arithmetic(6)), avail.x);
    sum += mono->CalcTextSizeA(mono->FontSize, FLT_MAX, 0.0f, text.c_str()).y;
  }
  if (const std::string note = e.current_note(); !note.empty()) sum += wrapped(note);
  return lines +
         std::min(sum, std::max(0.33f * avail.y - lines, 2.0f * ImGui::GetTextLineHeightWithSpacing()));
}

// One tap of the current step, where it is drawn on the padded input.
struct TapMark {
  enum Kind { Used, Chosen, LeftOut };  // LeftOut: a max pool's padding, an average's uncounted cell
  int channel = 0, padded_y = 0, padded_x = 0;
  Kind kind = Used;
};

std::vector<TapMark> tap_marks(const ConvExplorer& e, int padded_h, int padded_w) {
  std::vector<TapMark> marks;
  if (const ConvStep* step = e.current_step())
    for (const ConvTap& tap : step->taps)
      marks.push_back({tap.channel, tap.padded_y, tap.padded_x, TapMark::Used});
  if (const PoolStep* step = e.current_pool_step()) {
    const bool max = e.settings().operation == explore::ConvOperation::MaxPool;
    for (size_t t = 0; t < step->taps.size(); ++t) {
      const PoolTap& tap = step->taps[t];
      if (tap.padded_y >= padded_h || tap.padded_x >= padded_w) continue;  // past the padded input
      TapMark::Kind kind = TapMark::Used;
      if (max && static_cast<int>(t) == step->chosen)
        kind = TapMark::Chosen;
      else if (max ? tap.on_padding : !tap.counted)
        kind = TapMark::LeftOut;
      marks.push_back({step->channel, tap.padded_y, tap.padded_x, kind});
    }
  }
  return marks;
}

}  // namespace

ConvCanvasEvents draw_conv_canvas(const ConvExplorer& e, std::optional<InputCellRef> highlight,
                                  const PanelContext& context) {
  ConvCanvasEvents events;
  events.min = ImGui::GetCursorScreenPos();
  const GridPalette palette = grid_palette(context.theme);
  const explore::ExploreSettings& s = e.settings();
  const explore::ExploreGeometry& g = e.geometry();
  const float font = ImGui::GetFontSize();

  draw_header(e, context);

  // ---- layout -------------------------------------------------------------
  const Padding2d pad = g.padding;
  const int padded_h = s.input_h + pad.top + pad.bottom, padded_w = s.input_w + pad.left + pad.right;
  // A pool has no kernel: the input and the outputs only.
  const bool pool = e.pooling();
  const bool has_output = g.valid && e.step_count() > 0;
  const int out_channels = e.output_channels();
  std::vector<Block> blocks = {{s.in_channels, padded_h, padded_w}};
  if (!pool) blocks.push_back({s.in_channels, s.kernel_h, s.kernel_w});
  const size_t output_block = blocks.size();
  if (has_output) blocks.push_back({out_channels, g.output.h, g.output.w});
  const float label = ImGui::GetTextLineHeightWithSpacing();
  const float gap = 0.8f * font, block_gap = 2.6f * font;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 box(avail.x, std::max(avail.y - arithmetic_height(e, context, avail), 6.0f * font));
  float cell = fit_blocks(blocks, box, gap, block_gap, label, 4.5f * font);
  // Small input cells (a 32x32 input) would shrink the kernels to specks:
  // the kernels then keep a readable size of their own, stacked.
  const float readable = 1.6f * font;
  if (!pool && cell < readable) {
    Block& kernels = blocks[1];
    kernels.own_cell =
        std::floor(std::min(readable, (box.y - static_cast<float>(kernels.count) * (label + gap)) /
                                          static_cast<float>(kernels.count * kernels.rows)));
    if (kernels.own_cell > cell) {
      cell = fit_blocks(blocks, box, gap, block_gap, label, 4.5f * font);
      kernels.columns = 1;
    } else {
      kernels.own_cell = 0;
    }
  }

  // Blocks left to right; spare width widens the gaps a little (the eye
  // follows the links more easily when the blocks are not crammed left).
  float used = 0;
  for (const Block& block : blocks) used += block.width(block.cell_or(cell), gap);
  const float spare = box.x - used - block_gap * static_cast<float>(blocks.size() - 1);
  const float between = block_gap + std::clamp(spare / static_cast<float>(blocks.size()), 0.0f, 3.0f * font);
  const ImVec2 top = ImGui::GetCursorScreenPos();
  std::array<ImVec2, 4> block_origin{};  // one spare: the compiler cannot see blocks.size() <= 3
  float x = top.x;
  for (size_t b = 0; b < blocks.size(); ++b) {
    block_origin[b] = ImVec2(x, top.y);
    x += blocks[b].width(blocks[b].cell_or(cell), gap) + between;
  }

  // A caption may run past its grid up to the next grid or block.
  const auto caption_width = [&](size_t block, const GridPlacement& grid) {
    // Never past the canvas's right edge.
    const float edge = top.x + box.x - grid.origin.x;
    if (blocks[block].count > 1 && blocks[block].columns > 1)
      return std::min(grid.size().x + 0.8f * gap, edge);
    const float limit = block + 1 < blocks.size() ? block_origin[block + 1].x : top.x + box.x;
    return std::max(grid.size().x, limit - grid.origin.x - 0.5f * font);
  };
  // The longest of the wordings that fits.
  const auto fitting = fitting_caption;

  ImGui::InvisibleButton("##grids", box);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const ImVec2 mouse = ImGui::GetMousePos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const CellText text{context.mono_large_font,
                      context.mono_large_font != nullptr ? context.mono_large_font->FontSize : font,
                      0.45f * font};
  const float focus_thickness = std::max(2.0f, std::round(cell * 0.08f));

  const ConvStep* step = e.current_step();
  const PoolStep* pool_step = e.current_pool_step();
  const bool max_pool = s.operation == explore::ConvOperation::MaxPool;
  const int current_filter = step != nullptr        ? step->out_channel
                             : pool_step != nullptr ? pool_step->channel
                                                    : 0;

  begin_crisp_lines(draw);  // until the diagonal links of the current step
  // ---- input: one padded grid per channel ----------------------------------
  const float input_max = explore::grid_max_abs(s.input);
  std::vector<GridPlacement> inputs;
  for (int c = 0; c < s.in_channels; ++c) {
    GridPlacement grid{blocks[0].origin(c, block_origin[0], cell, gap, label), cell, padded_h, padded_w};
    inputs.push_back(grid);
    const std::string name =
        s.in_channels > 1 ? format(tr("Input ch %d"), c + 1) : std::string(trc("grid caption", "Input"));
    // Over a small grid, the channel's number alone.
    const std::string shorter = s.in_channels > 1 ? format(tr("ch %d"), c + 1) : name;
    const std::string shortest = s.in_channels > 1 ? std::to_string(c + 1) : name;
    const bool padded = pad.top + pad.bottom + pad.left + pad.right > 0;
    const std::string caption =
        padded ? fitting(caption_width(0, grid),
                         {format(max_pool ? tr("%s + padding (−∞)") : tr("%s + zero padding"), name.c_str()),
                          format(tr("%s (padded)"), name.c_str()), name, shorter, shortest})
               : fitting(caption_width(0, grid), {name, shorter, shortest});
    draw_caption(draw, grid.origin, caption_width(0, grid), caption.c_str(), palette.label);
    for (int py = 0; py < padded_h; ++py)
      for (int px = 0; px < padded_w; ++px) {
        const int iy = py - pad.top, ix = px - pad.left;
        if (iy >= 0 && iy < s.input_h && ix >= 0 && ix < s.input_w)
          draw_value_cell(draw, grid.cell_min(py, px), grid.cell_max(py, px), e.input_value(c, iy, ix),
                          input_max, text, palette);
        else  // a max pool pads with −∞: its padding never wins
          draw_padding_cell(draw, grid.cell_min(py, px), grid.cell_max(py, px), text, palette,
                            max_pool ? "−∞" : "0");
      }
    draw_grid_lines(draw, grid, palette);
    // The real input inside the frame gets a firm border of its own.
    draw->AddRect(grid.cell_min(pad.top, pad.left),
                  grid.cell_max(pad.top + s.input_h - 1, pad.left + s.input_w - 1), palette.label, 0.0f, 0,
                  2.0f);
    if (hovered) {
      if (auto at = grid.cell_at(mouse)) {
        const int iy = at->y - pad.top, ix = at->x - pad.left;
        if (iy >= 0 && iy < s.input_h && ix >= 0 && ix < s.input_w) {
          events.hovered_input = InputCellRef{c, iy, ix};
          if (clicked) events.clicked_input = events.hovered_input;
          ImGui::SetTooltip(
              tr("input[%d][%d][%d] = %s\nIt feeds the outputs outlined in green.\nClick to edit."), c + 1,
              iy + 1, ix + 1, i18n::display_text(explore::format_value(e.input_value(c, iy, ix))).c_str());
        } else if (max_pool) {
          ImGui::SetTooltip("%s", tr("Padding: a max pool pads with −∞, so it never wins.\nIt lets the "
                                     "window reach the border cells."));
        } else if (pool) {
          ImGui::SetTooltip("%s", s.count_include_pad
                                      ? tr("Zero padding: adds 0 to the sum but is counted in the "
                                           "divisor\n(count_include_pad on).")
                                      : tr("Padding: left out of the sum and of the divisor\n"
                                           "(count_include_pad off)."));
        } else {
          ImGui::SetTooltip("%s",
                            tr("Zero padding: always 0, so it adds nothing to a sum.\nIt lets the kernel "
                               "reach the border cells."));
        }
      }
    }
  }

  // ---- kernels of the current filter ---------------------------------------
  const float weight_max = explore::grid_max_abs(s.weight);
  for (int c = 0; c < (pool ? 0 : s.in_channels); ++c) {
    const float kernel_cell = blocks[1].cell_or(cell);
    GridPlacement grid{blocks[1].origin(c, block_origin[1], kernel_cell, gap, label), kernel_cell, s.kernel_h,
                       s.kernel_w};
    const int filter = current_filter + 1;
    const std::string caption =
        s.in_channels > 1
            ? fitting(caption_width(1, grid), {format(tr("Filter %d, channel %d"), filter, c + 1),
                                               format(tr("F%d ch %d"), filter, c + 1),
                                               format(tr("ch %d"), c + 1), std::to_string(c + 1)})
            : format(tr("Filter %d"), filter);
    draw_caption(draw, grid.origin, caption_width(1, grid), caption.c_str(), palette.label);
    for (int ky = 0; ky < s.kernel_h; ++ky)
      for (int kx = 0; kx < s.kernel_w; ++kx)
        draw_value_cell(draw, grid.cell_min(ky, kx), grid.cell_max(ky, kx),
                        e.weight(current_filter, c, ky, kx), weight_max, text, palette);
    draw_grid_lines(draw, grid, palette);
    if (has_output) outline_cell(draw, grid.origin, grid.end(), palette.focus, focus_thickness);
    if (hovered) {
      if (auto at = grid.cell_at(mouse)) {
        if (clicked) events.clicked_weight = WeightRef{current_filter, c, at->y, at->x};
        ImGui::SetTooltip(
            tr("weight[%d][%d][%d][%d] = %s\nClick to edit."), current_filter + 1, c + 1, at->y + 1,
            at->x + 1,
            i18n::display_text(explore::format_value(e.weight(current_filter, c, at->y, at->x))).c_str());
      }
    }
    if (c == s.in_channels - 1) {
      const std::string bias = format(
          tr("bias = %s"), i18n::display_text(explore::format_value(e.bias(current_filter), 6)).c_str());
      draw->AddText(context.mono_font, font, ImVec2(grid.origin.x, grid.end().y + 0.3f * font), palette.label,
                    bias.c_str());
    }
  }
  // The operators between the blocks, at the height of the first grid row.
  const auto draw_operator = [&](size_t left_block, const char* symbol) {
    const float left =
        block_origin[left_block].x + blocks[left_block].width(blocks[left_block].cell_or(cell), gap);
    const float right = block_origin[left_block + 1].x;
    const float middle_y = top.y + label +
                           0.5f *
                               std::min(static_cast<float>(blocks[left_block].rows),
                                        static_cast<float>(blocks[left_block + 1].rows)) *
                               cell;
    ImFont* big = context.heading_font;
    const float size = big ? big->FontSize * 1.4f : font * 1.6f;
    const ImVec2 extent = big ? big->CalcTextSizeA(size, FLT_MAX, 0, symbol) : ImVec2(font, font);
    draw->AddText(big, size, ImVec2(0.5f * (left + right - extent.x), middle_y - 0.5f * extent.y),
                  palette.muted, symbol);
  };
  if (!pool) draw_operator(0, "∗");

  // ---- outputs --------------------------------------------------------------
  if (has_output) {
    draw_operator(output_block - 1, pool ? "→" : "=");
    const Tensor& output = e.output();
    const float output_max = explore::grid_max_abs(output.values());
    const int current = e.step_index();
    std::vector<GridPlacement> outputs;
    for (int o = 0; o < out_channels; ++o) {
      GridPlacement grid{blocks[output_block].origin(o, block_origin[output_block], cell, gap, label), cell,
                         g.output.h, g.output.w};
      outputs.push_back(grid);
      // The size only where it fits: the last block's caption has the canvas's edge beside it.
      const std::string caption = fitting(caption_width(output_block, grid),
                                          {format(tr("Output %d (%d×%d)"), o + 1, g.output.h, g.output.w),
                                           format(tr("Output %d"), o + 1), std::to_string(o + 1)});
      draw_caption(draw, grid.origin, caption_width(output_block, grid), caption.c_str(),
                   o == current_filter ? palette.focus : palette.label);
      for (int y = 0; y < g.output.h; ++y)
        for (int x2 = 0; x2 < g.output.w; ++x2) {
          if (e.step_of_cell(o, y, x2) <= current)
            draw_value_cell(draw, grid.cell_min(y, x2), grid.cell_max(y, x2), output.at(0, o, y, x2),
                            output_max, text, palette);
          else
            draw_empty_cell(draw, grid.cell_min(y, x2), grid.cell_max(y, x2), palette);
        }
      draw_grid_lines(draw, grid, palette);
      if (hovered) {
        if (auto at = grid.cell_at(mouse)) {
          if (clicked) events.clicked_output = OutputCellRef{o, at->y, at->x};
          ImGui::SetTooltip(tr("output[%d][%d][%d] = %s\nClick to jump to this step."), o + 1, at->y + 1,
                            at->x + 1,
                            i18n::display_text(explore::format_value(output.at(0, o, at->y, at->x))).c_str());
        }
      }
    }
    // Every output the highlighted input cell feeds.
    if (highlight && highlight->channel < s.in_channels && highlight->y < s.input_h &&
        highlight->x < s.input_w) {
      const GridPlacement& in = inputs[static_cast<size_t>(highlight->channel)];
      outline_cell(draw, in.cell_min(highlight->y + pad.top, highlight->x + pad.left),
                   in.cell_max(highlight->y + pad.top, highlight->x + pad.left), palette.related,
                   focus_thickness + 1);
      const auto& hits = e.contributions_of(highlight->channel, highlight->y, highlight->x);
      if (hits.empty()) {
        // Stride and dilation can skip a cell entirely: worth saying aloud.
        const std::string skipped =
            format(tr("input[%d][%d][%d] (green) feeds no output: the stride and dilation step over it."),
                   highlight->channel + 1, highlight->y + 1, highlight->x + 1);
        // Wrapped at the canvas's edge, its last line at the bottom.
        const float height = ImGui::CalcTextSize(skipped.c_str(), nullptr, false, box.x).y;
        draw->AddText(nullptr, 0.0f, ImVec2(top.x, top.y + box.y - height - 0.25f * font), palette.related,
                      skipped.c_str(), nullptr, box.x);
      }
      for (const explore::Contribution& hit : hits) {
        const GridPlacement& out = outputs[static_cast<size_t>(hit.out_channel)];
        outline_cell(draw, out.cell_min(hit.out_y, hit.out_x), out.cell_max(hit.out_y, hit.out_x),
                     palette.related, focus_thickness);
      }
    }
    end_crisp_lines(draw);
    // The current step: its taps on every channel, the field they span, and
    // lines from that field to the output cell being computed. A pool's max
    // is drawn solid, its padding that does not compete or count crossed
    // out (tap_marks).
    const std::vector<TapMark> marks = tap_marks(e, padded_h, padded_w);
    const int out_y = step != nullptr ? step->out_y : pool_step->out_y;
    const int out_x = step != nullptr ? step->out_x : pool_step->out_x;
    const GridPlacement& target = outputs[static_cast<size_t>(current_filter)];
    const ImVec2 target_min = target.cell_min(out_y, out_x);
    const ImVec2 target_max = target.cell_max(out_y, out_x);
    for (int c = 0; c < s.in_channels; ++c) {
      const GridPlacement& in = inputs[static_cast<size_t>(c)];
      int min_y = padded_h, min_x = padded_w, max_y = -1, max_x = -1;
      for (const TapMark& tap : marks) {
        if (tap.channel != c) continue;
        const ImVec2 tap_min = in.cell_min(tap.padded_y, tap.padded_x),
                     tap_max = in.cell_max(tap.padded_y, tap.padded_x);
        if (tap.kind == TapMark::Chosen) {
          draw_marked_cell(draw, tap_min, tap_max,
                           e.input_value(c, tap.padded_y - pad.top, tap.padded_x - pad.left), palette.focus,
                           text);
          outline_cell(draw, tap_min, tap_max, palette.label,
                       std::max(1.0f, std::round(0.5f * focus_thickness)));
        } else if (tap.kind == TapMark::LeftOut) {
          const float inset = 0.22f * (tap_max.x - tap_min.x);
          const ImU32 cross = with_alpha(palette.label, 190);
          draw->AddLine(ImVec2(tap_min.x + inset, tap_min.y + inset),
                        ImVec2(tap_max.x - inset, tap_max.y - inset), cross, focus_thickness);
          draw->AddLine(ImVec2(tap_max.x - inset, tap_min.y + inset),
                        ImVec2(tap_min.x + inset, tap_max.y - inset), cross, focus_thickness);
          outline_cell(draw, tap_min, tap_max, palette.muted, focus_thickness);
        } else {
          outline_cell(draw, tap_min, tap_max, palette.focus, focus_thickness);
        }
        min_y = std::min(min_y, tap.padded_y);
        min_x = std::min(min_x, tap.padded_x);
        max_y = std::max(max_y, tap.padded_y);
        max_x = std::max(max_x, tap.padded_x);
      }
      if (max_y < 0) continue;
      const ImVec2 field_min = in.cell_min(min_y, min_x), field_max = in.cell_max(max_y, max_x);
      draw->AddRectFilled(field_min, field_max, with_alpha(palette.focus, 28));
      draw->AddRect(field_min, field_max, with_alpha(palette.focus, 200), 0.0f, 0, 1.5f);
      const ImU32 link = with_alpha(palette.focus, 150);
      draw->AddLine(ImVec2(field_max.x, field_min.y), target_min, link, 2.0f);
      draw->AddLine(field_max, ImVec2(target_min.x, target_max.y), link, 2.0f);
    }
    outline_cell(draw, target_min, target_max, palette.focus, focus_thickness + 1);
  }

  end_crisp_lines(draw);  // (a no-op when the links already ended it)
  // ---- arithmetic -------------------------------------------------------------
  ImGui::SetCursorScreenPos(ImVec2(top.x, top.y + box.y));
  draw_arithmetic(e, context);
  events.max = ImVec2(events.min.x + avail.x, top.y + avail.y);
  return events;
}

}  // namespace convlab::app
