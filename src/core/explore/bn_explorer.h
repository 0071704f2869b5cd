// BnExplorer: everything the batch-normalization panel shows, as plain data.
// Like ConvExplorer, setters refuse bad values with an Error (naming the
// setting, what is wrong and what is valid) and leave the state as it was;
// derived data (the trace, one channel's numbers and formulas, histograms) is
// computed lazily and cached until the next change.
//
// The mini-batch is N x C x H x W activations. They are random by default
// (per channel: mean + scale * a standard normal draw, from the seed), or real
// activations the network panel feeds with set_batch_values(). The op itself
// is reference::batch_norm2d / trace_batch_norm2d: in train mode it
// normalizes with the batch's mean and biased variance, in eval mode with the
// running statistics.
//
// The running statistics are state: showing a batch does not change them
// (the trace shows their before/after values); next_batch() is the training
// step that commits the shown batch's update and draws the next batch, so the
// history plot shows running_mean/var converging step by step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/tensor.h"
#include "core/explore/activation_stats.h"
#include "core/ops/trace.h"

namespace convlab::explore {

// Random batches: small enough that every value can be listed.
inline constexpr int kMaxBnBatch = 16;
inline constexpr int kMaxBnChannels = 8;
inline constexpr int kMaxBnSide = 16;
// Fed activations are a real layer's: more channels and a bigger map.
inline constexpr int kMaxBnLayerChannels = 1024;
inline constexpr int kMaxBnLayerSide = 512;
inline constexpr int64_t kMaxBnLayerValues = int64_t{1} << 22;
inline constexpr int kMaxHistogramBins = 64;

enum class BnMode { Train, Eval };
const char* bn_mode_name(BnMode mode);                  // "train", "eval"
Result<BnMode> parse_bn_mode(const std::string& name);  // case-insensitive; errors list the names

enum class BnSource { Random, Layer };

// Everything the user sets. Per-channel vectors have `channels` entries.
struct BnSettings {
  int batch = 4, channels = 3, height = 4, width = 4;
  BnSource source = BnSource::Random;
  std::string layer;  // the layer asked for (source Layer); empty for values fed without a name
  uint64_t seed = 1;
  // Random source: value = mean[c] + scale[c] * normal. Away from 0 and 1 on
  // purpose, so normalization visibly moves and squeezes the values.
  std::vector<float> mean, scale;
  std::vector<float> gamma, beta;  // the layer's weight and bias
  float eps = 1e-5f, momentum = 0.1f;
  BnMode mode = BnMode::Train;
  int channel = 0;  // the channel the statistics panel shows
  int bins = 16;
  bool shared_range = true;  // the three histograms share one value range
};
inline constexpr float kDefaultBnMean = 4.0f;
inline constexpr float kDefaultBnScale = 2.0f;

// Histograms: make_histogram in activation_stats.h.

// The chosen channel's numbers: its N*H*W values in (n, y, x) order, what
// normalization made of them, and the trace's statistics.
struct BnChannelView {
  int channel = 0;
  int64_t count = 0;  // m = N*H*W
  std::vector<float> values, normalized, outputs;
  // Accumulated in double in batch_norm_statistics' order, for the formulas.
  double sum = 0, squared_deviations = 0;
  BatchNormChannelTrace stats;  // zeros when there is no output
};

// The formulas of the chosen channel with the numbers put in, e.g.
// "mean = (x1 + ... + x64) / 64 = 256.3 / 64 = 4.004".
struct BnFormulas {
  std::string mean, biased_var, unbiased_var, inv_std, normalize, output, running_mean, running_var;
};

struct BnHistograms {
  Histogram input, normalized, output;  // normalized/output empty (no bins) without output
};

// Running statistics after a number of training steps, for the history plot.
struct BnRunningPoint {
  int64_t batches = 0;  // num_batches_tracked
  std::vector<float> mean, var;
};

// The same batch through both modes, so the panel can show they differ and why.
struct BnComparison {
  Tensor train_output, eval_output;
  std::vector<float> train_mean, train_var;  // train normalizes with the batch's mean and biased variance
  std::vector<float> eval_mean, eval_var;    // eval with running_mean and running_var
  float max_difference = 0;                  // max |train - eval| over the batch
};

class BnExplorer {
 public:
  BnExplorer();  // 4 x 3 x 4x4 random batch (mean 4, scale 2, seed 1), gamma 1, beta 0, train

