// TconvExplorer: everything the transposed-convolution panel shows, as plain
// data. Like ConvExplorer, setters refuse bad values with an Error (naming the
// setting, what is wrong and what is valid) and leave the state as it was;
// derived data is computed lazily and cached until the next change.
//
// The panel shows one transposed convolution three ways (the view):
//  sum:     the seed's picture. Every input element scales the kernel, the
//           scaled kernel lands at its stride offset in the uncropped output,
//           and the output is the sum of these intermediates, cropped by the
//           padding (plus output_padding rows/columns at the bottom/right).
//           Step k shows intermediates 0..k added into the running sum.
//  direct:  the same result as an ordinary convolution: zeros inserted between
//           input elements (stride - 1 of them), a frame of
//           dilation*(k-1) - padding per side (negative: rows/columns cropped)
//           plus output_padding at the bottom/right, convolved at stride 1
//           with the kernel flipped 180 degrees and its in/out channels
//           swapped. Steps are that convolution's output cells.
//  overlap: how many (input element, kernel tap) pairs land on each output
//           cell; uneven counts are the checkerboard artifact of a kernel
//           size that the stride does not divide. Steps as in 'sum'.
//
// Settings that give no output never throw: has_output() is false, reason()
// says why in a sentence from conv_arithmetic, and stepping has no steps.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"
#include "core/explore/explorer_input.h"
#include "core/explore/presets.h"
#include "core/explore/stepper.h"
#include "core/ops/trace.h"

namespace convlab::explore {

// Small on purpose: every intermediate is drawn as its own grid.
inline constexpr int kMaxTconvInputSide = 8;
inline constexpr int kMaxTconvChannels = 2;  // in and out channels each
inline constexpr int kMaxTconvKernelSide = 5;
inline constexpr int kMaxTconvStride = 3;
inline constexpr int kMaxTconvDilation = 3;
// output_padding must stay below stride or dilation, so this is the most any
// setting allows; smaller limits for the current stride come from geometry().
inline constexpr int kMaxTconvOutputPadding = std::max(kMaxTconvStride, kMaxTconvDilation) - 1;
// PyTorch accepts any padding that leaves an output; above this none does:
// the largest uncropped output is (8-1)*3 + 3*(5-1) + 1 + 2 = 36 rows, and
// padding 17 (crops 34) still leaves 2.
inline constexpr int kMaxTconvPadding =
    ((kMaxTconvInputSide - 1) * kMaxTconvStride + kMaxTconvDilation * (kMaxTconvKernelSide - 1) +
     kMaxTconvOutputPadding) /
    2;

// Kernel presets of the transposed-conv panel, for one kh x kw kernel:
//  numbers:  0, 1, 2, ... in reading order over the whole weight tensor
//            (in channel, out channel, row, column): the seed's [[0,1],[2,3]].
//  ones:     every weight 1; the output then shows how many pairs overlap.
//  bilinear: (1 - |y - c|/f) * (1 - |x - c|/f) with f = ceil(k/2),
//            c = (k-1)/2: kernel 2s at stride s and padding s/2 upsamples by
//            bilinear interpolation, with no checkerboard.
//  random:   integers -2..2 from the seed (presets.h's random kernel).
enum class TconvKernelPreset { Numbers, Ones, Bilinear, Random };
const char* tconv_kernel_preset_name(TconvKernelPreset preset);
Result<TconvKernelPreset> parse_tconv_kernel_preset(const std::string& name);  // case-insensitive
std::string tconv_kernel_preset_names();                                       // "numbers, ones, ..."
// One kh x kw kernel, row-major; `first` is where 'numbers' starts counting.
std::vector<float> make_tconv_kernel_preset(TconvKernelPreset preset, int kernel_h, int kernel_w,
                                            uint64_t seed, int first = 0);

enum class TconvView { Sum, Direct, Overlap };
const char* tconv_view_name(TconvView view);
Result<TconvView> parse_tconv_view(const std::string& name);  // errors list sum, direct, overlap

// Everything the user sets; values are stored flat in PyTorch's layouts.
struct TconvSettings {
  int input_h = 2, input_w = 2, in_channels = 1;
  int kernel_h = 2, kernel_w = 2, out_channels = 1;
  int stride_h = 1, stride_w = 1;
  int padding_h = 0, padding_w = 0;  // symmetric per axis, as PyTorch's ConvTranspose2d
  int output_padding_h = 0, output_padding_w = 0;
  int dilation_h = 1, dilation_w = 1;
  uint64_t seed = 1;
  std::vector<float> input;   // C*H*W
  std::vector<float> weight;  // C*O*KH*KW: a transposed conv's weight is (in, out, KH, KW)
  std::vector<float> bias;    // O
  // The preset that produced the values, or nullopt once they were edited.
  // A live preset is re-applied on resize / reseed.
  std::optional<InputPreset> input_preset = InputPreset::Numbers;
  std::optional<TconvKernelPreset> kernel_preset = TconvKernelPreset::Numbers;
  TconvView view = TconvView::Sum;
};

// Sizes and formulas: cheap, always available.
struct TconvGeometry {
  bool valid = false;
  std::string reason;  // why there is no output (when !valid)
  ConvTranspose2dParams params;
  Size2d full;          // uncropped: (in-1)s + d(k-1) + 1 + output_padding
  Size2d output;        // full - 2*padding; 0x0 when !valid
  std::string formula;  // conv_transpose2d_formula with the numbers
  // The direct view. direct_padding is signed: a negative side is that many
  // rows/columns cropped from the zero-inserted input instead.
  Size2d upsampled;          // (in-1)s + 1: the input with stride-1 zeros between elements
  Padding2d direct_padding;  // d(k-1) - padding per side, + output_padding at bottom/right
  Size2d direct_input;       // upsampled + direct_padding; the direct output is this - d(k-1)
  std::string direct_formula;
};

// What a cell of the direct view's input is.
enum class DirectCell { Input, InsertedZero, Padding };

class TconvExplorer {
 public:
  TconvExplorer();  // the seed's example: [[0,1],[2,3]] (x) [[0,1],[2,3]] -> [[0,0,1],[0,4,6],[4,12,9]]

