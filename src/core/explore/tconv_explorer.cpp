#include "core/explore/tconv_explorer.h"

#include <array>
#include <cctype>
#include <cmath>

#include "core/base/i18n.h"
#include "core/explore/explorer.h"
#include "core/explore/explorer_input.h"
#include "core/explore/step_text.h"
#include "core/ops/reference.h"

namespace convlab::explore {

namespace {

constexpr std::array<const char*, 4> kKernelPresetNames = {"numbers", "ones", "bilinear", "random"};
constexpr std::array<const char*, 3> kViewNames = {"sum", "direct", "overlap"};

// One axis of the bilinear kernel: a tent of half-width f centered on the kernel.
float bilinear_tap(int index, int size) {
  const double factor = (size + 1) / 2;  // ceil(size/2)
  const double center = (size - 1) / 2.0;
  return static_cast<float>(1.0 - std::abs(index - center) / factor);
}

// How many (input index, tap) pairs of one axis land on each output index:
// input i and tap t reach full position i*s + t*d, output position that - p.
std::vector<int> axis_overlap(int input, int kernel, int stride, int padding, int dilation, int output) {
  std::vector<int> counts(static_cast<size_t>(output), 0);
  for (int i = 0; i < input; ++i)
    for (int t = 0; t < kernel; ++t) {
      const int o = i * stride + t * dilation - padding;
      if (o >= 0 && o < output) ++counts[static_cast<size_t>(o)];
    }
  return counts;
}

// "(2 - 1)*1 + 1 = 2 -> frame 1*(2 - 1) - 0 = 1 (+ 0 after): 2 + 1 + 1 = 4 -> conv: 4 - 1*(2 - 1) = 3"
std::string direct_axis_formula(int input, int kernel, int stride, int padding, int output_padding,
                                int dilation) {
  const int upsampled = (input - 1) * stride + 1;
  const int frame = dilation * (kernel - 1) - padding;
  const int padded = upsampled + 2 * frame + output_padding;
  return format(
      tr("(%d - 1)*%d + 1 = %d -> frame %d*(%d - 1) - %d = %d (+ %d after): %d + %d + %d = %d -> conv: "
         "%d - %d*(%d - 1) = %d"),
      input, stride, upsampled, dilation, kernel, padding, frame, output_padding, upsampled, frame,
      frame + output_padding, padded, padded, dilation, kernel, padded - dilation * (kernel - 1));
}

}  // namespace

// ---- presets and views ------------------------------------------------------

const char* tconv_kernel_preset_name(TconvKernelPreset preset) {
  return kKernelPresetNames[static_cast<size_t>(preset)];
}
std::string tconv_kernel_preset_names() { return join_names(kKernelPresetNames); }

Result<TconvKernelPreset> parse_tconv_kernel_preset(const std::string& name) {
  if (const auto index = find_name(kKernelPresetNames, name)) return static_cast<TconvKernelPreset>(*index);
  return Error{format(tr("unknown kernel preset '%s': use one of %s"), name.c_str(),
                      tconv_kernel_preset_names().c_str())};
}

std::vector<float> make_tconv_kernel_preset(TconvKernelPreset preset, int kernel_h, int kernel_w,
                                            uint64_t seed, int first) {
  std::vector<float> values(static_cast<size_t>(kernel_h * kernel_w), 0.0f);
  for (int y = 0; y < kernel_h; ++y)
    for (int x = 0; x < kernel_w; ++x) {
      float& v = values[static_cast<size_t>(y * kernel_w + x)];
      switch (preset) {
        case TconvKernelPreset::Numbers:
          v = static_cast<float>(first + y * kernel_w + x);
          break;
        case TconvKernelPreset::Ones:
          v = 1.0f;
          break;
        case TconvKernelPreset::Bilinear:
          v = bilinear_tap(y, kernel_h) * bilinear_tap(x, kernel_w);
          break;
        case TconvKernelPreset::Random:
          break;  // below: presets.h's stream, so both panels draw alike
      }
    }
  if (preset == TconvKernelPreset::Random)
    values = make_kernel_preset(KernelPreset::Random, kernel_h, kernel_w, seed).value();  // fits any size
  return values;
}

const char* tconv_view_name(TconvView view) { return kViewNames[static_cast<size_t>(view)]; }

Result<TconvView> parse_tconv_view(const std::string& name) {
  if (const auto index = find_name(kViewNames, name)) return static_cast<TconvView>(*index);
  return Error{format(tr("unknown view '%s': use one of %s"), name.c_str(), join_names(kViewNames).c_str())};
}

// ---- settings ---------------------------------------------------------------

TconvExplorer::TconvExplorer() {
  input().regenerate();
  s_.bias.assign(1, 0.0f);
  regenerate_kernel();
}

ExplorerInput TconvExplorer::input() {
  return {s_.input, s_.in_channels, s_.input_h, s_.input_w, s_.input_preset, s_.seed};
}

void TconvExplorer::changed() {
  geometry_.reset();
  trace_.reset();
  direct_.reset();
  overlap_.reset();
}

// Reads the old layout, so the caller sets the channel counts afterwards.
void TconvExplorer::resize_kernel(int in_channels, int out_channels, int height, int width) {
  std::vector<float> values(static_cast<size_t>(in_channels * out_channels * height * width), 0.0f);
  for (int c = 0; c < std::min(in_channels, s_.in_channels); ++c)
    for (int o = 0; o < std::min(out_channels, s_.out_channels); ++o)
      for (int y = 0; y < std::min(height, s_.kernel_h); ++y)
        for (int x = 0; x < std::min(width, s_.kernel_w); ++x)
          values[static_cast<size_t>(((c * out_channels + o) * height + y) * width + x)] = weight(c, o, y, x);
  s_.weight = std::move(values);
  s_.bias.resize(static_cast<size_t>(out_channels), 0.0f);
  s_.kernel_h = height;
  s_.kernel_w = width;
}

void TconvExplorer::regenerate_kernel() {
  const int per_kernel = s_.kernel_h * s_.kernel_w;
  s_.weight.clear();
  for (int k = 0; k < s_.in_channels * s_.out_channels; ++k) {
    const auto values = make_tconv_kernel_preset(*s_.kernel_preset, s_.kernel_h, s_.kernel_w,
                                                 kernel_seed(s_.seed, k), k * per_kernel);
    s_.weight.insert(s_.weight.end(), values.begin(), values.end());
  }
}

Status TconvExplorer::set_input_size(int height, int width) {
  CONVLAB_TRY(check_range(tr_noop("input height"), height, 1, kMaxTconvInputSide));
  CONVLAB_TRY(check_range(tr_noop("input width"), width, 1, kMaxTconvInputSide));
  input().resize(s_.in_channels, height, width);
  changed();
  return {};
}

Status TconvExplorer::set_in_channels(int channels) {
  CONVLAB_TRY(check_range(tr_noop("input channels"), channels, 1, kMaxTconvChannels));
  // Both the input and the weight (its first axis) gain or lose the channel;
  // the kernel first, as it reads the old layout.
  resize_kernel(channels, s_.out_channels, s_.kernel_h, s_.kernel_w);
  input().resize(channels, s_.input_h, s_.input_w);  // sets in_channels
  if (s_.kernel_preset) regenerate_kernel();
  changed();
  return {};
}

Status TconvExplorer::set_out_channels(int channels) {
  CONVLAB_TRY(check_range(tr_noop("output channels"), channels, 1, kMaxTconvChannels));
  resize_kernel(s_.in_channels, channels, s_.kernel_h, s_.kernel_w);
  s_.out_channels = channels;
  if (s_.kernel_preset) regenerate_kernel();
  changed();
  return {};
}

Status TconvExplorer::set_kernel_size(int height, int width) {
  CONVLAB_TRY(check_range(tr_noop("kernel height"), height, 1, kMaxTconvKernelSide));
  CONVLAB_TRY(check_range(tr_noop("kernel width"), width, 1, kMaxTconvKernelSide));
  resize_kernel(s_.in_channels, s_.out_channels, height, width);
  if (s_.kernel_preset) regenerate_kernel();
  changed();
  return {};
}

Status TconvExplorer::check_input_cell(int c, int y, int x) const {
  return check_input_cell_in(s_.in_channels, s_.input_h, s_.input_w, c, y, x);
}

float TconvExplorer::input_value(int c, int y, int x) const {
  return s_.input[static_cast<size_t>((c * s_.input_h + y) * s_.input_w + x)];
}

float TconvExplorer::weight(int in_channel, int out_channel, int ky, int kx) const {
  return s_.weight[static_cast<size_t>(
      ((in_channel * s_.out_channels + out_channel) * s_.kernel_h + ky) * s_.kernel_w + kx)];
}

Status TconvExplorer::set_input_value(int c, int y, int x, float value) {
  CONVLAB_TRY(input().set_value(c, y, x, value));
  changed();
  return {};
}

Status TconvExplorer::set_input_values(std::vector<float> values) {
  CONVLAB_TRY(input().set_values(std::move(values)));
  changed();
  return {};
}

Status TconvExplorer::set_weight(int in_channel, int out_channel, int ky, int kx, float value) {
  if (in_channel < 0 || in_channel >= s_.in_channels || out_channel < 0 || out_channel >= s_.out_channels ||
      ky < 0 || ky >= s_.kernel_h || kx < 0 || kx >= s_.kernel_w)
    return Error{format(tr("weight (input channel %d, output channel %d, row %d, column %d) is outside the "
                           "%dx%dx%dx%d weights (in, out, rows, columns)"),
                        in_channel, out_channel, ky, kx, s_.in_channels, s_.out_channels, s_.kernel_h,
                        s_.kernel_w)};
  s_.weight[static_cast<size_t>(
      ((in_channel * s_.out_channels + out_channel) * s_.kernel_h + ky) * s_.kernel_w + kx)] = value;
  s_.kernel_preset.reset();
  changed();
  return {};
}

Status TconvExplorer::set_weights(std::vector<float> values) {
  const size_t expected = static_cast<size_t>(s_.in_channels * s_.out_channels * s_.kernel_h * s_.kernel_w);
  if (values.size() != expected)
    return Error{
        format(tr("kernel values: got %zu but %d input channel(s) x %d output channel(s) x %dx%d need %zu "
                  "(input channel by input channel, then output channel, rows left to right)"),
               values.size(), s_.in_channels, s_.out_channels, s_.kernel_h, s_.kernel_w, expected)};
  s_.weight = std::move(values);
  s_.kernel_preset.reset();
  changed();
  return {};
}

Status TconvExplorer::set_bias(int out_channel, float value) {
  CONVLAB_TRY(check_range(tr_noop("bias output channel"), out_channel, 0, s_.out_channels - 1));
  s_.bias[static_cast<size_t>(out_channel)] = value;
  changed();
  return {};
}

Status TconvExplorer::set_biases(std::vector<float> values) {
  if (values.size() != static_cast<size_t>(s_.out_channels))
    return Error{
        format(tr("bias: got %zu values but there are %d output channel(s): give one bias per output "
                  "channel"),
               values.size(), s_.out_channels)};
  s_.bias = std::move(values);
  changed();
  return {};
}

void TconvExplorer::apply_input_preset(InputPreset preset) {
  input().apply_preset(preset);
  changed();
}

void TconvExplorer::apply_kernel_preset(TconvKernelPreset preset) {
  s_.kernel_preset = preset;
  regenerate_kernel();
  changed();
}

Status TconvExplorer::set_stride(int stride_h, int stride_w) {
  CONVLAB_TRY(check_range(tr_noop("stride (height)"), stride_h, 1, kMaxTconvStride));
  CONVLAB_TRY(check_range(tr_noop("stride (width)"), stride_w, 1, kMaxTconvStride));
  s_.stride_h = stride_h;
  s_.stride_w = stride_w;
  changed();
  return {};
}

Status TconvExplorer::set_padding(int padding_h, int padding_w) {
  CONVLAB_TRY(check_range(tr_noop("padding (height)"), padding_h, 0, kMaxTconvPadding));
  CONVLAB_TRY(check_range(tr_noop("padding (width)"), padding_w, 0, kMaxTconvPadding));
  s_.padding_h = padding_h;
  s_.padding_w = padding_w;
  changed();
  return {};
}

// Only the range here: whether it is below the stride or dilation depends on
// the other settings, so that is geometry()'s reason (the sliders may pass
// through an invalid combination on the way to a valid one).
Status TconvExplorer::set_output_padding(int output_padding_h, int output_padding_w) {
  CONVLAB_TRY(check_range(tr_noop("output_padding (height)"), output_padding_h, 0, kMaxTconvOutputPadding));
  CONVLAB_TRY(check_range(tr_noop("output_padding (width)"), output_padding_w, 0, kMaxTconvOutputPadding));
  s_.output_padding_h = output_padding_h;
  s_.output_padding_w = output_padding_w;
  changed();
  return {};
}

Status TconvExplorer::set_dilation(int dilation_h, int dilation_w) {
  CONVLAB_TRY(check_range(tr_noop("dilation (height)"), dilation_h, 1, kMaxTconvDilation));
  CONVLAB_TRY(check_range(tr_noop("dilation (width)"), dilation_w, 1, kMaxTconvDilation));
  s_.dilation_h = dilation_h;
  s_.dilation_w = dilation_w;
  changed();
  return {};
}

void TconvExplorer::set_seed(uint64_t seed) {
  s_.seed = seed;
  if (s_.input_preset == InputPreset::Random) input().regenerate();
  if (s_.kernel_preset == TconvKernelPreset::Random) regenerate_kernel();
  changed();
}

void TconvExplorer::set_view(TconvView view) {
  s_.view = view;
  stepper_.reset();
}

Tensor TconvExplorer::input_tensor() const {
  return Tensor::from_data({1, s_.in_channels, s_.input_h, s_.input_w}, s_.input).value();
}

Tensor TconvExplorer::weight_tensor() const {
  return Tensor::from_data({s_.in_channels, s_.out_channels, s_.kernel_h, s_.kernel_w}, s_.weight).value();
}

Tensor TconvExplorer::bias_tensor() const { return Tensor::from_data({s_.out_channels}, s_.bias).value(); }

// ---- derived: the transposed convolution ---------------------------------------

const TconvGeometry& TconvExplorer::geometry() const {
  if (geometry_ && text_language_ == i18n::language_tag()) return *geometry_;
  text_language_ = i18n::language_tag();
  TconvGeometry g;
  const Size2d input{s_.input_h, s_.input_w}, kernel{s_.kernel_h, s_.kernel_w};
  g.params = {s_.stride_h,         s_.stride_w,         s_.padding_h,  s_.padding_w,
              s_.output_padding_h, s_.output_padding_w, s_.dilation_h, s_.dilation_w};
  // The setters keep every value in range, so these sizes are small and
  // meaningful even when the combination is invalid.
  g.full = {(s_.input_h - 1) * s_.stride_h + s_.dilation_h * (s_.kernel_h - 1) + 1 + s_.output_padding_h,
            (s_.input_w - 1) * s_.stride_w + s_.dilation_w * (s_.kernel_w - 1) + 1 + s_.output_padding_w};
  g.formula = conv_transpose2d_formula(input, kernel, g.params);
  g.upsampled = {(s_.input_h - 1) * s_.stride_h + 1, (s_.input_w - 1) * s_.stride_w + 1};
  const int frame_h = s_.dilation_h * (s_.kernel_h - 1) - s_.padding_h;
  const int frame_w = s_.dilation_w * (s_.kernel_w - 1) - s_.padding_w;
  g.direct_padding = {frame_h, frame_h + s_.output_padding_h, frame_w, frame_w + s_.output_padding_w};
  g.direct_input = {g.upsampled.h + 2 * frame_h + s_.output_padding_h,
                    g.upsampled.w + 2 * frame_w + s_.output_padding_w};
  const std::string direct_h = direct_axis_formula(s_.input_h, s_.kernel_h, s_.stride_h, s_.padding_h,
                                                   s_.output_padding_h, s_.dilation_h);
  const std::string direct_w = direct_axis_formula(s_.input_w, s_.kernel_w, s_.stride_w, s_.padding_w,
                                                   s_.output_padding_w, s_.dilation_w);
  g.direct_formula = direct_h == direct_w ? format(tr("H, W: %s"), direct_h.c_str())
                                          : format(tr("H: %s\nW: %s"), direct_h.c_str(), direct_w.c_str());
  auto output = conv_transpose2d_output_size(input, kernel, g.params);
  if (output.ok()) {
    g.valid = true;
    g.output = *output;
  } else {
    g.reason = output.message();
  }
  geometry_ = std::move(g);
  return *geometry_;
}

const TconvTrace& TconvExplorer::trace() const {
  if (trace_) return trace_->trace;
  TraceCache cache;
  const TconvGeometry& g = geometry();
  if (!g.valid) {
    cache.error = g.reason;
    trace_ = std::move(cache);
    return trace_->trace;
  }
  const Tensor input = input_tensor(), weights = weight_tensor(), bias = bias_tensor();
  auto output = reference::conv_transpose2d(input, weights, &bias, g.params);
  auto trace = trace_conv_transpose2d(input, weights, &bias, g.params);
  if (!output.ok() || !trace.ok()) {
    cache.error = output.ok() ? trace.message() : output.message();
  } else {
    cache.output = std::move(output).value();
    cache.trace = std::move(trace).value();
  }
  trace_ = std::move(cache);
  return trace_->trace;
}

const Tensor& TconvExplorer::output() const {
  trace();
  return trace_->output;
}

const std::string& TconvExplorer::trace_error() const {
  trace();
  return trace_->error;
}

Tensor TconvExplorer::running_sum(int k) const {
  const TconvTrace& t = trace();
  if (t.intermediates.empty()) return {};
  Tensor sum({1, s_.out_channels, t.full.h, t.full.w});
  const int last = std::min(k, static_cast<int>(t.intermediates.size()) - 1);
  const int64_t plane = int64_t{t.full.h} * t.full.w;
  for (int i = 0; i <= last; ++i) {
    const TconvIntermediate& m = t.intermediates[static_cast<size_t>(i)];
    float* target = sum.data() + sum.offset(0, m.out_channel, 0, 0);
    // Cells the kernel does not reach hold 0 and adding 0 changes no sum,
    // so this is the op's accumulation order for every cell.
    for (int64_t j = 0; j < plane; ++j) target[j] += m.contribution[j];
  }
  return sum;
}

Tensor TconvExplorer::running_output(int k) const {
  const TconvGeometry& g = geometry();
  const Tensor sum = running_sum(k);
  if (sum.empty() || !g.valid) return {};
  const TconvTrace& t = trace();
  Tensor out({1, s_.out_channels, g.output.h, g.output.w});
  // The op's last two steps: crop the padding, then add the bias.
  for (int o = 0; o < s_.out_channels; ++o)
    for (int y = 0; y < g.output.h; ++y)
      for (int x = 0; x < g.output.w; ++x)
        out.at(0, o, y, x) = sum.at(0, o, y + t.crop_top, x + t.crop_left) + s_.bias[static_cast<size_t>(o)];
  return out;
}

// ---- derived: the direct-convolution view ----------------------------------------

const Tensor& TconvExplorer::direct_input() const {
  if (direct_) return direct_->input;
  DirectCache cache;
  const TconvGeometry& g = geometry();
  if (g.valid) {
    cache.input = Tensor({1, s_.in_channels, g.direct_input.h, g.direct_input.w});
    for (int c = 0; c < s_.in_channels; ++c)
      for (int iy = 0; iy < s_.input_h; ++iy)
        for (int ix = 0; ix < s_.input_w; ++ix) {
          // A negative frame crops: elements that land before row/column 0 are dropped.
          const int y = iy * s_.stride_h + g.direct_padding.top;
          const int x = ix * s_.stride_w + g.direct_padding.left;
          if (y >= 0 && y < g.direct_input.h && x >= 0 && x < g.direct_input.w)
            cache.input.at(0, c, y, x) = input_value(c, iy, ix);
        }
    cache.kernel = Tensor({s_.out_channels, s_.in_channels, s_.kernel_h, s_.kernel_w});
    for (int o = 0; o < s_.out_channels; ++o)
      for (int c = 0; c < s_.in_channels; ++c)
        for (int ky = 0; ky < s_.kernel_h; ++ky)
          for (int kx = 0; kx < s_.kernel_w; ++kx)
            cache.kernel.at(o, c, ky, kx) = weight(c, o, s_.kernel_h - 1 - ky, s_.kernel_w - 1 - kx);
    Conv2dParams params;
    params.dilation_h = s_.dilation_h;
    params.dilation_w = s_.dilation_w;
    const Tensor bias = bias_tensor();
    // The direct input is output + d(k-1) on each axis, so the kernel fits
    // and both calls succeed whenever the transposed conv is valid.
    auto output = reference::conv2d(cache.input, cache.kernel, &bias, params);
    auto trace = trace_conv2d(cache.input, cache.kernel, &bias, params);
    if (output.ok()) cache.output = std::move(output).value();
    if (trace.ok()) cache.trace = std::move(trace).value();
  }
  direct_ = std::move(cache);
  return direct_->input;
}

const Tensor& TconvExplorer::flipped_kernel() const {
  direct_input();
  return direct_->kernel;
}

const Tensor& TconvExplorer::direct_output() const {
  direct_input();
  return direct_->output;
}

const ConvTrace& TconvExplorer::direct_trace() const {
  direct_input();
  return direct_->trace;
}

DirectCell TconvExplorer::direct_cell(int y, int x, int* input_y, int* input_x) const {
  const TconvGeometry& g = geometry();
  if (!g.valid || y < 0 || y >= g.direct_input.h || x < 0 || x >= g.direct_input.w)
    return DirectCell::Padding;
  const int uy = y - g.direct_padding.top, ux = x - g.direct_padding.left;  // in the zero-inserted input
  if (uy < 0 || uy >= g.upsampled.h || ux < 0 || ux >= g.upsampled.w) return DirectCell::Padding;
  if (uy % s_.stride_h != 0 || ux % s_.stride_w != 0) return DirectCell::InsertedZero;
  if (input_y) *input_y = uy / s_.stride_h;
  if (input_x) *input_x = ux / s_.stride_w;
  return DirectCell::Input;
}

// ---- derived: overlap ------------------------------------------------------------

const Tensor& TconvExplorer::overlap_counts() const {
  if (overlap_) return *overlap_;
  const TconvGeometry& g = geometry();
  Tensor counts;
  if (g.valid) {
    // Pairs of rows times pairs of columns, once per input channel.
    const std::vector<int> rows =
        axis_overlap(s_.input_h, s_.kernel_h, s_.stride_h, s_.padding_h, s_.dilation_h, g.output.h);
    const std::vector<int> columns =
        axis_overlap(s_.input_w, s_.kernel_w, s_.stride_w, s_.padding_w, s_.dilation_w, g.output.w);
    counts = Tensor({g.output.h, g.output.w});
    for (int y = 0; y < g.output.h; ++y)
      for (int x = 0; x < g.output.w; ++x)
        counts[int64_t{y} * g.output.w + x] = static_cast<float>(
            s_.in_channels * rows[static_cast<size_t>(y)] * columns[static_cast<size_t>(x)]);
  }
  overlap_ = std::move(counts);
  return *overlap_;
}

// ---- stepping ---------------------------------------------------------------------

int TconvExplorer::step_count() const {
  if (s_.view == TconvView::Direct) return static_cast<int>(direct_trace().steps.size());
  return static_cast<int>(trace().intermediates.size());
}

int TconvExplorer::step_index() const { return stepper_.index(step_count()); }

void TconvExplorer::set_step(int index) { stepper_.set(index, step_count()); }

const TconvIntermediate* TconvExplorer::current_intermediate() const {
  if (s_.view == TconvView::Direct || trace().intermediates.empty()) return nullptr;
  return &trace().intermediates[static_cast<size_t>(step_index())];
}

const ConvStep* TconvExplorer::current_direct_step() const {
  if (s_.view != TconvView::Direct || direct_trace().steps.empty()) return nullptr;
  return &direct_trace().steps[static_cast<size_t>(step_index())];
}

void TconvExplorer::play() { stepper_.play(step_count()); }

Status TconvExplorer::set_steps_per_second(double rate) { return stepper_.set_steps_per_second(rate); }

int TconvExplorer::advance(double seconds) { return stepper_.advance(seconds, step_count()); }

std::string TconvExplorer::current_caption(int significant_digits) const {
  if (const ConvStep* step = current_direct_step()) return arithmetic_string(*step, significant_digits);
  const TconvIntermediate* m = current_intermediate();
  if (!m) return {};
  const std::string value = format_value(m->value, significant_digits);
  const char* v = value.c_str();
  const int full_h = trace().full.h, full_w = trace().full.w;
  // One whole sentence for each case, so a translation reads as one.
  const bool channels_in = s_.in_channels > 1, channels_out = s_.out_channels > 1;
  if (channels_in && channels_out)
    return format(
        tr("input channel %d (%d, %d) = %s: %s x kernel [%d -> %d], placed at row %d, column %d of the "
           "%dx%d sum of output channel %d"),
        m->channel, m->in_y, m->in_x, v, v, m->channel, m->out_channel, m->origin_y, m->origin_x, full_h,
        full_w, m->out_channel);
  if (channels_in)
    return format(
        tr("input channel %d (%d, %d) = %s: %s x kernel [%d -> %d], placed at row %d, column %d of the "
           "%dx%d sum"),
        m->channel, m->in_y, m->in_x, v, v, m->channel, m->out_channel, m->origin_y, m->origin_x, full_h,
        full_w);
  if (channels_out)
    return format(
        tr("input (%d, %d) = %s: %s x kernel [%d -> %d], placed at row %d, column %d of the %dx%d sum "
           "of output channel %d"),
        m->in_y, m->in_x, v, v, m->channel, m->out_channel, m->origin_y, m->origin_x, full_h, full_w,
        m->out_channel);
  return format(tr("input (%d, %d) = %s: %s x kernel, placed at row %d, column %d of the %dx%d sum"), m->in_y,
                m->in_x, v, v, m->origin_y, m->origin_x, full_h, full_w);
}

// ---- the checkerboard artifact on a real image ----------------------------------

Result<ArtifactDemo> checkerboard_artifact_demo(const Tensor& image, int kernel, int stride) {
  if (image.rank() != 4 || image.dim(0) != 1 || image.dim(1) != 1 || image.dim(2) < 1 || image.dim(3) < 1 ||
      image.dim(2) > kMaxArtifactImageSide || image.dim(3) > kMaxArtifactImageSide)
    return Error{
        format(tr("artifact demo: the image has shape %s but must be 1x1xHxW (one grayscale image) with H "
                  "and W in 1..%d"),
               shape_to_string(image.shape()).c_str(), static_cast<int>(kMaxArtifactImageSide))};
  CONVLAB_TRY(check_range(tr_noop("artifact demo: kernel size"), kernel, 1, kMaxArtifactKernel));
  CONVLAB_TRY(check_range(tr_noop("artifact demo: stride"), stride, 1, kMaxArtifactStride));
  ArtifactDemo demo;
  // output = (in-1)s + k - 2p + output_padding = s*in needs 2p - output_padding = k - s.
  int padding = std::max(0, (kernel - stride + 1) / 2);
  int output_padding = stride - kernel + 2 * padding;
  if (output_padding >= stride) {  // stride 1, even kernel: one row larger instead of one smaller
    --padding;
    output_padding = 0;
  }
  demo.params.stride_h = demo.params.stride_w = stride;
  demo.params.padding_h = demo.params.padding_w = padding;
  demo.params.output_padding_h = demo.params.output_padding_w = output_padding;
  demo.weight = static_cast<float>(stride * stride) / static_cast<float>(kernel * kernel);
  demo.kernel = Tensor({1, 1, kernel, kernel}, demo.weight);
  auto output = reference::conv_transpose2d(image, demo.kernel, nullptr, demo.params);
  if (!output.ok()) return with_context("artifact demo: ", output.error());
  auto gain = reference::conv_transpose2d(Tensor(image.shape(), 1.0f), demo.kernel, nullptr, demo.params);
  if (!gain.ok()) return with_context("artifact demo: ", gain.error());
  demo.output = std::move(output).value();
  demo.gain = std::move(gain).value();
  return demo;
}

}  // namespace convlab::explore
