// ConvExplorer: everything the convolution panel shows, as plain data. The
// panel edits settings through the setters (each refuses bad values with an
// Error and leaves the state as it was) and draws what the getters return.
//
// Derived data (padding, output size, formula, reference output, trace, hover
// index) is computed lazily and cached: a setter only marks it stale, and the
// next getter recomputes it once. Geometry (sizes, formula, reason) and the
// trace are cached separately so that a caller that only needs sizes (a
// slider preview, the exhaustive sweep test) never builds a trace.
//
// Settings that give no output never throw: has_output() is false, reason()
// says why in a sentence from conv_arithmetic, and stepping has no steps.
//
// The same sliding window also pools (the operation setting): max or average
// pooling as PyTorch's MaxPool2d / AvgPool2d (core/ops/pool.h), the kernel
// size being the window's and padding, stride and dilation shared. A pool has
// no weights: each input channel is pooled on its own, so there are as many
// outputs as input channels, and the filters' values are kept, unused, for
// a switch back to convolution.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"
#include "core/explore/explorer_input.h"
#include "core/explore/presets.h"
#include "core/explore/stepper.h"
#include "core/ops/pool.h"
#include "core/ops/trace.h"

namespace convlab::explore {

inline constexpr int kMaxInputSide = 32;
inline constexpr int kMaxInputChannels = 3;
inline constexpr int kMaxKernelSide = 7;
inline constexpr int kMaxFilters = 4;
inline constexpr int kMaxStride = 4;
inline constexpr int kMaxDilation = 4;
inline constexpr int kMaxCustomPadding = 32;  // per side; 'full' with a 7-tap kernel at dilation 4 needs 24

// What the window computes.
enum class ConvOperation { Convolution, MaxPool, AveragePool };
// "conv", "maxpool", "avgpool": the settings' names (`convlab trace`'s ops).
const char* operation_name(ConvOperation operation);
// One of those names; anything else is an error that lists them.
Result<ConvOperation> parse_operation(const std::string& name);

// Everything the user sets; values are stored flat in PyTorch's layouts.
struct ExploreSettings {
  int input_h = 5, input_w = 5, in_channels = 1;
  int kernel_h = 3, kernel_w = 3, out_channels = 1;
  PaddingPreset padding_preset = PaddingPreset::Valid;
  Padding2d custom_padding;  // used when padding_preset == Custom
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  uint64_t seed = 1;
  std::vector<float> input;   // C*H*W
  std::vector<float> weight;  // O*C*KH*KW
  std::vector<float> bias;    // O
  // The preset that produced the values, or nullopt once they were edited
  // (or came from a photo). A live preset is re-applied on resize / reseed.
  std::optional<InputPreset> input_preset = InputPreset::Numbers;
  std::optional<KernelPreset> kernel_preset = KernelPreset::Sharpen;
  ConvOperation operation = ConvOperation::Convolution;
  bool count_include_pad = true;  // average pool: padding zeros in the divisor (PyTorch's default)
  bool ceil_mode = false;         // pools: round the output size up (PyTorch's ceil_mode)
};

// Sizes and the formula: cheap, always available.
struct ExploreGeometry {
  bool valid = false;
  std::string reason;  // why there is no output (when !valid)
  Padding2d padding;   // resolved (zeros when the padding itself is impossible)
  Conv2dParams params;
  Size2d padded;
  Size2d output;        // 0x0 when !valid
  std::string formula;  // conv2d_formula (pool2d_formula when pooling) with the numbers; empty if
                        // padding could not be resolved
};

// One entry of a hover list: output cell `step_index` uses the hovered input
// cell through kernel (or pooling window) tap (ky, kx).
struct Contribution {
  int step_index = 0;
  int out_channel = 0, out_y = 0, out_x = 0;
  int ky = 0, kx = 0;
  int tap_index = 0;  // index into that step's taps
};

class ConvExplorer {
 public:
  ConvExplorer();  // 5x5 'numbers' input, one 3x3 'sharpen' filter, bias 0, valid, stride 1, dilation 1

  // ---- settings ------------------------------------------------------------
  Status set_input_size(int height, int width);   // 1..32 each
  Status set_in_channels(int channels);           // 1..3
  Status set_out_channels(int filters);           // 1..4
  Status set_kernel_size(int height, int width);  // 1..7 each
  Status set_input_value(int c, int y, int x, float value);
  Status set_input_values(std::vector<float> values);  // C*H*W values
  Status set_weight(int o, int c, int ky, int kx, float value);
  Status set_weights(std::vector<float> values);  // O*C*KH*KW values
  Status set_bias(int o, float value);
  Status set_biases(std::vector<float> values);  // O values
  void apply_input_preset(InputPreset preset);
  // Every filter and channel gets the preset (random: different per filter
  // and channel). Fails, changing nothing, when the preset does not fit.
  Status apply_kernel_preset(KernelPreset preset);
  // Replaces the input by a grayscale patch: input size becomes the crop
  // size, one input channel.
  Status set_input_from_photo(const RgbImage& image, CropRect crop, LumaRange range);
  void set_padding_preset(PaddingPreset preset);        // Custom uses custom_padding
  Status set_custom_padding(Padding2d padding);         // also selects Custom; 0..32 per side
  Status set_stride(int stride_h, int stride_w);        // 1..4 each
  Status set_dilation(int dilation_h, int dilation_w);  // 1..4 each
  void set_seed(uint64_t seed);                         // re-applies live random presets
  void set_operation(ConvOperation operation);          // keeps every other setting
  void set_count_include_pad(bool counts);              // average pool only; kept otherwise
  void set_ceil_mode(bool ceil_mode);                   // pools only; kept otherwise

