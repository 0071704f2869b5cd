#include "core/explore/explorer.h"

#include <algorithm>
#include <cmath>

#include "core/base/i18n.h"
#include "core/explore/explorer_input.h"
#include "core/explore/step_text.h"
#include "core/ops/reference.h"

namespace convlab::explore {

const char* operation_name(ConvOperation operation) {
  switch (operation) {
    case ConvOperation::MaxPool:
      return "maxpool";
    case ConvOperation::AveragePool:
      return "avgpool";
    case ConvOperation::Convolution:
      break;
  }
  return "conv";
}

Result<ConvOperation> parse_operation(const std::string& name) {
  for (ConvOperation operation :
       {ConvOperation::Convolution, ConvOperation::MaxPool, ConvOperation::AveragePool})
    if (name == operation_name(operation)) return operation;
  return Error{format(tr("'%s' is not an operation; valid: conv, maxpool, avgpool"), name.c_str())};
}

ConvExplorer::ConvExplorer() {
  input().regenerate();
  s_.bias.assign(1, 0.0f);
  regenerate_kernel();
}

// The setters keep the sizes and the values in step, so from_data cannot fail.
Tensor ConvExplorer::input_tensor() const {
  return Tensor::from_data({1, s_.in_channels, s_.input_h, s_.input_w}, s_.input).value();
}

Tensor ConvExplorer::weight_tensor() const {
  return Tensor::from_data({s_.out_channels, s_.in_channels, s_.kernel_h, s_.kernel_w}, s_.weight).value();
}

Tensor ConvExplorer::bias_tensor() const { return Tensor::from_data({s_.out_channels}, s_.bias).value(); }

ExplorerInput ConvExplorer::input() {
  return {s_.input, s_.in_channels, s_.input_h, s_.input_w, s_.input_preset, s_.seed};
}

void ConvExplorer::changed() {
  geometry_.reset();
  trace_.reset();
}

// ---- settings ---------------------------------------------------------------

void ConvExplorer::resize_kernel(int filters, int channels, int height, int width) {
  std::vector<float> values(static_cast<size_t>(filters * channels * height * width), 0.0f);
  for (int o = 0; o < std::min(filters, s_.out_channels); ++o)
    for (int c = 0; c < std::min(channels, s_.in_channels); ++c)
      for (int y = 0; y < std::min(height, s_.kernel_h); ++y)
        for (int x = 0; x < std::min(width, s_.kernel_w); ++x)
          values[static_cast<size_t>(((o * channels + c) * height + y) * width + x)] = weight(o, c, y, x);
  s_.weight = std::move(values);
  s_.bias.resize(static_cast<size_t>(filters), 0.0f);
  s_.out_channels = filters;
  s_.kernel_h = height;
  s_.kernel_w = width;
  // A 3x3-only preset does not survive a resize: the kept values become custom.
  if (s_.kernel_preset && !kernel_preset_fits(*s_.kernel_preset, height, width).ok())
    s_.kernel_preset.reset();
  if (s_.kernel_preset) regenerate_kernel();
}

void ConvExplorer::regenerate_kernel() {
  const size_t per_kernel = static_cast<size_t>(s_.kernel_h * s_.kernel_w);
  s_.weight.assign(per_kernel * static_cast<size_t>(s_.out_channels * s_.in_channels), 0.0f);
  for (int k = 0; k < s_.out_channels * s_.in_channels; ++k) {
    auto values = make_kernel_preset(*s_.kernel_preset, s_.kernel_h, s_.kernel_w, kernel_seed(s_.seed, k));
    if (values.ok())
      std::copy(values->begin(), values->end(), s_.weight.begin() + static_cast<long>(per_kernel) * k);
  }
}

Status ConvExplorer::set_input_size(int height, int width) {
  CONVLAB_TRY(check_range(tr_noop("input height"), height, 1, kMaxInputSide));
  CONVLAB_TRY(check_range(tr_noop("input width"), width, 1, kMaxInputSide));
  input().resize(s_.in_channels, height, width);
  changed();
  return {};
}

Status ConvExplorer::set_in_channels(int channels) {
  CONVLAB_TRY(check_range(tr_noop("input channels"), channels, 1, kMaxInputChannels));
  // Both the input and every filter gain or lose the channel.
  const int old_channels = s_.in_channels;
  input().resize(channels, s_.input_h, s_.input_w);
  s_.in_channels = old_channels;  // resize_kernel reads the old layout
  resize_kernel(s_.out_channels, channels, s_.kernel_h, s_.kernel_w);
  s_.in_channels = channels;
  if (s_.kernel_preset) regenerate_kernel();
  changed();
  return {};
}

Status ConvExplorer::set_out_channels(int filters) {
  CONVLAB_TRY(check_range(tr_noop("filters (output channels)"), filters, 1, kMaxFilters));
  resize_kernel(filters, s_.in_channels, s_.kernel_h, s_.kernel_w);
  changed();
  return {};
}

Status ConvExplorer::set_kernel_size(int height, int width) {
  CONVLAB_TRY(check_range(tr_noop("kernel height"), height, 1, kMaxKernelSide));
  CONVLAB_TRY(check_range(tr_noop("kernel width"), width, 1, kMaxKernelSide));
  resize_kernel(s_.out_channels, s_.in_channels, height, width);
  changed();
  return {};
}

Status ConvExplorer::check_input_cell(int c, int y, int x) const {
  return check_input_cell_in(s_.in_channels, s_.input_h, s_.input_w, c, y, x);
}

float ConvExplorer::input_value(int c, int y, int x) const {
  return s_.input[static_cast<size_t>((c * s_.input_h + y) * s_.input_w + x)];
}

float ConvExplorer::weight(int o, int c, int ky, int kx) const {
  return s_.weight[static_cast<size_t>(((o * s_.in_channels + c) * s_.kernel_h + ky) * s_.kernel_w + kx)];
}

Status ConvExplorer::set_input_value(int c, int y, int x, float value) {
  CONVLAB_TRY(input().set_value(c, y, x, value));
  changed();
  return {};
}

Status ConvExplorer::set_input_values(std::vector<float> values) {
  CONVLAB_TRY(input().set_values(std::move(values)));
  changed();
  return {};
}

Status ConvExplorer::set_weight(int o, int c, int ky, int kx, float value) {
  if (o < 0 || o >= s_.out_channels || c < 0 || c >= s_.in_channels || ky < 0 || ky >= s_.kernel_h ||
      kx < 0 || kx >= s_.kernel_w)
    return Error{
        format(tr("weight (filter %d, channel %d, row %d, column %d) is outside the %dx%dx%dx%d weights"), o,
               c, ky, kx, s_.out_channels, s_.in_channels, s_.kernel_h, s_.kernel_w)};
  s_.weight[static_cast<size_t>(((o * s_.in_channels + c) * s_.kernel_h + ky) * s_.kernel_w + kx)] = value;
  s_.kernel_preset.reset();
  changed();
  return {};
}

Status ConvExplorer::set_weights(std::vector<float> values) {
  const size_t expected = static_cast<size_t>(s_.out_channels * s_.in_channels * s_.kernel_h * s_.kernel_w);
  if (values.size() != expected)
    return Error{
        format(tr("kernel values: got %zu but %d filter(s) x %d channel(s) x %dx%d need %zu (filter by "
                  "filter, then channel, rows left to right)"),
               values.size(), s_.out_channels, s_.in_channels, s_.kernel_h, s_.kernel_w, expected)};
  s_.weight = std::move(values);
  s_.kernel_preset.reset();
  changed();
  return {};
}

Status ConvExplorer::set_bias(int o, float value) {
  CONVLAB_TRY(check_range(tr_noop("bias filter index"), o, 0, s_.out_channels - 1));
  s_.bias[static_cast<size_t>(o)] = value;
  changed();
  return {};
}

Status ConvExplorer::set_biases(std::vector<float> values) {
  if (values.size() != static_cast<size_t>(s_.out_channels))
    return Error{format(tr("bias: got %zu values but there are %d filter(s): give one bias per filter"),
                        values.size(), s_.out_channels)};
  s_.bias = std::move(values);
  changed();
  return {};
}

void ConvExplorer::apply_input_preset(InputPreset preset) {
  input().apply_preset(preset);
  changed();
}

Status ConvExplorer::apply_kernel_preset(KernelPreset preset) {
  CONVLAB_TRY(kernel_preset_fits(preset, s_.kernel_h, s_.kernel_w));
  s_.kernel_preset = preset;
  regenerate_kernel();
  changed();
  return {};
}

Status ConvExplorer::set_input_from_photo(const RgbImage& image, CropRect crop, LumaRange range) {
  auto patch = photo_patch(image, crop, range, kMaxInputSide);
  if (!patch.ok()) return patch.error();
  CONVLAB_TRY(set_in_channels(1));
  s_.input_preset.reset();
  input().resize(1, crop.height, crop.width);
  s_.input = std::move(patch).value();
  changed();
  return {};
}

void ConvExplorer::set_padding_preset(PaddingPreset preset) {
  s_.padding_preset = preset;
  changed();
}

Status ConvExplorer::set_custom_padding(Padding2d padding) {
  CONVLAB_TRY(check_range(tr_noop("padding top"), padding.top, 0, kMaxCustomPadding));
  CONVLAB_TRY(check_range(tr_noop("padding bottom"), padding.bottom, 0, kMaxCustomPadding));
  CONVLAB_TRY(check_range(tr_noop("padding left"), padding.left, 0, kMaxCustomPadding));
  CONVLAB_TRY(check_range(tr_noop("padding right"), padding.right, 0, kMaxCustomPadding));
  s_.custom_padding = padding;
  s_.padding_preset = PaddingPreset::Custom;
  changed();
  return {};
}

Status ConvExplorer::set_stride(int stride_h, int stride_w) {
  CONVLAB_TRY(check_range(tr_noop("stride (height)"), stride_h, 1, kMaxStride));
  CONVLAB_TRY(check_range(tr_noop("stride (width)"), stride_w, 1, kMaxStride));
  s_.stride_h = stride_h;
  s_.stride_w = stride_w;
  changed();
  return {};
}

Status ConvExplorer::set_dilation(int dilation_h, int dilation_w) {
  CONVLAB_TRY(check_range(tr_noop("dilation (height)"), dilation_h, 1, kMaxDilation));
  CONVLAB_TRY(check_range(tr_noop("dilation (width)"), dilation_w, 1, kMaxDilation));
  s_.dilation_h = dilation_h;
  s_.dilation_w = dilation_w;
  changed();
  return {};
}

void ConvExplorer::set_operation(ConvOperation operation) {
  s_.operation = operation;
  changed();
}

void ConvExplorer::set_count_include_pad(bool counts) {
  s_.count_include_pad = counts;
  changed();
}

void ConvExplorer::set_ceil_mode(bool ceil_mode) {
  s_.ceil_mode = ceil_mode;
  changed();
}

PoolOptions ConvExplorer::pool_options() const {
  PoolOptions o;
  o.kind = s_.operation == ConvOperation::AveragePool ? PoolKind::Average : PoolKind::Max;
  o.kernel = {s_.kernel_h, s_.kernel_w};
  o.params.window = geometry().params;
  o.params.ceil_mode = s_.ceil_mode;
  o.count_include_pad = s_.count_include_pad;
  return o;
}

void ConvExplorer::set_seed(uint64_t seed) {
  s_.seed = seed;
  if (s_.input_preset == InputPreset::Random) input().regenerate();
  if (s_.kernel_preset == KernelPreset::Random) regenerate_kernel();
  changed();
}

// ---- derived ----------------------------------------------------------------

const ExploreGeometry& ConvExplorer::geometry() const {
  if (geometry_ && text_language_ == i18n::language_tag()) return *geometry_;
  text_language_ = i18n::language_tag();
  ExploreGeometry g;
  const Size2d input{s_.input_h, s_.input_w}, kernel{s_.kernel_h, s_.kernel_w};
  g.params.stride_h = s_.stride_h;
  g.params.stride_w = s_.stride_w;
  g.params.dilation_h = s_.dilation_h;
  g.params.dilation_w = s_.dilation_w;
  if (s_.padding_preset == PaddingPreset::Custom) {
    g.padding = s_.custom_padding;
  } else {
    auto padding = resolve_padding(s_.padding_preset, input, kernel, s_.stride_h, s_.stride_w, s_.dilation_h,
                                   s_.dilation_w);
    if (!padding.ok()) {
      g.reason = padding.message();
      geometry_ = std::move(g);
      return *geometry_;
    }
    g.padding = *padding;
  }
  g.params.padding = g.padding;
  g.padded = {s_.input_h + g.padding.top + g.padding.bottom, s_.input_w + g.padding.left + g.padding.right};
  // A pool checks what a convolution does, and PyTorch's padding rule.
  const Pool2dParams pool{g.params, s_.ceil_mode};
  g.formula = pooling() ? pool2d_formula(input, kernel, pool) : conv2d_formula(input, kernel, g.params);
  auto output =
      pooling() ? pool2d_output_size(input, kernel, pool) : conv2d_output_size(input, kernel, g.params);
  if (output.ok()) {
    g.valid = true;
    g.output = *output;
  } else {
    g.reason = output.message();
  }
  geometry_ = std::move(g);
  return *geometry_;
}

const ConvExplorer::TraceCache& ConvExplorer::cache() const {
  if (trace_) return *trace_;
  TraceCache cache;
  const ExploreGeometry& g = geometry();
  cache.contributions.resize(static_cast<size_t>(s_.in_channels * s_.input_h * s_.input_w));
  if (!g.valid) {
    cache.error = g.reason;
    trace_ = std::move(cache);
    return *trace_;
  }
  const Tensor input = input_tensor();
  // The hover index inverts the trace: each non-padding tap names one input cell.
  const auto index = [&](int step, int channel, int out_channel, int out_y, int out_x, int ky, int kx,
                         int input_y, int input_x, int tap) {
    cache.contributions[static_cast<size_t>((channel * s_.input_h + input_y) * s_.input_w + input_x)]
        .push_back({step, out_channel, out_y, out_x, ky, kx, tap});
  };
  if (pooling()) {
    const PoolOptions options = pool_options();
    auto output = reference::pool2d(input, options);
    auto trace = trace_pool2d(input, options);
    if (!output.ok() || !trace.ok()) {
      cache.error = output.ok() ? trace.message() : output.message();
      trace_ = std::move(cache);
      return *trace_;
    }
    cache.output = std::move(output).value();
    cache.pool = std::move(trace).value();
    for (size_t i = 0; i < cache.pool.steps.size(); ++i) {
      const PoolStep& step = cache.pool.steps[i];
      for (size_t t = 0; t < step.taps.size(); ++t) {
        const PoolTap& tap = step.taps[t];
        if (!tap.on_padding)
          index(static_cast<int>(i), step.channel, step.channel, step.out_y, step.out_x, tap.ky, tap.kx,
                tap.input_y, tap.input_x, static_cast<int>(t));
      }
    }
    trace_ = std::move(cache);
    return *trace_;
  }
  const Tensor weights = weight_tensor(), bias = bias_tensor();
  auto output = reference::conv2d(input, weights, &bias, g.params);
  auto trace = trace_conv2d(input, weights, &bias, g.params);
  if (!output.ok() || !trace.ok()) {
    cache.error = output.ok() ? trace.message() : output.message();
    trace_ = std::move(cache);
    return *trace_;
  }
  cache.output = std::move(output).value();
  cache.trace = std::move(trace).value();
  for (size_t i = 0; i < cache.trace.steps.size(); ++i) {
    const ConvStep& step = cache.trace.steps[i];
    for (size_t t = 0; t < step.taps.size(); ++t) {
      const ConvTap& tap = step.taps[t];
      if (!tap.on_padding)
        index(static_cast<int>(i), tap.channel, step.out_channel, step.out_y, step.out_x, tap.ky, tap.kx,
              tap.input_y, tap.input_x, static_cast<int>(t));
    }
  }
  trace_ = std::move(cache);
  return *trace_;
}

const ConvTrace& ConvExplorer::trace() const { return cache().trace; }

const PoolTrace& ConvExplorer::pool_trace() const { return cache().pool; }

const Tensor& ConvExplorer::output() const { return cache().output; }

const std::string& ConvExplorer::trace_error() const { return cache().error; }

const std::vector<Contribution>& ConvExplorer::contributions_of(int c, int y, int x) const {
  static const std::vector<Contribution> kNone;
  if (!check_input_cell(c, y, x).ok()) return kNone;
  return cache().contributions[static_cast<size_t>((c * s_.input_h + y) * s_.input_w + x)];
}

// ---- stepping -----------------------------------------------------------------

int ConvExplorer::step_count() const {
  const TraceCache& c = cache();
  return static_cast<int>(pooling() ? c.pool.steps.size() : c.trace.steps.size());
}

int ConvExplorer::step_index() const { return stepper_.index(step_count()); }

const ConvStep* ConvExplorer::current_step() const {
  const ConvTrace& t = trace();
  if (pooling() || t.steps.empty()) return nullptr;
  return &t.steps[static_cast<size_t>(step_index())];
}

const PoolStep* ConvExplorer::current_pool_step() const {
  const PoolTrace& t = pool_trace();
  if (!pooling() || t.steps.empty()) return nullptr;
  return &t.steps[static_cast<size_t>(step_index())];
}

void ConvExplorer::set_step(int index) { stepper_.set(index, step_count()); }

int ConvExplorer::step_of_cell(int out_channel, int out_y, int out_x) const {
  const ExploreGeometry& g = geometry();
  if (!g.valid || out_channel < 0 || out_channel >= output_channels() || out_y < 0 || out_y >= g.output.h ||
      out_x < 0 || out_x >= g.output.w)
    return -1;
  return (out_channel * g.output.h + out_y) * g.output.w + out_x;  // the trace's (o, y, x) order
}

Status ConvExplorer::jump_to_cell(int out_channel, int out_y, int out_x) {
  const int index = step_of_cell(out_channel, out_y, out_x);
  if (index < 0) {
    if (!has_output()) return Error{format(tr("there is no output to jump to: %s"), reason().c_str())};
    if (pooling())
      return Error{format(tr("output cell (channel %d, row %d, column %d) is outside the %dx%dx%d output"),
                          out_channel, out_y, out_x, output_channels(), geometry().output.h,
                          geometry().output.w)};
    return Error{format(tr("output cell (filter %d, row %d, column %d) is outside the %dx%dx%d output"),
                        out_channel, out_y, out_x, s_.out_channels, geometry().output.h,
                        geometry().output.w)};
  }
  set_step(index);
  return {};
}

void ConvExplorer::play() { stepper_.play(step_count()); }

Status ConvExplorer::set_steps_per_second(double rate) { return stepper_.set_steps_per_second(rate); }

int ConvExplorer::advance(double seconds) { return stepper_.advance(seconds, step_count()); }

std::string ConvExplorer::current_arithmetic(int significant_digits) const {
  if (const PoolStep* pool = current_pool_step())
    return pool_arithmetic_string(*pool, pool_options().kind, significant_digits);
  const ConvStep* step = current_step();
  return step ? arithmetic_string(*step, significant_digits) : std::string();
}

std::string ConvExplorer::current_note() const {
  const PoolStep* step = current_pool_step();
  return step ? pool_step_note(*step, pool_options(), pool_trace().padded) : std::string();
}

}  // namespace convlab::explore
