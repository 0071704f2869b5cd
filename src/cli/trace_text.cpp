// Readable tables for `convlab trace`: what a student would write on paper
// for each step of conv, transposed conv and batch norm.
#include <algorithm>
#include <sstream>

#include "cli/conv_flags.h"
#include "cli/trace_output.h"

namespace convlab::cli {

namespace {

constexpr int64_t kMaxPlaneSide = 64;  // wider grids do not fit a terminal

// One H x W plane as an aligned grid of numbers.
void print_plane(std::ostream& out, const float* data, int64_t h, int64_t w, const std::string& indent) {
  if (h > kMaxPlaneSide || w > kMaxPlaneSide) {
    out << indent << "(" << h << "x" << w << " values: too large to print here; use --json)\n";
    return;
  }
  size_t width = 1;
  for (int64_t i = 0; i < h * w; ++i) width = std::max(width, fmt(data[i]).size());
  for (int64_t y = 0; y < h; ++y) {
    out << indent;
    for (int64_t x = 0; x < w; ++x) out << (x ? "  " : "") << pad_left(fmt(data[y * w + x]), width);
    out << "\n";
  }
}

// Plane (n, c) of an NCHW tensor.
void print_nchw_plane(std::ostream& out, const Tensor& t, int64_t n, int64_t c, const std::string& indent) {
  print_plane(out, t.data() + t.offset(n, c, 0, 0), t.h(), t.w(), indent);
}

// A trace's whole output, plane by plane, each headed "[n=0, o=1]"
// (`channel` names the channel axis: o for conv's filters, c for a pool's).
void print_output(std::ostream& out, const Tensor& output, const char* channel) {
  out << "\noutput " << shape_to_string(output.shape()) << ":\n";
  for (int64_t n = 0; n < output.n(); ++n)
    for (int64_t c = 0; c < output.c(); ++c) {
      out << "  [n=" << n << ", " << channel << "=" << c << "]\n";
      print_nchw_plane(out, output, n, c, "    ");
    }
}

// "no bias", "bias 0.5" or "bias [0.5, 1]" (its shape when long).
std::string describe_bias(const Tensor* bias) {
  if (!bias) return "no bias";
  if (bias->numel() > 8) return "bias of " + std::to_string(bias->numel()) + " values";
  std::string text = bias->numel() == 1 ? "bias " : "bias [";
  for (int64_t i = 0; i < bias->numel(); ++i) {
    if (i) text += ", ";
    text += fmt((*bias)[i]);
  }
  return bias->numel() == 1 ? text : text + "]";
}

std::string position(int y, int x) { return std::to_string(y) + "," + std::to_string(x); }

std::string range_note(StepRange range, size_t total) {
  const int64_t last = range.last < 0 ? static_cast<int64_t>(total) : std::min<int64_t>(range.last, total);
  if (range.first == 0 && last == static_cast<int64_t>(total)) return "";
  std::ostringstream note;
  note << " (printing steps " << range.first << " to " << (last - 1) << " of " << total << ")";
  return note.str();
}

}  // namespace

void print_conv_text(std::ostream& out, const ConvTrace& trace, const TraceInputs& inputs, StepRange range) {
  out << "conv2d: input " << shape_to_string(trace.input_shape) << ", weight "
      << shape_to_string(trace.weight_shape) << " (O,C,KH,KW), " << describe_bias(inputs.bias) << "\n"
      << "settings: " << describe(trace.params) << "\n"
      << "padded input " << trace.padded.h << "x" << trace.padded.w << " -> output "
      << shape_to_string(trace.output_shape) << ", " << trace.steps.size() << " steps (one per output cell)"
      << range_note(range, trace.steps.size()) << "\n";

  for (size_t i = 0; i < trace.steps.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const ConvStep& s = trace.steps[i];
    out << "\nstep " << i << ": out[n=" << s.batch << ", o=" << s.out_channel << ", y=" << s.out_y
        << ", x=" << s.out_x << "]\n";
    out << "     c  ky  kx   input at (y,x)        input * weight       product   running sum\n";
    for (const ConvTap& t : s.taps) {
      std::string at = position(t.input_y, t.input_x) + (t.on_padding ? " pad" : "");
      std::string term = fmt(t.input) + " * " + fmt(t.weight);
      out << pad_left(std::to_string(t.channel), 6) << pad_left(std::to_string(t.ky), 4)
          << pad_left(std::to_string(t.kx), 4) << pad_left(at, 17) << pad_left(term, 22)
          << pad_left(fmt(t.product), 14) << pad_left(fmt(t.running_sum), 14) << "\n";
    }
    const float sum = s.taps.empty() ? 0.0f : s.taps.back().running_sum;
    out << "  result = sum " << fmt(sum) << " + bias " << fmt(s.bias) << " = " << fmt(s.result) << "\n";
  }

  print_output(out, trace.output, "o");
}

void print_tconv_text(std::ostream& out, const TconvTrace& trace, const TraceInputs& inputs,
                      StepRange range) {
  out << "conv_transpose2d: input " << shape_to_string(trace.input_shape) << ", weight "
      << shape_to_string(trace.weight_shape) << " (C,O,KH,KW), " << describe_bias(inputs.bias) << "\n"
      << "settings: " << describe(trace.params) << "\n"
      << "each input value times the kernel is one intermediate " << trace.full.h << "x" << trace.full.w
      << " grid (uncropped output); " << trace.intermediates.size() << " intermediates"
      << range_note(range, trace.intermediates.size()) << "\n";

  for (size_t i = 0; i < trace.intermediates.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const TconvIntermediate& m = trace.intermediates[i];
    out << "\nintermediate " << i << ": input[n=" << m.batch << ", c=" << m.channel << ", y=" << m.in_y
        << ", x=" << m.in_x << "] = " << fmt(m.value) << " times kernel[c=" << m.channel
        << ", o=" << m.out_channel << "], placed at (" << m.origin_y << "," << m.origin_x << ")\n";
    print_plane(out, m.contribution.data(), trace.full.h, trace.full.w, "    ");
  }

  const Tensor& sum = trace.full_sum;
  const Tensor& output = trace.output;
  for (int64_t n = 0; n < sum.n(); ++n)
    for (int64_t o = 0; o < sum.c(); ++o) {
      out << "\nsum of the intermediates [n=" << n << ", o=" << o << "], " << sum.h() << "x" << sum.w()
          << ":\n";
      print_nchw_plane(out, sum, n, o, "    ");
      const float bias = inputs.bias ? (*inputs.bias)[o] : 0.0f;
      out << "output [n=" << n << ", o=" << o << "] = the sum cropped at top " << trace.crop_top << ", left "
          << trace.crop_left << " to " << output.h() << "x" << output.w() << ", plus bias " << fmt(bias)
          << ":\n";
      print_nchw_plane(out, output, n, o, "    ");
    }
}

void print_bn_text(std::ostream& out, const BatchNormTrace& trace, const TraceInputs& inputs,
                   StepRange range) {
  const BatchNormParams& p = trace.params;
  out << "batch_norm2d: input " << (inputs.input ? shape_to_string(inputs.input->shape()) : "?") << ", "
      << (p.training ? "training: normalizes with the batch statistics, updates the running ones"
                     : "eval: normalizes with the running statistics, leaves them as they are")
      << "\nmomentum " << fmt(p.momentum) << ", eps " << fmt(p.eps)
      << "; inv_std = 1/sqrt(var + eps); output = (x - "
      << "mean) * inv_std * gamma + beta" << range_note(range, trace.channels.size()) << "\n\n";

  constexpr size_t w = 13;
  out << "channel" << pad_left("count", w) << pad_left("batch mean", w) << pad_left("biased var", w)
      << pad_left("unbiased var", w) << pad_left("used mean", w) << pad_left("used var", w)
      << pad_left("inv_std", w) << "\n";
  for (size_t i = 0; i < trace.channels.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const BatchNormChannelTrace& c = trace.channels[i];
    out << pad_left(std::to_string(c.channel), 7) << pad_left(std::to_string(c.count), w)
        << pad_left(fmt(c.mean), w) << pad_left(fmt(c.biased_var), w) << pad_left(fmt(c.unbiased_var), w)
        << pad_left(fmt(c.used_mean), w) << pad_left(fmt(c.used_var), w) << pad_left(fmt(c.inv_std), w)
        << "\n";
  }
  out << "\nchannel" << pad_left("gamma", w) << pad_left("beta", w) << pad_left("run_mean was", w)
      << pad_left("run_mean now", w) << pad_left("run_var was", w) << pad_left("run_var now", w) << "\n";
  for (size_t i = 0; i < trace.channels.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const BatchNormChannelTrace& c = trace.channels[i];
    out << pad_left(std::to_string(c.channel), 7) << pad_left(fmt(c.gamma), w) << pad_left(fmt(c.beta), w)
        << pad_left(fmt(c.running_mean_before), w) << pad_left(fmt(c.running_mean_after), w)
        << pad_left(fmt(c.running_var_before), w) << pad_left(fmt(c.running_var_after), w) << "\n";
  }

  const Tensor& normalized = trace.normalized;
  for (size_t i = 0; i < trace.channels.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i)) || normalized.rank() != 4) continue;
    const auto c = static_cast<int64_t>(i);
    for (int64_t n = 0; n < normalized.n(); ++n) {
      if (inputs.input) {
        out << "\ninput [n=" << n << ", c=" << c << "]:\n";
        print_nchw_plane(out, *inputs.input, n, c, "    ");
      }
      out << "normalized [n=" << n << ", c=" << c << "] = (x - " << fmt(trace.channels[i].used_mean) << ") * "
          << fmt(trace.channels[i].inv_std) << ":\n";
      print_nchw_plane(out, normalized, n, c, "    ");
      out << "output [n=" << n << ", c=" << c << "] = normalized * " << fmt(trace.channels[i].gamma) << " + "
          << fmt(trace.channels[i].beta) << ":\n";
      print_nchw_plane(out, trace.output, n, c, "    ");
    }
  }
}