  const ExploreSettings& settings() const { return s_; }
  bool pooling() const { return s_.operation != ConvOperation::Convolution; }
  // Output channels: the filters of a convolution, the input channels of a pool.
  int output_channels() const { return pooling() ? s_.in_channels : s_.out_channels; }
  // The pool's window and settings (kind Max while convolving).
  PoolOptions pool_options() const;
  float input_value(int c, int y, int x) const;
  float weight(int o, int c, int ky, int kx) const;
  float bias(int o) const { return s_.bias[static_cast<size_t>(o)]; }
  Tensor input_tensor() const;   // (1, C, H, W)
  Tensor weight_tensor() const;  // (O, C, KH, KW)
  Tensor bias_tensor() const;    // (O)

  // ---- derived -----------------------------------------------------------
  const ExploreGeometry& geometry() const;
  bool has_output() const { return geometry().valid; }
  const std::string& reason() const { return geometry().reason; }
  // Built on first use after a change. An empty trace (no steps) when there
  // is no output; trace_error() then says why (geometry or trace size limit).
  // trace() is the convolution's (empty while pooling), pool_trace() the
  // pool's (empty while convolving).
  const ConvTrace& trace() const;
  const PoolTrace& pool_trace() const;
  // reference::conv2d (1, O, OH, OW) or reference::pool2d (1, C, OH, OW);
  // empty when no output.
  const Tensor& output() const;
  const std::string& trace_error() const;
  // Output cells of every step that read input cell (c, y, x), in step order;
  // padding taps are in no list. Empty for cells outside the input.
  const std::vector<Contribution>& contributions_of(int c, int y, int x) const;

  // ---- stepping ----------------------------------------------------------
  // Steps are the trace's: per output channel, then row-major.
  int step_count() const;
  int step_index() const;                     // clamped to [0, step_count-1]; 0 when there are none
  const ConvStep* current_step() const;       // nullptr when there is no output or while pooling
  const PoolStep* current_pool_step() const;  // nullptr when there is no output or while convolving
  void set_step(int index);                   // clamped
  void step_forward() { set_step(step_index() + 1); }
  void step_back() { set_step(step_index() - 1); }
  void to_start() { set_step(0); }
  void to_end() { set_step(step_count() - 1); }
  int step_of_cell(int out_channel, int out_y, int out_x) const;  // -1 outside the output
  Status jump_to_cell(int out_channel, int out_y, int out_x);

  bool playing() const { return stepper_.playing(); }
  void play();  // restarts from the beginning when at the end
  void pause() { stepper_.pause(); }
  double steps_per_second() const { return stepper_.steps_per_second(); }
  Status set_steps_per_second(double rate);  // (0, 1000]
  // Moves floor(accumulated seconds * rate) steps while playing; stops at the
  // last step. Returns how many steps it moved.
  int advance(double seconds);

  // "a*w + ... + b = y" of the current step (empty without output); while
  // pooling "max(...) = m" or "(a + ...) / n = s / n = m" (step_text.h).
  std::string current_arithmetic(int significant_digits = 0) const;
  // While pooling, what the window's padding does in the current step
  // (step_text.h's pool_step_note); empty otherwise.
  std::string current_note() const;

 private:
  void changed();         // settings changed: derived data is stale
  ExplorerInput input();  // the input fields of s_, to edit
  void resize_kernel(int filters, int channels, int height, int width);
  void regenerate_kernel();  // only for a preset that fits the current size
  Status check_input_cell(int c, int y, int x) const;

  ExploreSettings s_;
  Stepper stepper_;

  struct TraceCache {
    ConvTrace trace;
    PoolTrace pool;
    Tensor output;
    std::string error;
    std::vector<std::vector<Contribution>> contributions;  // per input cell, (c*H + y)*W + x
  };
  mutable std::optional<ExploreGeometry> geometry_;
  // The UI language the cached text (formula, reason) was written in: a
  // language switch writes it again.
  mutable std::string text_language_;
  mutable std::optional<TraceCache> trace_;
  const TraceCache& cache() const;  // builds trace_ when stale
};

}  // namespace convlab::explore
