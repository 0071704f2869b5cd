#include "core/ops/pool.h"

#include <cmath>
#include <limits>

#include "core/ops/reference.h"
#include "core/ops/trace.h"

namespace convlab {

namespace {

// One output cell's window over channel `c` of image `n`, its taps kept when
// `record`: the single definition of both ops and of their trace.
PoolStep pool_window(const Tensor& input, const PoolOptions& o, int n, int c, int oy, int ox, bool record) {
  const Conv2dParams& w = o.params.window;
  const int h = static_cast<int>(input.h()), width = static_cast<int>(input.w());
  PoolStep step;
  step.batch = n;
  step.channel = c;
  step.out_y = oy;
  step.out_x = ox;
  float best = -std::numeric_limits<float>::infinity();
  int tap_index = 0;
  for (int ky = 0; ky < o.kernel.h; ++ky)
    for (int kx = 0; kx < o.kernel.w; ++kx, ++tap_index) {
      PoolTap tap;
      tap.ky = ky;
      tap.kx = kx;
      tap.padded_y = oy * w.stride_h + ky * w.dilation_h;
      tap.padded_x = ox * w.stride_w + kx * w.dilation_w;
      tap.input_y = tap.padded_y - w.padding.top;
      tap.input_x = tap.padded_x - w.padding.left;
      tap.on_padding = tap.input_y < 0 || tap.input_y >= h || tap.input_x < 0 || tap.input_x >= width;
      // Past the padded input (a ceil_mode window) a tap is in no count.
      const bool in_padded = tap.input_y < h + w.padding.bottom && tap.input_x < width + w.padding.right;
      tap.counted = o.kind == PoolKind::Average && (o.count_include_pad ? in_padded : !tap.on_padding);
      if (!tap.on_padding) {
        tap.input = input.at(n, c, tap.input_y, tap.input_x);
        if (o.kind == PoolKind::Max && (tap.input > best || std::isnan(tap.input))) {
          best = tap.input;
          step.chosen = tap_index;
        } else if (o.kind == PoolKind::Average) {
          step.sum += tap.input;
        }
      }
      step.count += tap.counted ? 1 : 0;
      if (record) step.taps.push_back(tap);
    }
  step.result = o.kind == PoolKind::Max ? best : step.sum / static_cast<float>(step.count);
  return step;
}

}  // namespace

const char* pool_kind_name(PoolKind kind) { return kind == PoolKind::Max ? "max" : "average"; }

Result<Shape> pool2d_output_shape(const Shape& input, const PoolOptions& options) {
  CONVLAB_TRY(reference::expect_nchw(input, "pooling input", "N, C, H, W"));
  auto size = pool2d_output_size({static_cast<int>(input[2]), static_cast<int>(input[3])}, options.kernel,
                                 options.params);
  if (!size.ok()) return size.error();
  return Shape{input[0], input[1], size->h, size->w};
}

Result<Shape> pool2d_output_shape(const Tensor& input, const PoolOptions& options) {
  return pool2d_output_shape(input.shape(), options);
}

Result<Tensor> reference::pool2d(const Tensor& input, const PoolOptions& options) {
  auto shape = pool2d_output_shape(input, options);
  if (!shape.ok()) return shape.error();
  Tensor out(*shape);
  for (int n = 0; n < out.n(); ++n)
    for (int c = 0; c < out.c(); ++c)
      for (int y = 0; y < out.h(); ++y)
        for (int x = 0; x < out.w(); ++x)
          out.at(n, c, y, x) = pool_window(input, options, n, c, y, x, false).result;
  return out;
}

Result<PoolTrace> trace_pool2d(const Tensor& input, const PoolOptions& options) {
  auto shape = pool2d_output_shape(input, options);
  if (!shape.ok()) return shape.error();
  const Shape& out = *shape;
  const double cells = static_cast<double>(out[0]) * static_cast<double>(out[1]) *
                       static_cast<double>(out[2]) * static_cast<double>(out[3]);
  const double taps = cells * options.kernel.h * options.kernel.w;
  if (taps > static_cast<double>(kMaxTraceSteps))
    return make_error(pool_kind_name(options.kind), " pool trace would record ", static_cast<int64_t>(taps),
                      " taps; the limit is ", kMaxTraceSteps, ": trace a smaller input or a smaller window");
  PoolTrace trace;
  trace.options = options;
  trace.input_shape = input.shape();
  trace.output_shape = out;
  const Padding2d& pad = options.params.window.padding;
  trace.padded = {static_cast<int>(input.h()) + pad.top + pad.bottom,
                  static_cast<int>(input.w()) + pad.left + pad.right};
  trace.output = Tensor(out);
  trace.steps.reserve(static_cast<size_t>(cells));
  for (int n = 0; n < out[0]; ++n)
    for (int c = 0; c < out[1]; ++c)
      for (int y = 0; y < out[2]; ++y)
        for (int x = 0; x < out[3]; ++x) {
          trace.steps.push_back(pool_window(input, options, n, c, y, x, true));
          trace.output.at(n, c, y, x) = trace.steps.back().result;
        }
  return trace;
}

}  // namespace convlab