  // ---- settings ------------------------------------------------------------
  // A new shape draws random values: a layer's activations have the layer's
  // shape, so these switch the source back to random.
  Status set_batch(int batch);        // 1..16
  Status set_channels(int channels);  // 1..8; new channels: mean 4, scale 2, gamma 1, beta 0, running 0/1
  Status set_size(int height, int width);    // 1..16 each
  Status set_channel(int channel);           // 0..C-1: the channel the panel shows
  Status set_mean(int channel, float mean);  // finite
  Status set_means(std::vector<float> means);
  Status set_scale(int channel, float scale);  // finite, >= 0
  Status set_scales(std::vector<float> scales);
  void set_seed(uint64_t seed);  // redraws a random batch
  void use_random_source();      // redraws from mean, scale and seed
  // Records that the panel wants layer `name`'s activations (the app feeds
  // them with set_batch_values); until then the values stay as they are.
  // Names: 1..64 letters, digits, '_', '.' or '-', e.g. conv1_bn.
  Status request_layer(const std::string& name);
  // Real activations (N,C,H,W): N 1..16, C 1..1024, H and W 1..512, at most
  // 4M values, all finite. `label` says where they came from ("conv3, photo
  // of a cat"). Per-channel settings keep their values where the channel
  // still exists.
  Status set_batch_values(const Tensor& values, std::string label);

  Status set_gamma(int channel, float gamma);  // finite
  Status set_gammas(std::vector<float> gammas);
  Status set_beta(int channel, float beta);  // finite
  Status set_betas(std::vector<float> betas);
  Status set_eps(float eps);            // 0..1 (PyTorch: 1e-5)
  Status set_momentum(float momentum);  // 0..1 (PyTorch: 0.1)
  void set_mode(BnMode mode);
  // Replaces the running statistics (C values each; var >= 0) and restarts
  // the history plot from them.
  Status set_running(std::vector<float> mean, std::vector<float> var);
  Status set_bins(int bins);  // 1..64
  void set_shared_range(bool shared);

  const BnSettings& settings() const { return s_; }
  // True once a named layer's values arrived (set_batch_values after
  // request_layer): the batch's shape and values are the layer's own.
  bool layer_loaded() const { return layer_loaded_; }
  const Tensor& values() const { return values_; }  // (N, C, H, W)
  // Where the values come from, in words: "random: mean + scale * normal,
  // seed 1", the label of fed values, or the layer asked for.
  std::string source_label() const;
  const Tensor& running_mean() const { return running_mean_; }
  const Tensor& running_var() const { return running_var_; }
  int64_t batches_tracked() const { return batches_tracked_; }
  const std::vector<BnRunningPoint>& history() const { return history_; }  // [0]: after the last reset
  Tensor gamma_tensor() const;
  Tensor beta_tensor() const;
  reference::BatchNormParams params() const;

  // ---- derived -----------------------------------------------------------
  // Train mode needs more than one value per channel (PyTorch's rule); else
  // has_output() is false and reason() says why.
  bool has_output() const;
  const std::string& reason() const;
  const BatchNormTrace& trace() const;  // empty (no channels) without output
  // reference::batch_norm2d on copies of the running statistics (showing a
  // batch updates nothing); empty without output.
  const Tensor& output() const;
  const BnChannelView& channel_view() const;
  BnFormulas formulas(int significant_digits = 4) const;
  // "y7 = (5.1 - 4.004) * 0.5058 * 1 + 0 = 0.5543" for value `index` (0-based,
  // shown 1-based) of the chosen channel; empty outside or without output.
  std::string value_formula(int index, int significant_digits = 4) const;
  const BnHistograms& histograms() const;

  // ---- train vs eval ---------------------------------------------------------
  // The training step. Train mode: commits the shown batch's running update
  // (exactly reference::batch_norm2d's) and adds a history point; eval mode
  // changes no statistics. Then a random source draws the next batch (seed + 1);
  // fed values stay until the app feeds more. Fails, changing nothing, when
  // train mode has no output.
  Status next_batch();
  // running_mean 0, running_var 1 (PyTorch's initial values), no batches
  // tracked, the history restarted.
  void reset_running();
  // Both modes on the shown batch, the running statistics untouched.
  Result<BnComparison> compare_train_eval() const;

 private:
  void changed();
  void redraw();  // random values from the settings
  void resize_channels(int channels);
  void restart_history();
  Status check_channel(const char* what, int channel) const;

  BnSettings s_;
  Tensor values_;
  std::string values_label_;   // what fed the values (source Layer)
  bool layer_loaded_ = false;  // values came from set_batch_values after the request
  Tensor running_mean_, running_var_;
  int64_t batches_tracked_ = 0;
  std::vector<BnRunningPoint> history_;

  struct TraceCache {
    BatchNormTrace trace;
    Tensor output;
    std::string error;
  };
  mutable std::optional<TraceCache> trace_;
  // The UI language the cached text (the reason there is no output) was written in: a
  // language switch writes it again.
  mutable std::string text_language_;
  mutable std::optional<BnChannelView> view_;
  mutable std::optional<BnHistograms> histograms_;
};

}  // namespace convlab::explore