void print_pool_text(std::ostream& out, const PoolTrace& trace, StepRange range) {
  const PoolOptions& o = trace.options;
  const bool max = o.kind == PoolKind::Max;
  out << pool_kind_name(o.kind) << " pool: input " << shape_to_string(trace.input_shape) << ", window "
      << o.kernel.h << "x" << o.kernel.w << "\n"
      << "settings: " << describe(o.params.window) << (o.params.ceil_mode ? ", ceil_mode" : "")
      << (max                   ? ""
          : o.count_include_pad ? ", padding counted"
                                : ", padding not counted")
      << "\n"
      << "padded input " << trace.padded.h << "x" << trace.padded.w << " -> output "
      << shape_to_string(trace.output_shape) << ", " << trace.steps.size() << " steps (one per output cell)"
      << range_note(range, trace.steps.size()) << "\n";
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    if (!range.contains(static_cast<int64_t>(i))) continue;
    const PoolStep& s = trace.steps[i];
    out << "\nstep " << i << ": out[n=" << s.batch << ", c=" << s.channel << ", y=" << s.out_y
        << ", x=" << s.out_x << "]\n";
    // max(3, 7, pad, 1) = 7 at (0,1) / (3 + 7 + 0 + 1) / 4 = 2.75
    std::string terms;
    for (size_t t = 0; t < s.taps.size(); ++t) {
      const PoolTap& tap = s.taps[t];
      if (!max && !tap.counted && tap.on_padding) continue;  // past the padding: in no sum
      terms += (t == 0 || terms.empty() ? "" : max ? ", " : " + ");
      terms += tap.on_padding ? (max ? std::string("pad") : std::string("0")) : fmt(tap.input);
    }
    if (max) {
      const PoolTap& chosen = s.taps[static_cast<size_t>(std::max(s.chosen, 0))];
      out << "  max(" << terms << ") = " << fmt(s.result) << ", input at ("
          << position(chosen.input_y, chosen.input_x) << ")\n";
    } else {
      out << "  (" << terms << ") / " << s.count << " = " << fmt(s.sum) << " / " << s.count << " = "
          << fmt(s.result) << "\n";
    }
  }
  print_output(out, trace.output, "c");
}

}  // namespace convlab::cli
