#include "core/explore/bn_explorer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <sstream>

#include "core/base/i18n.h"
#include "core/explore/explorer_input.h"
#include "core/explore/presets.h"
#include "core/explore/step_text.h"
#include "core/ops/reference.h"

namespace convlab::explore {

namespace {

constexpr double kPi = 3.14159265358979323846;

// A number in a message: as a stream writes it (%g), with the UI language's
// decimal mark.
std::string number(double value) {
  std::ostringstream out;
  out << value;
  return i18n::display_text(out.str());
}

// `what` is a setting's key ("gamma") or "KEY of channel N".
Status check_finite(const std::string& what, float value) {
  if (std::isfinite(value)) return {};
  return Error{format(tr("%s is %s but must be a finite number"), what.c_str(), number(value).c_str())};
}

// A standard normal draw by Box-Muller from the presets' splitmix64 stream:
// the same seed gives the same batch with any standard library
// (std::normal_distribution's algorithm is each library's own choice).
double normal(SeededRandom& random) {
  const double u1 = (static_cast<double>(random.next() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]: log is finite
  const double u2 = static_cast<double>(random.next() >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
}

// Keeps the first `count` values, pads with `fill`.
void resize_with(std::vector<float>& values, int count, float fill) {
  values.resize(static_cast<size_t>(count), fill);
}

void resize_with(Tensor& values, int count, float fill) {
  std::vector<float> kept = values.values();
  kept.resize(static_cast<size_t>(count), fill);
  values = Tensor::from_data({count}, std::move(kept)).value();
}

// Streams the parts into one string; the caller formats the floats.
template <class... Parts>
std::string text(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

// "x1 + x2 + x3" when short, "x1 + ... + x64" otherwise.
std::string sum_of(int64_t count, const std::string& before, const std::string& after) {
  std::ostringstream out;
  for (int64_t i = 1; i <= std::min<int64_t>(count, 3); ++i) {
    if (count > 3 && i == 2) {
      out << " + ... + " << before << count << after;
      break;
    }
    out << (i > 1 ? " + " : "") << before << i << after;
  }
  return out.str();
}

}  // namespace

const char* bn_mode_name(BnMode mode) { return mode == BnMode::Train ? "train" : "eval"; }

Result<BnMode> parse_bn_mode(const std::string& name) {
  static constexpr std::array<const char*, 2> kModes = {"train", "eval"};
  if (const auto index = find_name(kModes, name)) return *index == 0 ? BnMode::Train : BnMode::Eval;
  return Error{format(tr("unknown mode '%s': use train or eval"), name.c_str())};
}

// ---- histograms ---------------------------------------------------------------

namespace {

// The finite values' range, over one or more lists.
void extend_range(const std::vector<float>& values, float& low, float& high) {
  for (float v : values)
    if (std::isfinite(v)) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
}

Histogram histogram_of(const std::vector<float>& values, int bins) {
  float low = INFINITY, high = -INFINITY;
  extend_range(values, low, high);
  if (!(low <= high)) low = high = 0.0f;  // no finite value
  return make_histogram(values, bins, low, high);
}

}  // namespace

// ---- settings ---------------------------------------------------------------

BnExplorer::BnExplorer() {
  resize_channels(s_.channels);
  reset_running();
  redraw();
}

void BnExplorer::changed() {
  trace_.reset();
  view_.reset();
  histograms_.reset();
}

void BnExplorer::redraw() {
  values_ = Tensor({s_.batch, s_.channels, s_.height, s_.width});
  SeededRandom random(s_.seed);
  for (int n = 0; n < s_.batch; ++n)
    for (int c = 0; c < s_.channels; ++c)
      for (int y = 0; y < s_.height; ++y)
        for (int x = 0; x < s_.width; ++x) {
          const double z = normal(random);
          values_.at(n, c, y, x) = static_cast<float>(
              s_.mean[static_cast<size_t>(c)] + static_cast<double>(s_.scale[static_cast<size_t>(c)]) * z);
        }
  changed();
}

// Per-channel settings and running statistics follow the channel count: kept
// where the channel still exists, defaults for new ones.
void BnExplorer::resize_channels(int channels) {
  const bool same = channels == static_cast<int>(s_.gamma.size()) && running_mean_.numel() == channels;
  s_.channels = channels;
  resize_with(s_.mean, channels, kDefaultBnMean);
  resize_with(s_.scale, channels, kDefaultBnScale);
  resize_with(s_.gamma, channels, 1.0f);
  resize_with(s_.beta, channels, 0.0f);
  resize_with(running_mean_, channels, 0.0f);
  resize_with(running_var_, channels, 1.0f);
  s_.channel = std::min(s_.channel, channels - 1);
  if (!same) restart_history();  // the plot's lines are per channel
}

void BnExplorer::restart_history() {
  history_.assign(1, BnRunningPoint{batches_tracked_, running_mean_.values(), running_var_.values()});
}

Status BnExplorer::check_channel(const char* what, int channel) const {
  if (channel >= 0 && channel < s_.channels) return {};
  return Error{format(tr("%s channel is %d but must be 0..%d (there are %d channels)"), what, channel,
                      s_.channels - 1, s_.channels)};
}

Status BnExplorer::set_batch(int batch) {
  CONVLAB_TRY(check_range(tr_noop("batch size"), batch, 1, kMaxBnBatch));
  s_.batch = batch;
  use_random_source();
  return {};
}

Status BnExplorer::set_channels(int channels) {
  CONVLAB_TRY(check_range(tr_noop("channels"), channels, 1, kMaxBnChannels));
  resize_channels(channels);
  use_random_source();
  return {};
}

Status BnExplorer::set_size(int height, int width) {
  CONVLAB_TRY(check_range(tr_noop("height"), height, 1, kMaxBnSide));
  CONVLAB_TRY(check_range(tr_noop("width"), width, 1, kMaxBnSide));
  s_.height = height;
  s_.width = width;
  use_random_source();
  return {};
}

Status BnExplorer::set_channel(int channel) {
  // TRANSLATORS: the channel the panel shows, in "%s channel is %d but must be 0..%d (there are %d
  // channels)".
  CONVLAB_TRY(check_channel(tr("shown"), channel));
  s_.channel = channel;
  view_.reset();
  histograms_.reset();
  return {};
}

Status BnExplorer::set_mean(int channel, float mean) {
  CONVLAB_TRY(check_channel("mean", channel));
  CONVLAB_TRY(check_finite("mean", mean));
  s_.mean[static_cast<size_t>(channel)] = mean;
  if (s_.source == BnSource::Random) redraw();
  return {};
}

Status BnExplorer::set_scale(int channel, float scale) {
  CONVLAB_TRY(check_channel("scale", channel));
  CONVLAB_TRY(check_finite("scale", scale));
  if (scale < 0.0f)
    return Error{
        format(tr("%s is %s but must be >= 0 (it is a standard deviation)"), "scale", number(scale).c_str())};
  s_.scale[static_cast<size_t>(channel)] = scale;
  if (s_.source == BnSource::Random) redraw();
  return {};
}

namespace {

// One value per channel, each accepted by `check`.
template <class Check>
Status check_per_channel(const char* what, const std::vector<float>& values, int channels, Check check) {
  if (values.size() != static_cast<size_t>(channels))
    return Error{format(tr("%s: got %zu values but there are %d channels: give one per channel"), what,
                        values.size(), channels)};
  for (size_t c = 0; c < values.size(); ++c)
    CONVLAB_TRY(check(format(tr("%s of channel %zu"), what, c), values[c]));
  return {};
}

Status check_scale(const std::string& what, float scale) {
  CONVLAB_TRY(check_finite(what, scale));
  if (scale < 0.0f)
    return Error{format(tr("%s is %s but must be >= 0 (it is a standard deviation)"), what.c_str(),
                        number(scale).c_str())};
  return {};
}

Status check_variance(const std::string& what, float var) {
  CONVLAB_TRY(check_finite(what, var));
  if (var < 0.0f)
    return Error{
        format(tr("%s is %s but must be >= 0 (it is a variance)"), what.c_str(), number(var).c_str())};
  return {};
}

}  // namespace

Status BnExplorer::set_means(std::vector<float> means) {
  CONVLAB_TRY(check_per_channel("mean", means, s_.channels, check_finite));
  s_.mean = std::move(means);
  if (s_.source == BnSource::Random) redraw();
  return {};
}

Status BnExplorer::set_scales(std::vector<float> scales) {
  CONVLAB_TRY(check_per_channel("scale", scales, s_.channels, check_scale));
  s_.scale = std::move(scales);
  if (s_.source == BnSource::Random) redraw();
  return {};
}

void BnExplorer::set_seed(uint64_t seed) {
  s_.seed = seed;
  if (s_.source == BnSource::Random) redraw();
}

void BnExplorer::use_random_source() {
  // Back from a layer's batch (128 channels of 64x64, say): the random
  // values keep within their own limits, so the state stays one that
  // settings text can set again.
  if (s_.channels > kMaxBnChannels) resize_channels(kMaxBnChannels);
  s_.height = std::min(s_.height, kMaxBnSide);
  s_.width = std::min(s_.width, kMaxBnSide);
  s_.source = BnSource::Random;
  s_.layer.clear();
  values_label_.clear();
  layer_loaded_ = false;
  redraw();
}

Status BnExplorer::request_layer(const std::string& name) {
  const bool name_ok =
      !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-';
      });
  if (!name_ok)
    return Error{
        format(tr("layer name '%s' is not valid: use 1..64 letters, digits, '_', '.' or '-' (a layer of "
                  "the loaded model, e.g. conv1_bn)"),
               name.c_str())};
  s_.source = BnSource::Layer;
  s_.layer = name;
  layer_loaded_ = false;
  return {};
}

Status BnExplorer::set_batch_values(const Tensor& values, std::string label) {
  if (values.rank() != 4)
    return Error{format(tr("batch values have shape %s but must be N x C x H x W (4 dimensions)"),
                        shape_to_string(values.shape()).c_str())};
  CONVLAB_TRY(check_range(tr_noop("batch values: batch size"),
                          static_cast<int>(std::min<int64_t>(values.n(), 1 << 30)), 1, kMaxBnBatch));
  CONVLAB_TRY(check_range(tr_noop("batch values: channels"),
                          static_cast<int>(std::min<int64_t>(values.c(), 1 << 30)), 1, kMaxBnLayerChannels));
  CONVLAB_TRY(check_range(tr_noop("batch values: height"),
                          static_cast<int>(std::min<int64_t>(values.h(), 1 << 30)), 1, kMaxBnLayerSide));
  CONVLAB_TRY(check_range(tr_noop("batch values: width"),
                          static_cast<int>(std::min<int64_t>(values.w(), 1 << 30)), 1, kMaxBnLayerSide));
  if (values.numel() > kMaxBnLayerValues)
    return Error{
        format(tr("batch values have %lld values (%s) but at most %lld fit: use fewer images or a smaller "
                  "map"),
               static_cast<long long>(values.numel()), shape_to_string(values.shape()).c_str(),
               static_cast<long long>(kMaxBnLayerValues))};
  for (int64_t i = 0; i < values.numel(); ++i)
    if (!std::isfinite(values[i]))
      return Error{format(tr("batch values: value %lld is %s: every activation must be finite"),
                          static_cast<long long>(i), number(values[i]).c_str())};
  s_.batch = static_cast<int>(values.n());
  s_.height = static_cast<int>(values.h());
  s_.width = static_cast<int>(values.w());
  resize_channels(static_cast<int>(values.c()));
  values_ = values;
  s_.source = BnSource::Layer;
  values_label_ = std::move(label);
  layer_loaded_ = true;
  changed();
  return {};
}

Status BnExplorer::set_gamma(int channel, float gamma) {
  CONVLAB_TRY(check_channel("gamma", channel));
  CONVLAB_TRY(check_finite("gamma", gamma));
  s_.gamma[static_cast<size_t>(channel)] = gamma;
  changed();
  return {};
}

Status BnExplorer::set_gammas(std::vector<float> gammas) {
  CONVLAB_TRY(check_per_channel("gamma", gammas, s_.channels, check_finite));
  s_.gamma = std::move(gammas);
  changed();
  return {};
}

Status BnExplorer::set_beta(int channel, float beta) {
  CONVLAB_TRY(check_channel("beta", channel));
  CONVLAB_TRY(check_finite("beta", beta));
  s_.beta[static_cast<size_t>(channel)] = beta;
  changed();
  return {};
}

Status BnExplorer::set_betas(std::vector<float> betas) {
  CONVLAB_TRY(check_per_channel("beta", betas, s_.channels, check_finite));
  s_.beta = std::move(betas);
  changed();
  return {};
}

Status BnExplorer::set_eps(float eps) {
  if (!(eps >= 0.0f && eps <= 1.0f))
    return Error{
        format(tr("eps is %s but must be from 0 to 1 (PyTorch uses 1e-5; it keeps 1/sqrt(var + eps) finite "
                  "when a channel is constant)"),
               number(eps).c_str())};
  s_.eps = eps;
  changed();
  return {};
}

Status BnExplorer::set_momentum(float momentum) {
  if (!(momentum >= 0.0f && momentum <= 1.0f))
    return Error{
        format(tr("momentum is %s but must be from 0 to 1 (PyTorch uses 0.1: each batch moves the running "
                  "statistics a tenth of the way)"),
               number(momentum).c_str())};
  s_.momentum = momentum;
  changed();
  return {};
}

void BnExplorer::set_mode(BnMode mode) {
  s_.mode = mode;
  changed();
}

Status BnExplorer::set_running(std::vector<float> mean, std::vector<float> var) {
  CONVLAB_TRY(check_per_channel("running_mean", mean, s_.channels, check_finite));
  CONVLAB_TRY(check_per_channel("running_var", var, s_.channels, check_variance));
  const int channels = s_.channels;
  running_mean_ = Tensor::from_data({channels}, std::move(mean)).value();
  running_var_ = Tensor::from_data({channels}, std::move(var)).value();
  restart_history();
  changed();
  return {};
}

Status BnExplorer::set_bins(int bins) {
  CONVLAB_TRY(check_range(tr_noop("histogram bins"), bins, 1, kMaxHistogramBins));
  s_.bins = bins;
  histograms_.reset();
  return {};
}

void BnExplorer::set_shared_range(bool shared) {
  s_.shared_range = shared;
  histograms_.reset();
}

std::string BnExplorer::source_label() const {
  std::ostringstream out;
  if (s_.source == BnSource::Random) {
    out << "random: mean + scale * normal, seed " << s_.seed;
  } else if (layer_loaded_) {
    out << values_label_;
  } else {
    out << "layer " << s_.layer << " (asked for; its activations are not loaded yet, so the values shown are "
        << "the previous ones)";
  }
  return out.str();
}

Tensor BnExplorer::gamma_tensor() const { return Tensor::from_data({s_.channels}, s_.gamma).value(); }
Tensor BnExplorer::beta_tensor() const { return Tensor::from_data({s_.channels}, s_.beta).value(); }

reference::BatchNormParams BnExplorer::params() const {
  reference::BatchNormParams p;
  p.training = s_.mode == BnMode::Train;
  p.momentum = s_.momentum;
  p.eps = s_.eps;
  return p;
}

// ---- derived ----------------------------------------------------------------

const BatchNormTrace& BnExplorer::trace() const {
  if (trace_ && (trace_->error.empty() || text_language_ == i18n::language_tag())) return trace_->trace;
  text_language_ = i18n::language_tag();
  TraceCache cache;
  const Tensor gamma = gamma_tensor(), beta = beta_tensor();
  auto trace = trace_batch_norm2d(values_, gamma, beta, running_mean_, running_var_, params());
  // The op updates running statistics in place: it gets copies.
  Tensor mean = running_mean_, var = running_var_;
  auto output = reference::batch_norm2d(values_, gamma, beta, mean, var, params());
  if (!trace.ok() || !output.ok()) {
    cache.error = trace.ok() ? output.message() : trace.message();
  } else {
    cache.trace = std::move(trace).value();
    cache.output = std::move(output).value();
  }
  trace_ = std::move(cache);
  return trace_->trace;
}

bool BnExplorer::has_output() const { return !trace().channels.empty(); }

const std::string& BnExplorer::reason() const {
  trace();
  return trace_->error;
}

const Tensor& BnExplorer::output() const {
  trace();
  return trace_->output;
}

const BnChannelView& BnExplorer::channel_view() const {
  if (view_) return *view_;
  BnChannelView v;
  const int c = s_.channel;
  v.channel = c;
  v.count = values_.n() * values_.h() * values_.w();
  const BatchNormTrace& t = trace();
  for (int64_t n = 0; n < values_.n(); ++n)
    for (int64_t y = 0; y < values_.h(); ++y)
      for (int64_t x = 0; x < values_.w(); ++x) {
        v.values.push_back(values_.at(n, c, y, x));
        v.sum += values_.at(n, c, y, x);
        if (!t.channels.empty()) {
          v.normalized.push_back(t.normalized.at(n, c, y, x));
          v.outputs.push_back(t.output.at(n, c, y, x));
        }
      }
  const double mean = v.sum / static_cast<double>(v.count);  // batch_norm_statistics' double mean
  for (float x : v.values) v.squared_deviations += (x - mean) * (x - mean);
  if (!t.channels.empty()) v.stats = t.channels[static_cast<size_t>(c)];
  view_ = std::move(v);
  return *view_;
}

BnFormulas BnExplorer::formulas(int digits) const {
  BnFormulas f;
  const BnChannelView& v = channel_view();
  const int64_t m = v.count;
  const bool train = s_.mode == BnMode::Train;
  auto n = [digits](float value) { return format_value(value, digits); };
  // The formulas are math, with PyTorch's names (running_mean, eps,
  // momentum); only the words a reader says aloud follow the language.
  const std::string mean_word = trc("bn formula", "mean"), var_word = trc("bn formula", "var");
  const std::string unbiased_word = trc("bn formula", "unbiased var");
  f.mean = text(mean_word, " = (", sum_of(m, "x", ""), ") / ", m, " = ", n(static_cast<float>(v.sum)), " / ",
                m, " = ", n(static_cast<float>(v.sum / static_cast<double>(m))));
  const std::string squares = text("(", sum_of(m, "(x", " - " + mean_word + ")^2"), ")");
  const std::string deviations = n(static_cast<float>(v.squared_deviations));
  f.biased_var = text(var_word, " = ", squares, " / ", m, " = ", deviations, " / ", m, " = ",
                      n(static_cast<float>(v.squared_deviations / static_cast<double>(m))));
  if (m > 1)
    f.unbiased_var = text(unbiased_word, " = ", squares, " / ", m - 1, " = ", deviations, " / ", m - 1, " = ",
                          n(static_cast<float>(v.squared_deviations / static_cast<double>(m - 1))));
  else
    f.unbiased_var = format(tr("unbiased var = %s / 0: undefined for a single value"), squares.c_str());
  if (!has_output()) return f;
  const BatchNormChannelTrace& s = v.stats;
  const std::string used_mean = train ? mean_word : "running_mean";
  const std::string used_var = train ? var_word : "running_var";
  f.inv_std = text("inv_std = 1 / sqrt(", used_var, " + eps) = 1 / sqrt(", n(s.used_var), " + ", n(s_.eps),
                   ") = ", n(s.inv_std));
  f.normalize = text("x^ = (x - ", used_mean, ") * inv_std = (x - ", n(s.used_mean), ") * ", n(s.inv_std));
  f.output = text("y = x^ * gamma + beta = x^ * ", n(s.gamma), " + ", n(s.beta));
  const std::string keep = n(1.0f - s_.momentum), momentum = n(s_.momentum);
  if (train) {
    f.running_mean =
        text("running_mean = (1 - momentum) * running_mean + momentum * ", mean_word, " = ", keep, " * ",
             n(s.running_mean_before), " + ", momentum, " * ", n(s.mean), " = ", n(s.running_mean_after));
    f.running_var = text("running_var = (1 - momentum) * running_var + momentum * ", unbiased_word, " = ",
                         keep, " * ", n(s.running_var_before), " + ", momentum, " * ", n(s.unbiased_var),
                         " = ", n(s.running_var_after));
  } else {
    f.running_mean =
        format(tr("running_mean = %s (eval does not update it)"), n(s.running_mean_before).c_str());
    f.running_var = format(tr("running_var = %s (eval does not update it)"), n(s.running_var_before).c_str());
  }
  return f;
}

std::string BnExplorer::value_formula(int index, int digits) const {
  const BnChannelView& v = channel_view();
  if (!has_output() || index < 0 || index >= static_cast<int>(v.values.size())) return {};
  const size_t i = static_cast<size_t>(index);
  const BatchNormChannelTrace& s = v.stats;
  std::ostringstream out;
  out << "y" << index + 1 << " = (" << format_value(v.values[i], digits) << " - "
      << format_value(s.used_mean, digits) << ") * " << format_value(s.inv_std, digits) << " * "
      << format_value(s.gamma, digits) << " + " << format_value(s.beta, digits) << " = "
      << format_value(v.outputs[i], digits);
  return out.str();
}

const BnHistograms& BnExplorer::histograms() const {
  if (histograms_) return *histograms_;
  const BnChannelView& v = channel_view();
  BnHistograms h;
  if (s_.shared_range) {
    float low = INFINITY, high = -INFINITY;
    extend_range(v.values, low, high);
    extend_range(v.normalized, low, high);
    extend_range(v.outputs, low, high);
    if (!(low <= high)) low = high = 0.0f;
    h.input = make_histogram(v.values, s_.bins, low, high);
    if (has_output()) {
      h.normalized = make_histogram(v.normalized, s_.bins, low, high);
      h.output = make_histogram(v.outputs, s_.bins, low, high);
    }
  } else {
    h.input = histogram_of(v.values, s_.bins);
    if (has_output()) {
      h.normalized = histogram_of(v.normalized, s_.bins);
      h.output = histogram_of(v.outputs, s_.bins);
    }
  }
  histograms_ = std::move(h);
  return *histograms_;
}

// ---- train vs eval ----------------------------------------------------------------

Status BnExplorer::next_batch() {
  if (s_.mode == BnMode::Train) {
    const Tensor gamma = gamma_tensor(), beta = beta_tensor();
    Tensor mean = running_mean_, var = running_var_;
    auto output = reference::batch_norm2d(values_, gamma, beta, mean, var, params());
    if (!output.ok()) return with_context("next batch: ", output.error());
    running_mean_ = std::move(mean);
    running_var_ = std::move(var);
    ++batches_tracked_;
    history_.push_back({batches_tracked_, running_mean_.values(), running_var_.values()});
  }
  if (s_.source == BnSource::Random) {
    ++s_.seed;
    redraw();
  }
  changed();
  return {};
}

void BnExplorer::reset_running() {
  running_mean_ = Tensor({s_.channels}, 0.0f);
  running_var_ = Tensor({s_.channels}, 1.0f);
  batches_tracked_ = 0;
  restart_history();
  changed();
}

Result<BnComparison> BnExplorer::compare_train_eval() const {
  const Tensor gamma = gamma_tensor(), beta = beta_tensor();
  reference::BatchNormParams p = params();
  BnComparison result;
  p.training = true;
  Tensor mean = running_mean_, var = running_var_;  // train updates these copies; they are dropped
  auto train = reference::batch_norm2d(values_, gamma, beta, mean, var, p);
  if (!train.ok()) return with_context("train vs eval: ", train.error());
  auto stats = reference::batch_norm_statistics(values_);
  if (!stats.ok()) return with_context("train vs eval: ", stats.error());
  p.training = false;
  mean = running_mean_;
  var = running_var_;
  auto eval = reference::batch_norm2d(values_, gamma, beta, mean, var, p);
  if (!eval.ok()) return with_context("train vs eval: ", eval.error());
  result.train_output = std::move(train).value();
  result.eval_output = std::move(eval).value();
  result.train_mean = stats->mean;
  result.train_var = stats->biased_var;
  result.eval_mean = running_mean_.values();
  result.eval_var = running_var_.values();
  result.max_difference = max_abs_difference(result.train_output, result.eval_output);
  return result;
}

}  // namespace convlab::explore