  // ---- settings ------------------------------------------------------------
  Status set_input_size(int height, int width);   // 1..8 each
  Status set_in_channels(int channels);           // 1..2
  Status set_out_channels(int channels);          // 1..2
  Status set_kernel_size(int height, int width);  // 1..5 each
  Status set_input_value(int c, int y, int x, float value);
  Status set_input_values(std::vector<float> values);  // C*H*W values
  Status set_weight(int in_channel, int out_channel, int ky, int kx, float value);
  Status set_weights(std::vector<float> values);  // C*O*KH*KW values
  Status set_bias(int out_channel, float value);
  Status set_biases(std::vector<float> values);  // O values
  void apply_input_preset(InputPreset preset);
  void apply_kernel_preset(TconvKernelPreset preset);
  Status set_stride(int stride_h, int stride_w);                          // 1..3 each
  Status set_padding(int padding_h, int padding_w);                       // 0..17 each
  Status set_output_padding(int output_padding_h, int output_padding_w);  // 0..2 each; < stride or dilation
  Status set_dilation(int dilation_h, int dilation_w);                    // 1..3 each
  void set_seed(uint64_t seed);                                           // re-applies live random presets
  // Steps mean different things per view, so a new view starts at step 0.
  void set_view(TconvView view);

  const TconvSettings& settings() const { return s_; }
  TconvView view() const { return s_.view; }
  float input_value(int c, int y, int x) const;
  float weight(int in_channel, int out_channel, int ky, int kx) const;
  float bias(int out_channel) const { return s_.bias[static_cast<size_t>(out_channel)]; }
  Tensor input_tensor() const;   // (1, C, H, W)
  Tensor weight_tensor() const;  // (C, O, KH, KW)
  Tensor bias_tensor() const;    // (O)

  // ---- derived: the transposed convolution ---------------------------------
  const TconvGeometry& geometry() const;
  bool has_output() const { return geometry().valid; }
  const std::string& reason() const { return geometry().reason; }
  // Empty (no intermediates) when there is no output; trace_error() says why.
  const TconvTrace& trace() const;
  const Tensor& output() const;  // reference::conv_transpose2d, (1, O, OH, OW); empty when no output
  const std::string& trace_error() const;
  // Intermediates 0..k added in the trace's order: (1, O, full_h, full_w).
  // k < 0 gives zeros; k >= the count gives the full sum. Empty without output.
  // Bit for bit the trace's full_sum at the last step (each intermediate
  // touches a cell at most once, in the op's order).
  Tensor running_sum(int k) const;
  // running_sum(k) cropped by the padding plus the bias: (1, O, OH, OW). The
  // output as it builds up; at the last step exactly output(). Empty
  // without output.
  Tensor running_output(int k) const;

