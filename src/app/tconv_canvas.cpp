#include "app/tconv_canvas.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app/grid_view.h"
#include "app/space_wrap.h"
#include "core/base/i18n.h"
#include "core/explore/colormap.h"
#include "core/explore/step_text.h"

namespace convlab::app {

namespace {

using explore::TconvExplorer;

std::string int_pair(int a, int b) { return std::to_string(a) + "×" + std::to_string(b); }
ImU32 with_alpha(ImU32 color, int alpha) {
  return (color & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

struct Canvas {
  ImDrawList* draw;
  GridPalette palette;
  CellText text;
  float font;
  float focus;  // outline thickness
  ImVec2 mouse;
  bool hovered;
  bool clicked;
};

// One grid of a (1, C, H, W) tensor's channel c, every cell a value cell.
void draw_tensor_grid(const Canvas& canvas, const GridPlacement& grid, const Tensor& tensor, int channel,
                      float max_abs) {
  for (int y = 0; y < grid.rows; ++y)
    for (int x = 0; x < grid.cols; ++x)
      draw_value_cell(canvas.draw, grid.cell_min(y, x), grid.cell_max(y, x), tensor.at(0, channel, y, x),
                      max_abs, canvas.text, canvas.palette);
  draw_grid_lines(canvas.draw, grid, canvas.palette);
}

void draw_header(const TconvExplorer& e, const PanelContext& context, const GridPalette& palette) {
  const auto& s = e.settings();
  const auto& g = e.geometry();
  const std::string input = int_pair(s.input_h, s.input_w), kernel = int_pair(s.kernel_h, s.kernel_w);
  const std::string stride =
      s.stride_h == s.stride_w ? std::to_string(s.stride_h) : int_pair(s.stride_h, s.stride_w);
  const std::string output = int_pair(g.output.h, g.output.w);
  const std::string title =
      format(tr("%s input,  %s kernel,  stride %s  →  %s"), input.c_str(), kernel.c_str(), stride.c_str(),
             g.valid ? format(tr("%s output"), output.c_str()).c_str() : tr("no output"));
  // In the heading font where it fits on one line; in a narrow canvas the
  // regular font leaves the grids more room.
  ImFont* heading = context.heading_font;
  const bool one_line =
      heading == nullptr || heading->CalcTextSizeA(heading->FontSize, FLT_MAX, 0.0f, title.c_str()).x <=
                                ImGui::GetContentRegionAvail().x;
  if (one_line) ImGui::PushFont(heading);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopTextWrapPos();
  if (one_line) ImGui::PopFont();
  // Wrapped: at a projector's scale a formula is wider than the picture.
  ImGui::PushFont(context.mono_font);
  ImGui::PushTextWrapPos(0.0f);
  if (!g.formula.empty()) ImGui::TextUnformatted(g.formula.c_str());
  if (e.view() == explore::TconvView::Direct && !g.direct_formula.empty())
    ImGui::TextUnformatted(g.direct_formula.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  if (!g.valid) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette.focus));
    ImGui::TextWrapped(tr("No output: %s"), g.reason.c_str());
    ImGui::PopStyleColor();
  }
}

void draw_caption_line(const TconvExplorer& e, const PanelContext& context, const GridPalette& palette) {
  if (!e.has_output()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette.focus));
  ImGui::TextWrapped(tr("Step %d of %d"), e.step_index() + 1, e.step_count());
  ImGui::PopStyleColor();
  // The step's sum in a region of its own, which scrolls when a narrow
  // canvas at a big scale wraps it over more lines than there is room for.
  ImGui::BeginChild("caption", ImVec2(0, 0), false);
  ImGui::PushFont(context.mono_large_font);
  ImGui::TextUnformatted(wrap_at_spaces(ImGui::GetFont(), ImGui::GetFontSize(),
                                        i18n::display_text(e.current_caption(6)),
                                        ImGui::GetContentRegionAvail().x)
                             .c_str());
  ImGui::PopFont();
  ImGui::EndChild();
}

// ---- sum view ---------------------------------------------------------------

void draw_sum_view(const TconvExplorer& e, const Canvas& c, ImVec2 top, ImVec2 box,
                   TconvCanvasEvents& events) {
  const auto& s = e.settings();
  const auto& g = e.geometry();
  const TconvTrace& trace = e.trace();
  const TconvIntermediate* current = e.current_intermediate();
  const int out_channel = current != nullptr ? current->out_channel : 0;
  const int in_channel = current != nullptr ? current->channel : 0;
  const float label = ImGui::GetTextLineHeightWithSpacing();
  // On a wide, short canvas (a projector at a large scale) the story row
  // and the intermediates sit side by side; otherwise one above the other.
  const bool side_by_side = box.x > 2.0f * box.y;
  const float gap = 0.8f * c.font, block_gap = (side_by_side ? 1.5f : 2.5f) * c.font;
  const ImVec2 story(side_by_side ? 0.5f * box.x - gap : box.x, side_by_side ? box.y : 0.42f * box.y);
  const ImVec2 inter_origin(side_by_side ? top.x + 0.5f * box.x + gap : top.x,
                            side_by_side ? top.y : top.y + story.y);
  const ImVec2 inter_box(side_by_side ? 0.5f * box.x - gap : box.x, side_by_side ? box.y : box.y - story.y);

  // Two bands: the whole story in one row (input, kernel, running sum with
  // its crop, output), then the intermediates that make the sum.

  // Band 1: the input (each channel), the kernel of the current pair, the
  // sum so far, the output.
  const Tensor input = e.input_tensor();
  const float input_max = explore::grid_max_abs(input.values());
  const Tensor weight = e.weight_tensor();
  const float weight_max = explore::grid_max_abs(weight.values());
  const int row_cells = std::max({s.input_h, s.kernel_h, g.full.h, g.output.h});
  const int col_cells = s.in_channels * s.input_w + s.kernel_w + g.full.w + g.output.w;
  const float fixed = static_cast<float>(s.in_channels - 1) * gap + 3.0f * block_gap;
  const float cell1 = std::max(
      0.0f, std::floor(std::min({(story.x - fixed) / static_cast<float>(col_cells),
                                 (story.y - 2.0f * label) / static_cast<float>(row_cells), 3.6f * c.font})));
  float x = top.x;
  for (int ch = 0; ch < s.in_channels; ++ch) {
    GridPlacement grid{ImVec2(x, top.y + label), cell1, s.input_h, s.input_w};
    const std::string caption =
        s.in_channels > 1 ? fitting_caption(grid.size().x + gap,
                                            {format(tr("Input ch %d"), ch + 1), format(tr("ch %d"), ch + 1)})
                          : fitting_caption(grid.size().x + gap, {trc("grid caption", "Input"), "x"});
    draw_caption(c.draw, grid.origin, grid.size().x + gap, caption.c_str(), c.palette.label);
    draw_tensor_grid(c, grid, input, ch, input_max);
    if (current != nullptr && current->channel == ch)
      outline_cell(c.draw, grid.cell_min(current->in_y, current->in_x),
                   grid.cell_max(current->in_y, current->in_x), c.palette.focus, c.focus + 1);
    x = grid.end().x + gap;
  }
  x += block_gap - gap;
  GridPlacement kernel{ImVec2(x, top.y + label), cell1, s.kernel_h, s.kernel_w};
  const float kernel_room = kernel.size().x + block_gap - 0.3f * c.font;
  const std::string kernel_caption =
      s.in_channels * s.out_channels > 1
          ? fitting_caption(kernel_room, {format(tr("Kernel %d→%d"), in_channel + 1, out_channel + 1),
                                          format("%d→%d", in_channel + 1, out_channel + 1)})
          : fitting_caption(kernel_room, {trc("grid caption", "Kernel"), "k"});
  draw_caption(c.draw, kernel.origin, kernel_room, kernel_caption.c_str(), c.palette.label);
  for (int ky = 0; ky < s.kernel_h; ++ky)
    for (int kx = 0; kx < s.kernel_w; ++kx)
      draw_value_cell(c.draw, kernel.cell_min(ky, kx), kernel.cell_max(ky, kx),
                      e.weight(in_channel, out_channel, ky, kx), weight_max, c.text, c.palette);
  draw_grid_lines(c.draw, kernel, c.palette);
  outline_cell(c.draw, kernel.origin, kernel.end(), c.palette.focus, c.focus);
  const std::string bias =
      format(tr("bias = %s"), i18n::display_text(explore::format_value(e.bias(out_channel), 6)).c_str());
  c.draw->AddText(ImVec2(kernel.origin.x, kernel.end().y + 0.2f * c.font), c.palette.label, bias.c_str());

  // Band 2: the intermediates of this output channel, laid out like the input.
  const float y2 = inter_origin.y;
  const int per_channel = s.input_h * s.input_w;
  const int first = out_channel * s.in_channels * per_channel;
  const int rows = s.in_channels * s.input_h, cols = s.input_w;
  const float small_gap = 0.6f * c.font;
  const float by_w =
      (inter_box.x - small_gap * static_cast<float>(cols - 1)) / static_cast<float>(cols * g.full.w);
  const float by_h =
      (inter_box.y - label - small_gap * static_cast<float>(rows)) / static_cast<float>(rows * g.full.h);
  const float cell2 = std::max(0.0f, std::floor(std::min({by_w, by_h, 3.0f * c.font})));
  const std::string inter_caption = fitting_caption(
      inter_box.x,
      {side_by_side ? tr("Intermediates: input element × kernel")
                    : tr("Intermediates: each input element × the kernel, placed at (row, column) × stride"),
       tr("Intermediates: input element × kernel"), tr("Input element × kernel"), tr("Intermediates")});
  draw_caption(c.draw, ImVec2(inter_origin.x, y2 + label), inter_box.x, inter_caption.c_str(),
               c.palette.label);
  const float inter_max = std::max(input_max * weight_max, 1e-12f);
  for (int ch = 0; ch < s.in_channels; ++ch)
    for (int iy = 0; iy < s.input_h; ++iy)
      for (int ix = 0; ix < s.input_w; ++ix) {
        const int index = first + (ch * s.input_h + iy) * s.input_w + ix;
        if (index >= static_cast<int>(trace.intermediates.size())) continue;
        const TconvIntermediate& inter = trace.intermediates[static_cast<size_t>(index)];
        const int row = ch * s.input_h + iy;
        GridPlacement grid{
            ImVec2(
                inter_origin.x + static_cast<float>(ix) * (static_cast<float>(g.full.w) * cell2 + small_gap),
                y2 + label + static_cast<float>(row) * (static_cast<float>(g.full.h) * cell2 + small_gap)),
            cell2, g.full.h, g.full.w};
        const bool done = index <= e.step_index();
        for (int y = 0; y < g.full.h; ++y)
          for (int xx = 0; xx < g.full.w; ++xx)
            draw_empty_cell(c.draw, grid.cell_min(y, xx), grid.cell_max(y, xx), c.palette);
        for (int ky = 0; ky < s.kernel_h; ++ky)
          for (int kx = 0; kx < s.kernel_w; ++kx) {
            const int y = inter.origin_y + ky * s.dilation_h, xx = inter.origin_x + kx * s.dilation_w;
            if (y >= g.full.h || xx >= g.full.w) continue;
            if (done)
              draw_value_cell(c.draw, grid.cell_min(y, xx), grid.cell_max(y, xx),
                              inter.contribution[static_cast<int64_t>(y) * g.full.w + xx], inter_max, c.text,
                              c.palette);
            else
              outline_cell(c.draw, grid.cell_min(y, xx), grid.cell_max(y, xx),
                           with_alpha(c.palette.muted, 120), 1.0f);
          }
        draw_grid_lines(c.draw, grid, c.palette);
        if (index == e.step_index())
          outline_cell(c.draw, grid.origin, grid.end(), c.palette.focus, c.focus + 1);
        if (c.hovered && grid.cell_at(c.mouse)) {
          ImGui::SetTooltip(tr("Intermediate of input (%d, %d) = %s\nClick to step here."), iy + 1, ix + 1,
                            i18n::display_text(explore::format_value(inter.value)).c_str());
          if (c.clicked) events.clicked_step = index;
        }
      }

  const Tensor sum = e.current_running_sum();
  const Tensor& output = e.output();
  GridPlacement sum_grid{ImVec2(kernel.end().x + block_gap, top.y + label), cell1, g.full.h, g.full.w};
  const float sum_room = sum_grid.size().x + block_gap - 0.3f * c.font;
  draw_caption(c.draw, sum_grid.origin, sum_room,
               fitting_caption(sum_room, {tr("Sum so far"), trc("grid caption", "Sum"), "\xce\xa3"}).c_str(),
               c.palette.label);
  const float sum_max = std::max(explore::grid_max_abs(trace.full_sum.values()), 1e-12f);
  for (int y = 0; y < g.full.h; ++y)
    for (int xx = 0; xx < g.full.w; ++xx)
      draw_value_cell(c.draw, sum_grid.cell_min(y, xx), sum_grid.cell_max(y, xx),
                      sum.at(0, out_channel, y, xx), sum_max, c.text, c.palette);
  draw_grid_lines(c.draw, sum_grid, c.palette);
  if (current != nullptr)
    for (int ky = 0; ky < s.kernel_h; ++ky)
      for (int kx = 0; kx < s.kernel_w; ++kx) {
        const int y = current->origin_y + ky * s.dilation_h, xx = current->origin_x + kx * s.dilation_w;
        if (y < g.full.h && xx < g.full.w)
          outline_cell(c.draw, sum_grid.cell_min(y, xx), sum_grid.cell_max(y, xx), c.palette.focus, c.focus);
      }
  if (g.output.h > 0 && g.output.w > 0) {
    // The crop: padding rows/columns fall away on every side.
    const ImVec2 keep_min = sum_grid.cell_min(trace.crop_top, trace.crop_left);
    const ImVec2 keep_max =
        sum_grid.cell_max(trace.crop_top + g.output.h - 1, trace.crop_left + g.output.w - 1);
    c.draw->AddRect(keep_min, keep_max, c.palette.related, 0.0f, 0, c.focus + 1);
  }
  GridPlacement out_grid{ImVec2(sum_grid.end().x + block_gap, top.y + label), cell1, g.output.h, g.output.w};
  const bool finished = e.step_index() == e.step_count() - 1;
  const float out_room = top.x + story.x - out_grid.origin.x;
  draw_caption(c.draw, out_grid.origin, out_room,
               fitting_caption(
                   out_room, {finished ? tr("Output = green crop + bias") : tr("Output so far (crop + bias)"),
                              finished ? tr("Output = crop + bias") : tr("Output so far"),
                              trc("grid caption", "Output"), "y"})
                   .c_str(),
               c.palette.label);
  // The output builds up with the sum; colours keep the final output's
  // scale so a cell's colour only settles when its last tap lands.
  const Tensor so_far = e.current_running_output();
  const float out_max = explore::grid_max_abs(output.values());
  for (int y = 0; y < g.output.h; ++y)
    for (int xx = 0; xx < g.output.w; ++xx)
      draw_value_cell(c.draw, out_grid.cell_min(y, xx), out_grid.cell_max(y, xx),
                      so_far.at(0, out_channel, y, xx), out_max, c.text, c.palette);
  draw_grid_lines(c.draw, out_grid, c.palette);
}

// ---- direct view --------------------------------------------------------------

void draw_direct_view(const TconvExplorer& e, const Canvas& c, ImVec2 top, ImVec2 box,
                      TconvCanvasEvents& events) {
  const auto& s = e.settings();
  const Tensor& din = e.direct_input();
  const Tensor& kernel = e.flipped_kernel();
  const Tensor& dout = e.direct_output();
  const Tensor& tout = e.output();
  const ConvStep* step = e.current_direct_step();
  const int out_channel = step != nullptr ? step->out_channel : 0;
  const int dh = static_cast<int>(din.h()), dw = static_cast<int>(din.w());
  const int oh = static_cast<int>(dout.h()), ow = static_cast<int>(dout.w());
  const float label = ImGui::GetTextLineHeightWithSpacing();
  const float gap = 0.8f * c.font, block_gap = 2.5f * c.font;
  const int total_cols = s.in_channels * dw + s.in_channels * s.kernel_w + 2 * ow;
  const float by_w =
      (box.x - 3 * block_gap - static_cast<float>(2 * s.in_channels) * gap) / static_cast<float>(total_cols);
  const char* note =
      tr("Green dots: the stride's inserted zeros. Hatched: the frame of dilation×(k−1) − padding.");
  const float note_height = ImGui::CalcTextSize(note, nullptr, false, box.x).y;
  const float by_h =
      (box.y - label - note_height - c.font) / static_cast<float>(std::max({dh, s.kernel_h, oh}));
  const float cell = std::max(0.0f, std::floor(std::min({by_w, by_h, 3.4f * c.font})));
  float x = top.x;
  const float y0 = top.y + label;
  const float input_max = explore::grid_max_abs(din.values());
  std::vector<GridPlacement> inputs;
  for (int ch = 0; ch < s.in_channels; ++ch) {
    GridPlacement grid{ImVec2(x, y0), cell, dh, dw};
    inputs.push_back(grid);
    const float room = grid.size().x + block_gap - 0.3f * c.font;
    draw_caption(c.draw, grid.origin, room,
                 fitting_caption(room, {tr("Zeros inserted + frame"), tr("Zeros inserted"),
                                        trc("grid caption", "Input"), "x"})
                     .c_str(),
                 c.palette.label);
    for (int y = 0; y < dh; ++y)
      for (int xx = 0; xx < dw; ++xx) {
        const explore::DirectCell kind = e.direct_cell(y, xx);
        const ImVec2 a = grid.cell_min(y, xx), b = grid.cell_max(y, xx);
        if (kind == explore::DirectCell::Input)
          draw_value_cell(c.draw, a, b, din.at(0, ch, y, xx), input_max, c.text, c.palette);
        else if (kind == explore::DirectCell::InsertedZero) {
          draw_empty_cell(c.draw, a, b, c.palette);
          c.draw->AddCircleFilled(ImVec2(0.5f * (a.x + b.x), 0.5f * (a.y + b.y)), 0.12f * cell,
                                  with_alpha(c.palette.related, 200));
        } else
          draw_padding_cell(c.draw, a, b, c.text, c.palette);
      }
    draw_grid_lines(c.draw, grid, c.palette);
    x = grid.end().x + gap;
  }
  x += block_gap;
  const float weight_max = explore::grid_max_abs(kernel.values());
  for (int ch = 0; ch < s.in_channels; ++ch) {
    GridPlacement grid{ImVec2(x, y0), cell, s.kernel_h, s.kernel_w};
    const float room = grid.size().x + block_gap - 0.3f * c.font;
    draw_caption(c.draw, grid.origin, room,
                 fitting_caption(room, {tr("Kernel flipped"), trc("grid caption", "Kernel")}).c_str(),
                 c.palette.label);
    for (int ky = 0; ky < s.kernel_h; ++ky)
      for (int kx = 0; kx < s.kernel_w; ++kx)
        draw_value_cell(c.draw, grid.cell_min(ky, kx), grid.cell_max(ky, kx),
                        kernel.at(out_channel, ch, ky, kx), weight_max, c.text, c.palette);
    draw_grid_lines(c.draw, grid, c.palette);
    x = grid.end().x + gap;
  }
  x += block_gap;
  GridPlacement direct{ImVec2(x, y0), cell, oh, ow};
  const float direct_room = direct.size().x + block_gap - 0.3f * c.font;
  draw_caption(
      c.draw, direct.origin, direct_room,
      fitting_caption(direct_room, {trc("grid caption", "Convolution"), trc("grid caption", "Conv")}).c_str(),
      c.palette.label);
  const float out_max = explore::grid_max_abs(dout.values());
  for (int y = 0; y < oh; ++y)
    for (int xx = 0; xx < ow; ++xx) {
      const int index = (out_channel * oh + y) * ow + xx;
      if (index <= e.step_index())
        draw_value_cell(c.draw, direct.cell_min(y, xx), direct.cell_max(y, xx),
                        dout.at(0, out_channel, y, xx), out_max, c.text, c.palette);
      else
        draw_empty_cell(c.draw, direct.cell_min(y, xx), direct.cell_max(y, xx), c.palette);
      if (c.hovered && c.clicked && direct.cell_at(c.mouse)) {
        const auto at = direct.cell_at(c.mouse);
        events.clicked_step = (out_channel * oh + at->y) * ow + at->x;
      }
    }
  draw_grid_lines(c.draw, direct, c.palette);
  GridPlacement transposed{ImVec2(direct.end().x + block_gap, y0), cell, oh, ow};
  // The last caption ends at the canvas's edge; it may start left of its
  // grid, over the "=" gap, where that gives it room.
  const float right = top.x + box.x;
  const float leftmost = direct.end().x + 0.5f * c.font;
  const std::string transposed_caption = fitting_caption(
      right - leftmost, {trc("grid caption", "Transposed conv"), trc("grid caption", "Transposed")});
  const float caption_x = std::max(
      leftmost, std::min(transposed.origin.x, right - ImGui::CalcTextSize(transposed_caption.c_str()).x));
  draw_caption(c.draw, ImVec2(caption_x, transposed.origin.y), right - caption_x, transposed_caption.c_str(),
               c.palette.label);
  if (tout.numel() == dout.numel()) draw_tensor_grid(c, transposed, tout, out_channel, out_max);
  c.draw->AddText(ImVec2(direct.end().x + 0.6f * c.font, y0 + 0.5f * direct.size().y - 0.5f * c.font),
                  c.palette.muted, "=");
  if (step != nullptr) {
    for (const ConvTap& tap : step->taps) {
      const GridPlacement& in = inputs[static_cast<size_t>(tap.channel)];
      outline_cell(c.draw, in.cell_min(tap.padded_y, tap.padded_x), in.cell_max(tap.padded_y, tap.padded_x),
                   c.palette.focus, c.focus);
    }
    outline_cell(c.draw, direct.cell_min(step->out_y, step->out_x), direct.cell_max(step->out_y, step->out_x),
                 c.palette.focus, c.focus + 1);
    outline_cell(c.draw, transposed.cell_min(step->out_y, step->out_x),
                 transposed.cell_max(step->out_y, step->out_x), c.palette.related, c.focus + 1);
  }
  // Wrapped at the canvas's edge.
  c.draw->AddText(nullptr, 0.0f,
                  ImVec2(top.x, y0 + static_cast<float>(std::max(dh, oh)) * cell + 0.5f * c.font),
                  c.palette.muted, note, nullptr, box.x);
}

// ---- overlap view -------------------------------------------------------------

void draw_overlap_view(const TconvExplorer& e, const Canvas& c, ImVec2 top, ImVec2 box) {
  const Tensor& counts = e.overlap_counts();
  if (counts.empty()) return;
  // (OH, OW): one count per output cell.
  const int oh = static_cast<int>(counts.dim(0)), ow = static_cast<int>(counts.dim(1));
  float low = 1e30f, high = 0;
  for (float v : counts.values()) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
  const auto& s = e.settings();
  const bool even_h = s.kernel_h % s.stride_h == 0, even_w = s.kernel_w % s.stride_w == 0;
  const std::string range = format(tr("Counts range from %s to %s."), explore::format_value(low).c_str(),
                                   explore::format_value(high).c_str());
  const std::string why =
      even_h && even_w
          ? tr("The stride divides the kernel size, so away from the border every cell gets the same number "
               "of taps: no checkerboard.")
          : tr("The stride does not divide the kernel size, so neighbouring cells get different numbers of "
               "taps even in the middle: the checkerboard artifact of upsampling by transposed convolution.");
  const std::string short_why =
      even_h && even_w ? tr("Away from the border every cell gets the same number of taps: no checkerboard.")
                       : tr("Neighbouring cells get different numbers of taps: the checkerboard artifact.");
  // The note wraps at the canvas's edge; the grid gets what it leaves, and
  // a short note leaves the grid at least half the room.
  const float label = ImGui::GetTextLineHeightWithSpacing();
  std::string note;
  float note_height = 0;
  // None at all where even the short one would crowd out the grid (the
  // photo beside it and the lesson say the same).
  for (const std::string& wording : {range + " " + why, range + " " + short_why, short_why, std::string()}) {
    note = wording;
    note_height = note.empty() ? 0.0f : ImGui::CalcTextSize(note.c_str(), nullptr, false, box.x).y;
    if (note_height <= 0.3f * box.y) break;
  }
  const float cell = std::max(
      0.0f,
      std::floor(std::min({(box.x * 0.6f) / static_cast<float>(ow),
                           (box.y - label - note_height - c.font) / static_cast<float>(oh), 3.4f * c.font})));
  GridPlacement grid{ImVec2(top.x, top.y + label), cell, oh, ow};
  draw_caption(
      c.draw, grid.origin, box.x,
      fitting_caption(box.x, {tr("Kernel taps landing on each output cell"), tr("Taps per output cell")})
          .c_str(),
      c.palette.label);
  for (int y = 0; y < oh; ++y)
    for (int x = 0; x < ow; ++x)
      draw_value_cell(c.draw, grid.cell_min(y, x), grid.cell_max(y, x),
                      counts[static_cast<int64_t>(y) * ow + x], high, c.text, c.palette);
  draw_grid_lines(c.draw, grid, c.palette);
  ImGui::SetCursorScreenPos(ImVec2(top.x, grid.end().y + 0.5f * c.font));
  if (!note.empty()) {
    ImGui::PushTextWrapPos(0.0f);  // the window's edge
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace

TconvCanvasEvents draw_tconv_canvas(const TconvExplorer& e, const PanelContext& context) {
  TconvCanvasEvents events;
  events.min = ImGui::GetCursorScreenPos();
  const ImVec2 full = ImGui::GetContentRegionAvail();
  const GridPalette palette = grid_palette(context.theme);
  draw_header(e, context, palette);
  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  float caption_height = 0;
  if (e.view() != explore::TconvView::Overlap && e.has_output()) {
    // The step line, then the sum as wrapped at this width: at most a
    // third of the canvas (the rest scrolls).
    const std::string step = format(tr("Step %d of %d"), e.step_index() + 1, e.step_count());
    ImFont* mono = context.mono_large_font;
    const float sum_height =
        mono != nullptr
            ? mono->CalcTextSizeA(
                      mono->FontSize, FLT_MAX, 0.0f,
                      wrap_at_spaces(mono, mono->FontSize, i18n::display_text(e.current_caption(6)), avail.x)
                          .c_str())
                  .y
            : ImGui::GetTextLineHeightWithSpacing();
    caption_height = ImGui::CalcTextSize(step.c_str(), nullptr, false, avail.x).y +
                     2.0f * ImGui::GetStyle().ItemSpacing.y + 0.4f * ImGui::GetTextLineHeightWithSpacing() +
                     std::min(sum_height, 0.33f * avail.y);
  }
  const ImVec2 box(avail.x, std::max(avail.y - caption_height, 4.0f * font));
  const ImVec2 top = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##tconv", box);
  Canvas canvas{
      ImGui::GetWindowDrawList(),
      palette,
      CellText{context.mono_large_font,
               context.mono_large_font != nullptr ? context.mono_large_font->FontSize : font, 0.45f * font},
      font,
      2.0f,
      ImGui::GetMousePos(),
      ImGui::IsItemHovered(),
      ImGui::IsItemClicked(ImGuiMouseButton_Left)};
  if (e.has_output()) {
    const ImVec2 after = ImGui::GetCursorScreenPos();
    switch (e.view()) {
      case explore::TconvView::Sum:
        draw_sum_view(e, canvas, top, box, events);
        break;
      case explore::TconvView::Direct:
        draw_direct_view(e, canvas, top, box, events);
        break;
      case explore::TconvView::Overlap:
        draw_overlap_view(e, canvas, top, box);
        break;
    }
    ImGui::SetCursorScreenPos(after);
    if (e.view() != explore::TconvView::Overlap) draw_caption_line(e, context, palette);
  }
  events.max = ImVec2(events.min.x + full.x, events.min.y + full.y);
  return events;
}

}  // namespace convlab::app