  // ---- derived: the direct-convolution view ----------------------------------
  // Each is empty without output.
  const Tensor& direct_input() const;    // (1, C, DH, DW): zeros inserted, padded or cropped
  const Tensor& flipped_kernel() const;  // (O, C, KH, KW): rotated 180 degrees, channels swapped
  const Tensor& direct_output()
      const;  // reference::conv2d(direct_input, flipped_kernel, bias, stride 1, dilation d)
  const ConvTrace& direct_trace() const;  // trace_conv2d of the same, for stepping
  // Where a direct-input cell comes from; Padding outside the grid too. For
  // Input, *input_y / *input_x (when given) receive the input element.
  DirectCell direct_cell(int y, int x, int* input_y = nullptr, int* input_x = nullptr) const;

  // ---- derived: overlap ------------------------------------------------------
  // (OH, OW): for each output cell, how many (input element over all input
  // channels, kernel tap) pairs land on it = conv_transpose2d of all-ones
  // input and all-ones kernel. Empty without output.
  const Tensor& overlap_counts() const;

  // ---- stepping ----------------------------------------------------------
  // Steps of the current view: intermediates (sum, overlap) or direct conv
  // output cells (direct).
  int step_count() const;
  int step_index() const;    // clamped to [0, step_count-1]; 0 when there are none
  void set_step(int index);  // clamped
  void step_forward() { set_step(step_index() + 1); }
  void step_back() { set_step(step_index() - 1); }
  void to_start() { set_step(0); }
  void to_end() { set_step(step_count() - 1); }
  // nullptr when there is no output or the view steps the other way.
  const TconvIntermediate* current_intermediate() const;
  const ConvStep* current_direct_step() const;
  Tensor current_running_sum() const { return running_sum(step_index()); }
  Tensor current_running_output() const { return running_output(step_index()); }

  bool playing() const { return stepper_.playing(); }
  void play();  // restarts from the beginning when at the end
  void pause() { stepper_.pause(); }
  double steps_per_second() const { return stepper_.steps_per_second(); }
  Status set_steps_per_second(double rate);  // (0, 1000]
  // Moves floor(accumulated seconds * rate) steps while playing; stops at the
  // last step. Returns how many steps it moved.
  int advance(double seconds);

  // One line about the current step (empty without output):
  //  sum/overlap: "input (0, 1) = 1: 1 x kernel, placed at row 0, column 1 of the 3x3 sum"
  //  direct:      the conv panel's "a*w + ... + b = y"
  std::string current_caption(int significant_digits = 0) const;

 private:
  void changed();
  ExplorerInput input();  // the input fields of s_, to edit
  void resize_kernel(int in_channels, int out_channels, int height, int width);
  void regenerate_kernel();
  Status check_input_cell(int c, int y, int x) const;

  TconvSettings s_;
  Stepper stepper_;

  struct TraceCache {
    TconvTrace trace;
    Tensor output;
    std::string error;
  };
  struct DirectCache {
    Tensor input, kernel, output;
    ConvTrace trace;
  };
  mutable std::optional<TconvGeometry> geometry_;
  // The UI language the cached text (formula, reason) was written in: a
  // language switch writes it again.
  mutable std::string text_language_;
  mutable std::optional<TraceCache> trace_;
  mutable std::optional<DirectCache> direct_;
  mutable std::optional<Tensor> overlap_;
};

// ---- the checkerboard artifact on a real image ----------------------------------
// Upsamples a grayscale image by a transposed conv with a constant k x k
// kernel at stride s. Every weight is s*s/(k*k): a cell of the interior gets
// (k/s)^2 pairs on average, so a flat region keeps its level where the stride
// divides the kernel, and shows a checkerboard of gains where it does not.
// Padding ceil((k-s)/2) and output_padding make the output s*H x s*W, except
// stride 1 with an even kernel (no output_padding allowed): one larger.
struct ArtifactDemo {
  ConvTranspose2dParams params;
  float weight = 0;  // every tap: s*s/(k*k)
  Tensor kernel;     // (1, 1, k, k)
  Tensor output;     // (1, 1, OH, OW): the upsampled image
  Tensor gain;       // (1, 1, OH, OW): the output of an all-ones image; 1 where the level is kept
};
inline constexpr int kMaxArtifactKernel = 8;
inline constexpr int kMaxArtifactStride = 4;
inline constexpr int kMaxArtifactImageSide = 2048;
// image (1, 1, H, W) with H, W in 1..2048; kernel 1..8; stride 1..4.
Result<ArtifactDemo> checkerboard_artifact_demo(const Tensor& image, int kernel, int stride);

}  // namespace convlab::explore
