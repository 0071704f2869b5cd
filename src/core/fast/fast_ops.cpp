// Fast CPU convolutions: im2col + sgemm for conv2d, sgemm + col2im gather for
// the transposed convolution. The layout conventions (all row-major):
//
//  conv2d, per image n and per tile of output rows [oy0, oy1):
//    col  (C*KH*KW) x (rows*OW)   col[(c,ky,kx)][(oy,ox)] = x[c][iy][ix] or 0
//    out  O x (rows*OW)           = weight (O x C*KH*KW) * col, written in
//                                   place into the slot's channel planes.
//  conv_transpose2d, per image n and per tile of output rows:
//    col  (O*KH*KW) x (in_rows*W) = weight^T (O*KH*KW x C) * x (C x in_rows*W)
//    out[o][y][x] = sum of col[(o,ky,kx)][(iy,ix)] over the taps that land
//                   on (y, x) of the cropped output; each output row is built
//                   by its owning thread, so there are no write races.
//  Grouped convolutions (groups > 1) run each group as its own convolution
//  on its slices of the channels, weights, output planes and epilogue; a
//  depthwise conv2d (one input channel per group) runs as direct loops
//  instead (depthwise_rows). Big 3x3 stride-1 layers run as Winograd
//  F(4x4, 3x3) instead of im2col (winograd.h).
//
// Threads: our pool (parallel.h) splits each image into bands of output rows
// (big images) or ranges of output channels (small ones); the matrix product
// runs one thread inside each share. Measured on 2 cores this beats the library's own
// threading plus separately parallelised loops: one wake-up per layer, and
// each core keeps its im2col tile, product and epilogue in its own cache.
#include "core/fast/fast_ops.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "core/fast/conv_shape.h"
#include "core/fast/gemm.h"
#include "core/fast/im2col.h"
#include "core/fast/parallel.h"
#include "core/fast/winograd.h"

namespace convlab::fast {
namespace {

using detail::ChannelEpilogue;
using detail::ConvShape;

// Bounds the im2col / col buffer of one tile (floats): 4 Mi floats = 16 MiB,
// enough for every ECNN layer at 256x256 in one tile, while a 4K photo is
// processed in bands instead of needing gigabytes.
constexpr int64_t kDefaultTileBudget = int64_t{4} << 20;
std::atomic<int64_t> g_tile_budget{kDefaultTileBudget};
// Below this many elements per thread a loop runs on the calling thread.
constexpr int64_t kMinParallelFloats = int64_t{1} << 14;
// Output positions per thread below which threads share channels, not bands.
constexpr int64_t kMinBandColumns = 2048;
constexpr int64_t kMinChannelsPerThread = 8;

std::atomic<int> g_threads{0};  // 0: not yet applied to the matrix product

// The im2col / col buffer, kept per calling thread between calls: a fresh
// allocation of several MiB each layer costs page faults on every touch.
std::vector<float>& scratch_buffer() {
  thread_local std::vector<float> buffer;
  return buffer;
}

bool overlaps(const Tensor& a, const Tensor& b) {
  if (a.empty() || b.empty()) return false;
  const float* a0 = a.data();
  const float* b0 = b.data();
  return a0 < b0 + b.numel() && b0 < a0 + a.numel();
}

void ensure_threads_applied() {
  if (g_threads == 0) set_threads(detail::pool_threads());
}

Status check_common(const Tensor& input, const Tensor& weight, const Tensor* bias, const Epilogue& epilogue,
                    const char* op, int64_t out_channels) {
  if (input.rank() != 4) {
    return make_error(op, ": input must be rank 4 (N, C, H, W), got shape ", shape_to_string(input.shape()));
  }
  if (weight.rank() != 4) {
    return make_error(op, ": weight must be rank 4, got shape ", shape_to_string(weight.shape()));
  }
  for (int axis = 0; axis < 4; ++axis) {
    if (weight.dim(axis) < 1)
      return make_error(op, ": weight shape ", shape_to_string(weight.shape()), " is empty");
    if (input.dim(axis) > INT_MAX)
      return make_error(op, ": input shape ", shape_to_string(input.shape()), " too big");
  }
  if (input.c() < 1 || input.h() < 1 || input.w() < 1) {
    return make_error(op, ": input shape ", shape_to_string(input.shape()), " has an empty C, H or W");
  }
  if (bias != nullptr && (bias->rank() != 1 || bias->dim(0) != out_channels)) {
    return make_error(op, ": bias must have shape (", out_channels, ") to match the weight's ", out_channels,
                      " output channels, got ", shape_to_string(bias->shape()));
  }
  const auto check_vector = [&](std::span<const float> v, const char* name) -> Status {
    if (!v.empty() && static_cast<int64_t>(v.size()) != out_channels) {
      return make_error(op, ": epilogue ", name, " has ", v.size(), " values, expected ", out_channels,
                        " (one per output channel) or none");
    }
    return {};
  };
  CONVLAB_TRY(check_vector(epilogue.scale, "scale"));
  CONVLAB_TRY(check_vector(epilogue.shift, "shift"));
  return {};
}

Status check_slot(const OutputSlot& slot, const ConvShape& s, const Tensor& input, const Tensor& weight,
                  const Tensor* bias, const char* op) {
  if (slot.tensor == nullptr) return make_error(op, ": output slot has no tensor");
  const Tensor& out = *slot.tensor;
  const Shape want{s.n, s.o, s.oh, s.ow};
  if (out.rank() != 4 || out.n() != s.n || out.h() != s.oh || out.w() != s.ow) {
    return make_error(op, ": output slot tensor has shape ", shape_to_string(out.shape()), ", expected (",
                      s.n, ", >= ", slot.channel_offset, " + ", s.o, ", ", s.oh, ", ", s.ow, ") for output ",
                      shape_to_string(want));
  }
  if (slot.channel_offset < 0 || slot.channel_offset + s.o > out.c()) {
    return make_error(op, ": output slot channels [", slot.channel_offset, ", ", slot.channel_offset + s.o,
                      ") do not fit in the slot tensor's ", out.c(), " channels");
  }
  if (overlaps(out, input) || overlaps(out, weight) || (bias != nullptr && overlaps(out, *bias))) {
    return make_error(op, ": output slot tensor shares memory with an input, weight or bias");
  }
  return {};
}

// The input's geometry as im2col (im2col.h) sees it.
Im2colGeometry im2col_geometry(const ConvShape& s, const Conv2dParams& p) {
  // In Im2colGeometry's field order.
  return {s.c,        s.h,        s.w,          s.kh,         s.kw,          s.ow,
          p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.padding.top, p.padding.left};
}

// out (M x N, leading dimension ldc) = a (M x K) * b (K x N).
void gemm(bool transpose_a, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
          int64_t ldb, float* out, int64_t ldc) {
  sgemm(transpose_a, false, m, n, k, a, lda, b, ldb, 0.0f, out, ldc);
}

bool is_pointwise(const ConvShape& s, const Conv2dParams& p) {
  return s.kh == 1 && s.kw == 1 && p.stride_h == 1 && p.stride_w == 1 && p.padding == Padding2d{};
}

// How one image's work is shared between the threads. The matrix product runs
// single-threaded inside each share (see set_threads): splitting the work
// ourselves keeps each thread's im2col, product and epilogue on its own core
// and cache, with one wake-up per layer instead of one per loop.
//  Bands: each thread takes a band of output rows (big images).
//  Channels: each thread takes a range of output channels (small images,
//            where bands would be too thin for an efficient product).
bool split_in_bands(int64_t rows, int64_t row_width) {
  const int64_t threads = detail::pool_threads();
  return threads == 1 || rows * row_width >= threads * kMinBandColumns;
}

int64_t min_rows_per_band(int64_t row_width) { return std::max<int64_t>(1, kMinBandColumns / row_width); }

// Output rows [oy0, oy1) of all channels: im2col in bounded tiles, product, epilogue.
void conv2d_band(const float* x, const float* weight, const ConvShape& s, const Conv2dParams& p,
                 const ChannelEpilogue& epi, float* out, int64_t oy0, int64_t oy1) {
  const int64_t plane = s.oh * s.ow;
  const int64_t k = s.c * s.kh * s.kw;
  const int64_t rows_per_tile = std::clamp<int64_t>(g_tile_budget.load() / (k * s.ow), 1, oy1 - oy0);
  std::vector<float>& col = scratch_buffer();
  col.resize(static_cast<size_t>(k * rows_per_tile * s.ow));
  for (int64_t y0 = oy0; y0 < oy1; y0 += rows_per_tile) {
    const int64_t y1 = std::min(oy1, y0 + rows_per_tile);
    const int64_t cols = (y1 - y0) * s.ow;
    float* tile = out + y0 * s.ow;
    if (is_pointwise(s, p)) {  // the input planes already are the matrix
      gemm(false, s.o, cols, k, weight, k, x + y0 * s.ow, s.h * s.w, tile, plane);
    } else {
      im2col_rows(x, im2col_geometry(s, p), y0, y1, 0, k, col.data(), cols);
      gemm(false, s.o, cols, k, weight, k, col.data(), cols, tile, plane);
    }
    epi.apply_planes(0, s.o, tile, plane, cols);
  }
}

// All output rows, channels [o0, o1), from a shared im2col matrix.
void conv2d_channels(const float* x, const float* weight, const ConvShape& s, const Conv2dParams& p,
                     const ChannelEpilogue& epi, float* out) {
  const int64_t plane = s.oh * s.ow;
  const int64_t k = s.c * s.kh * s.kw;
  const int64_t rows_per_tile = std::clamp<int64_t>(g_tile_budget.load() / (k * s.ow), 1, s.oh);
  std::vector<float>& col = scratch_buffer();  // the caller's; workers only read it
  const bool pointwise = is_pointwise(s, p);
  if (!pointwise) col.resize(static_cast<size_t>(k * rows_per_tile * s.ow));
  for (int64_t y0 = 0; y0 < s.oh; y0 += rows_per_tile) {
    const int64_t y1 = std::min(s.oh, y0 + rows_per_tile);
    const int64_t cols = (y1 - y0) * s.ow;
    const float* matrix = x + y0 * s.ow;
    int64_t ldb = s.h * s.w;
    if (!pointwise) {
      const Im2colGeometry geometry = im2col_geometry(s, p);
      detail::parallel_for(k, std::max<int64_t>(1, kMinParallelFloats / cols), [&](int64_t k0, int64_t k1) {
        im2col_rows(x, geometry, y0, y1, k0, k1, col.data(), cols);
      });
      matrix = col.data();
      ldb = cols;
    }
    float* tile = out + y0 * s.ow;
    detail::parallel_for(s.o, kMinChannelsPerThread, [&](int64_t o0, int64_t o1) {
      gemm(false, o1 - o0, cols, k, weight + o0 * k, k, matrix, ldb, tile + o0 * plane, plane);
      epi.apply_planes(o0, o1, tile + o0 * plane, plane, cols);
    });
  }
}

void conv2d_image(const float* x, const float* weight, const ConvShape& s, const Conv2dParams& p,
                  const ChannelEpilogue& epi, float* out) {
  if (split_in_bands(s.oh, s.ow)) {
    detail::parallel_for(s.oh, min_rows_per_band(s.ow),
                         [&](int64_t oy0, int64_t oy1) { conv2d_band(x, weight, s, p, epi, out, oy0, oy1); });
  } else {
    conv2d_channels(x, weight, s, p, epi, out);
  }
}

// Four floats in one SSE / wasm SIMD register (GCC and Clang vectors): the
// compilers do not reliably vectorize the depthwise sums written as plain loops.
using Float4 = float __attribute__((vector_size(16)));

Float4 load4(const float* p) {
  Float4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The input plane of one depthwise channel with each row split into its
// stride phases: phase q of a row holds its columns q, q + s, q + 2s, ...
// Output column x then reads tap kx at phase (kx*d - pad) mod s, index
// x + floor((kx*d - pad) / s): contiguous along x for every stride. With
// stride 1 the plane is used in place.
struct PhasedPlane {
  const float* rows = nullptr;  // row iy starts at rows + iy * pitch
  int64_t pitch = 0;
  int64_t channel = -1;        // whose plane it holds
  std::vector<float> storage;  // strides > 1

  void load(const float* plane, int64_t c, int64_t h, int64_t w, int64_t stride) {
    channel = c;
    if (stride == 1) {
      rows = plane;
      pitch = w;
      return;
    }
    const int64_t phase_width = (w + stride - 1) / stride;
    pitch = stride * phase_width;
    storage.resize(static_cast<size_t>(h * pitch));
    for (int64_t y = 0; y < h; ++y) {
      const float* src = plane + y * w;
      float* dst = storage.data() + y * pitch;
      for (int64_t q = 0; q < stride; ++q, dst += phase_width) {
        const int64_t count = (w - q + stride - 1) / stride;  // columns q, q + s, ... < w
        if (stride == 2) {                                    // a constant stride: the loop vectorizes
          for (int64_t j = 0; j < count; ++j) dst[j] = src[2 * j + q];
        } else {
          for (int64_t j = 0; j < count; ++j) dst[j] = src[j * stride + q];
        }
        std::fill(dst + count, dst + phase_width, 0.0f);  // never read: keeps the buffer defined
      }
    }
    rows = storage.data();
  }
};

// Where tap kx of output column x lies in a phased row: at x + tap_offset[kx].
std::vector<int64_t> phased_tap_offsets(const ConvShape& s, const Conv2dParams& p) {
  const int64_t stride = p.stride_w, phase_width = stride == 1 ? s.w : (s.w + stride - 1) / stride;
  std::vector<int64_t> offsets;
  for (int64_t kx = 0; kx < s.kw; ++kx) {
    const int64_t offset = kx * p.dilation_w - p.padding.left;
    const int64_t phase = ((offset % stride) + stride) % stride;
    offsets.push_back(phase * phase_width + (offset - phase) / stride);
  }
  return offsets;
}

// A depthwise conv (one input channel per group; s.o / s.groups filters
// each): direct loops over rows [r0, r1) of the channel-major list of all
// output rows. Each output is its taps summed in the reference's (ky, kx)
// order, the taps on the zero frame skipped, so the sums are the
// reference's. With one input channel per filter, im2col would copy every
// input value KH*KW times for a product one row high; these loops read the
// input in place (or, strided, once split into phases) and keep 16 sums in
// registers. One thread, against per-channel im2col + sgemm (measured with
// OpenBLAS's AVX2 kernels, before oneDNN): 1x32x56x56 3x3 145 us against 190 us, stride 2
// on 1x32x112x112 195 us against 290 us, 1x256x14x14 about even.
// Bit-for-bit the reference's sums, which im2col + sgemm are not.
void depthwise_rows(const float* x, const float* weight, const ConvShape& s, const Conv2dParams& p,
                    const ChannelEpilogue& epi, float* out, int64_t r0, int64_t r1) {
  constexpr int64_t kBlock = 16;  // output columns summed in registers at once
  const int64_t multiplier = s.o / s.groups;
  const std::vector<int64_t> tap_offset = phased_tap_offsets(s, p);
  // Per kx, the output columns [lo, hi) whose tap lies inside the input row;
  // columns [inner_lo, inner_hi) have every tap inside.
  std::vector<int64_t> lo(static_cast<size_t>(s.kw)), hi(static_cast<size_t>(s.kw));
  int64_t inner_lo = 0, inner_hi = s.ow;
  for (int64_t kx = 0; kx < s.kw; ++kx) {
    const size_t i = static_cast<size_t>(kx);
    valid_range(kx * p.dilation_w - p.padding.left, p.stride_w, s.w, s.ow, lo[i], hi[i]);
    inner_lo = std::max(inner_lo, lo[i]);
    inner_hi = std::min(inner_hi, hi[i]);
  }
  if (inner_lo >= inner_hi) inner_lo = inner_hi = s.ow;
  thread_local PhasedPlane plane;
  plane.channel = -1;
  std::vector<const float*> phased, original, filters;  // per kernel row inside the image
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t o = r / s.oh, oy = r % s.oh, c = o / multiplier;
    if (plane.channel != c) plane.load(x + c * s.h * s.w, c, s.h, s.w, p.stride_w);
    phased.clear(), original.clear(), filters.clear();
    for (int64_t ky = 0; ky < s.kh; ++ky) {
      const int64_t iy = oy * p.stride_h - p.padding.top + ky * p.dilation_h;
      if (iy < 0 || iy >= s.h) continue;
      phased.push_back(plane.rows + iy * plane.pitch);
      original.push_back(x + (c * s.h + iy) * s.w);
      filters.push_back(weight + (o * s.kh + ky) * s.kw);
    }
    float* row = out + r * s.ow;
    // Columns with a tap on the zero frame: one at a time, those taps skipped.
    const auto edge = [&](int64_t x0, int64_t x1) {
      for (int64_t ox = x0; ox < x1; ++ox) {
        float acc = 0.0f;
        for (size_t k = 0; k < original.size(); ++k)
          for (int64_t kx = 0; kx < s.kw; ++kx) {
            const size_t i = static_cast<size_t>(kx);
            if (ox < lo[i] || ox >= hi[i]) continue;
            acc += filters[k][kx] * original[k][ox * p.stride_w + kx * p.dilation_w - p.padding.left];
          }
        row[ox] = acc;
      }
    };
    edge(0, inner_lo);
    int64_t ox = inner_lo;
    for (; ox + kBlock <= inner_hi; ox += kBlock) {
      Float4 acc[kBlock / 4] = {};
      for (size_t k = 0; k < phased.size(); ++k)
        for (int64_t kx = 0; kx < s.kw; ++kx) {
          const float* src = phased[k] + tap_offset[static_cast<size_t>(kx)] + ox;
          const Float4 w = Float4{} + filters[k][kx];
          for (int64_t q = 0; q < kBlock / 4; ++q) acc[q] += w * load4(src + 4 * q);
        }
      std::memcpy(row + ox, acc, sizeof acc);
    }
    for (; ox + 4 <= inner_hi; ox += 4) {
      Float4 acc = {};
      for (size_t k = 0; k < phased.size(); ++k)
        for (int64_t kx = 0; kx < s.kw; ++kx)
          acc += (Float4{} + filters[k][kx]) * load4(phased[k] + tap_offset[static_cast<size_t>(kx)] + ox);
      std::memcpy(row + ox, &acc, sizeof acc);
    }
    for (; ox < inner_hi; ++ox) {
      float acc = 0.0f;
      for (size_t k = 0; k < phased.size(); ++k)
        for (int64_t kx = 0; kx < s.kw; ++kx)
          acc += filters[k][kx] * phased[k][tap_offset[static_cast<size_t>(kx)] + ox];
      row[ox] = acc;
    }
    edge(inner_hi, s.ow);
    if (!epi.is_identity()) epi.apply(o, row, s.ow);
  }
}

// Work (multiply-adds) below which a loop over groups stays on one thread.
int64_t min_groups_per_thread(int64_t work_per_group) {
  return std::max<int64_t>(1, kMinParallelFloats / std::max<int64_t>(1, work_per_group));
}

// One image of a grouped conv: each group is an ordinary conv on its slices
// (input planes, filters, output planes, epilogue entries). With at least as
// many groups as threads, each thread takes whole groups; otherwise the
// groups run one after another, each shared by the threads.
void conv2d_grouped_image(const float* x, const float* weight, const ConvShape& s, const Conv2dParams& p,
                          const ChannelEpilogue& epi, float* out) {
  const ConvShape g = s.group();
  const int64_t plane = s.oh * s.ow;
  if (g.c == 1) {
    detail::parallel_for(s.o * s.oh, std::max<int64_t>(1, kMinParallelFloats / (s.ow * s.kh * s.kw)),
                         [&](int64_t r0, int64_t r1) { depthwise_rows(x, weight, s, p, epi, out, r0, r1); });
    return;
  }
  const auto run_group = [&](int64_t i, bool shared) {
    const float* xi = x + i * g.c * s.h * s.w;
    const float* wi = weight + i * g.o * g.c * s.kh * s.kw;
    float* oi = out + i * g.o * plane;
    if (shared) {
      conv2d_image(xi, wi, g, p, epi.from(i * g.o), oi);
    } else {
      conv2d_band(xi, wi, g, p, epi.from(i * g.o), oi, 0, g.oh);
    }
  };
  if (s.groups >= detail::pool_threads()) {
    detail::parallel_for(s.groups, min_groups_per_thread(g.o * g.c * s.kh * s.kw * plane),
                         [&](int64_t g0, int64_t g1) {
                           for (int64_t i = g0; i < g1; ++i) run_group(i, false);
                         });
  } else {
    for (int64_t i = 0; i < s.groups; ++i) run_group(i, true);
  }
}

// For one axis of a transposed convolution: which (tap, input index) pairs
// land on each cropped output index.
struct AxisTaps {
  std::vector<int64_t> first;  // per output index, into taps; size out+1
  std::vector<int64_t> kernel_index;
  std::vector<int64_t> input_index;
};

AxisTaps axis_taps(int64_t in, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
                   int64_t out) {
  AxisTaps taps;
  taps.first.reserve(static_cast<size_t>(out + 1));
  for (int64_t y = 0; y < out; ++y) {
    taps.first.push_back(static_cast<int64_t>(taps.kernel_index.size()));
    for (int64_t ky = 0; ky < kernel; ++ky) {
      const int64_t t = y + padding - ky * dilation;
      if (t < 0 || t % stride != 0 || t / stride >= in) continue;
      taps.kernel_index.push_back(ky);
      taps.input_index.push_back(t / stride);
    }
  }
  taps.first.push_back(static_cast<int64_t>(taps.kernel_index.size()));
  return taps;
}

// Input rows [lo, hi) that output rows [y0, y1) read.
void input_rows_for(const AxisTaps& taps, int64_t y0, int64_t y1, int64_t& lo, int64_t& hi) {
  lo = INT64_MAX;
  hi = INT64_MIN;
  for (int64_t t = taps.first[static_cast<size_t>(y0)]; t < taps.first[static_cast<size_t>(y1)]; ++t) {
    lo = std::min(lo, taps.input_index[static_cast<size_t>(t)]);
    hi = std::max(hi, taps.input_index[static_cast<size_t>(t)] + 1);
  }
  if (lo > hi) lo = hi = 0;
}

struct TransposedTile {
  int64_t y0, y1;          // output rows
  int64_t row_lo, row_hi;  // input rows held in col
};

// Splits output rows [y_begin, y_end) into bands whose col buffer (m rows)
// fits the tile budget, at least one output row each.
std::vector<TransposedTile> transposed_tiles(const AxisTaps& taps, int64_t y_begin, int64_t y_end, int64_t m,
                                             int64_t width) {
  std::vector<TransposedTile> tiles;
  int64_t y0 = y_begin;
  while (y0 < y_end) {
    int64_t y1 = y0 + 1, lo = 0, hi = 0;
    input_rows_for(taps, y0, y1, lo, hi);
    while (y1 < y_end) {
      int64_t next_lo = 0, next_hi = 0;
      input_rows_for(taps, y0, y1 + 1, next_lo, next_hi);
      if ((next_hi - next_lo) * width * m > g_tile_budget.load()) break;
      ++y1;
      lo = next_lo;
      hi = next_hi;
    }
    tiles.push_back({y0, y1, lo, hi});
    y0 = y1;
  }
  return tiles;
}

// Along x, the taps of one kx land on a stride-sw progression: output x =
// ix*sw + kx*dw - pw. Writing x = j*sw + phase, kx always lands on the same
// phase, at j = ix + shift. Summing per phase makes the inner loop a
// contiguous add (which vectorizes); one interleave pass then writes the row.
struct ColumnTaps {
  int64_t phases = 1;                               // = stride_w
  int64_t phase_width = 0;                          // ceil(ow / stride_w)
  std::vector<int64_t> phase, shift, ix_lo, ix_hi;  // per kx
};

ColumnTaps column_taps(const ConvShape& s, const ConvTranspose2dParams& p) {
  ColumnTaps c;
  c.phases = p.stride_w;
  c.phase_width = (s.ow + p.stride_w - 1) / p.stride_w;
  for (int64_t kx = 0; kx < s.kw; ++kx) {
    const int64_t offset = kx * p.dilation_w - p.padding_w;
    const int64_t phase = ((offset % p.stride_w) + p.stride_w) % p.stride_w;
    c.phase.push_back(phase);
    c.shift.push_back((offset - phase) / p.stride_w);
    // ix range with 0 <= x < ow.
    const int64_t lo = offset >= 0 ? 0 : (-offset + p.stride_w - 1) / p.stride_w;
    const int64_t hi = offset > s.ow - 1 ? 0 : std::min(s.w, (s.ow - 1 - offset) / p.stride_w + 1);
    c.ix_lo.push_back(lo);
    c.ix_hi.push_back(std::max(lo, hi));
  }
  return c;
}

// Builds one cropped output row of channel o from that channel's col rows
// (col_o: KH*KW rows of col_cols values for input rows from tile.row_lo).
void gather_row(const float* col_o, int64_t col_cols, int64_t row_lo, const AxisTaps& ytaps,
                const ColumnTaps& xt, const ConvShape& s, int64_t y, float* phases, float* row) {
  std::fill(phases, phases + xt.phases * xt.phase_width, 0.0f);
  for (int64_t t = ytaps.first[static_cast<size_t>(y)]; t < ytaps.first[static_cast<size_t>(y) + 1]; ++t) {
    const int64_t ky = ytaps.kernel_index[static_cast<size_t>(t)];
    const int64_t iy = ytaps.input_index[static_cast<size_t>(t)];
    for (int64_t kx = 0; kx < s.kw; ++kx) {
      const size_t i = static_cast<size_t>(kx);
      const float* src = col_o + (ky * s.kw + kx) * col_cols + (iy - row_lo) * s.w;
      float* dst = phases + xt.phase[i] * xt.phase_width + xt.shift[i];
      for (int64_t ix = xt.ix_lo[i]; ix < xt.ix_hi[i]; ++ix) dst[ix] += src[ix];
    }
  }
  for (int64_t q = 0; q < xt.phases; ++q) {
    const float* src = phases + q * xt.phase_width;
    for (int64_t j = 0, x = q; x < s.ow; ++j, x += xt.phases) row[x] = src[j];
  }
}

// What one transposed convolution precomputes once for all its images.
struct TransposedPlan {
  const ConvShape* s;
  AxisTaps ytaps;
  ColumnTaps xtaps;
};

// Output rows [y0, y1) of channels [o0, o1): products per tile, then the gather.
void conv_transpose2d_part(const float* x, const float* weight, const TransposedPlan& plan,
                           const ChannelEpilogue& epi, float* out, int64_t o0, int64_t o1, int64_t y0,
                           int64_t y1) {
  const ConvShape& s = *plan.s;
  const int64_t taps = s.kh * s.kw;
  const int64_t m = (o1 - o0) * taps;
  const int64_t plane = s.oh * s.ow;
  std::vector<float>& col = scratch_buffer();
  std::vector<float> phases(static_cast<size_t>(plan.xtaps.phases * plan.xtaps.phase_width));
  for (const TransposedTile& tile : transposed_tiles(plan.ytaps, y0, y1, m, s.w)) {
    const int64_t col_cols = (tile.row_hi - tile.row_lo) * s.w;
    if (col_cols > 0) {
      col.resize(static_cast<size_t>(m * col_cols));
      gemm(true, m, col_cols, s.c, weight + o0 * taps, s.o * taps, x + tile.row_lo * s.w, s.h * s.w,
           col.data(), col_cols);
    }
    for (int64_t o = o0; o < o1; ++o) {
      for (int64_t y = tile.y0; y < tile.y1; ++y) {
        float* row = out + o * plane + y * s.ow;
        if (col_cols > 0) {
          gather_row(col.data() + (o - o0) * taps * col_cols, col_cols, tile.row_lo, plan.ytaps, plan.xtaps,
                     s, y, phases.data(), row);
        } else {
          std::fill(row, row + s.ow, 0.0f);
        }
      }
      epi.apply_planes(o, o + 1, out + o * plane + tile.y0 * s.ow, plane, (tile.y1 - tile.y0) * s.ow);
    }
  }
}

void conv_transpose2d_image(const float* x, const float* weight, const TransposedPlan& plan,
                            const ChannelEpilogue& epi, float* out) {
  const ConvShape& s = *plan.s;
  if (s.groups > 1) {  // as conv2d_grouped_image: each group on its slices
    const ConvShape g = s.group();
    const TransposedPlan group_plan{&g, plan.ytaps, plan.xtaps};
    const int64_t plane = s.oh * s.ow;
    const auto run_group = [&](int64_t i, bool shared) {
      const float* xi = x + i * g.c * s.h * s.w;
      const float* wi = weight + i * g.c * g.o * s.kh * s.kw;  // rows of the group's input channels
      float* oi = out + i * g.o * plane;
      if (shared) {
        conv_transpose2d_image(xi, wi, group_plan, epi.from(i * g.o), oi);
      } else {
        conv_transpose2d_part(xi, wi, group_plan, epi.from(i * g.o), oi, 0, g.o, 0, s.oh);
      }
    };
    if (s.groups >= detail::pool_threads()) {
      detail::parallel_for(s.groups, min_groups_per_thread(g.o * g.c * s.kh * s.kw * s.h * s.w),
                           [&](int64_t g0, int64_t g1) {
                             for (int64_t i = g0; i < g1; ++i) run_group(i, false);
                           });
    } else {
      for (int64_t i = 0; i < s.groups; ++i) run_group(i, true);
    }
    return;
  }
  // Bands recompute the input rows two bands share; worth it only when the
  // bands are tall (and the product per band big), otherwise split channels.
  if (split_in_bands(s.h, s.w)) {
    detail::parallel_for(s.oh, min_rows_per_band(s.ow), [&](int64_t y0, int64_t y1) {
      conv_transpose2d_part(x, weight, plan, epi, out, 0, s.o, y0, y1);
    });
  } else {
    detail::parallel_for(s.o, kMinChannelsPerThread, [&](int64_t o0, int64_t o1) {
      conv_transpose2d_part(x, weight, plan, epi, out, o0, o1, 0, s.oh);
    });
  }
}

Size2d size_of(const Tensor& t) { return {static_cast<int>(t.h()), static_cast<int>(t.w())}; }
Size2d kernel_of(const Tensor& w) { return {static_cast<int>(w.dim(2)), static_cast<int>(w.dim(3))}; }

// groups >= 1 dividing both channel counts.
Status check_groups(int groups, int64_t in_channels, int64_t out_channels, const char* op) {
  if (groups < 1 || in_channels % groups != 0 || out_channels % groups != 0) {
    return make_error(op, ": groups ", groups, " must be at least 1 and divide both the ", in_channels,
                      " input channels and the ", out_channels, " output channels");
  }
  return {};
}

Result<ConvShape> conv2d_shape(const Tensor& input, const Tensor& weight, const Tensor* bias,
                               const Conv2dParams& params, const Epilogue& epilogue) {
  const char* op = "conv2d";
  CONVLAB_TRY(check_common(input, weight, bias, epilogue, op, weight.rank() == 4 ? weight.dim(0) : 0));
  const int groups = params.groups;
  CONVLAB_TRY(check_groups(groups, input.c(), weight.dim(0), op));
  if (weight.dim(1) * groups != input.c()) {
    return make_error(op, ": weight ", shape_to_string(weight.shape()), " expects ", weight.dim(1) * groups,
                      " input channels",
                      groups > 1 ? " (" + std::to_string(groups) + " groups)" : std::string(),
                      " but the input ", shape_to_string(input.shape()), " has ", input.c());
  }
  auto out = conv2d_output_size(size_of(input), kernel_of(weight), params);
  if (!out.ok()) return with_context("conv2d: ", out.error());
  return ConvShape{input.n(),     input.c(),     input.h(), input.w(), weight.dim(0),
                   weight.dim(2), weight.dim(3), out->h,    out->w,    groups};
}

Result<ConvShape> conv_transpose2d_shape(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                         const ConvTranspose2dParams& params, const Epilogue& epilogue) {
  const char* op = "conv_transpose2d";
  const int groups = params.groups;
  if (groups < 1) return make_error(op, ": groups ", groups, " must be at least 1");
  const int64_t out_channels = weight.rank() == 4 ? weight.dim(1) * groups : 0;
  CONVLAB_TRY(check_common(input, weight, bias, epilogue, op, out_channels));
  if (weight.dim(0) != input.c()) {
    return make_error(op, ": weight ", shape_to_string(weight.shape()), " (C, O / groups, KH, KW) expects ",
                      weight.dim(0), " input channels but the input ", shape_to_string(input.shape()),
                      " has ", input.c());
  }
  CONVLAB_TRY(check_groups(groups, input.c(), out_channels, op));
  auto out = conv_transpose2d_output_size(size_of(input), kernel_of(weight), params);
  if (!out.ok()) return with_context("conv_transpose2d: ", out.error());
  return ConvShape{input.n(),     input.c(),     input.h(), input.w(), out_channels,
                   weight.dim(2), weight.dim(3), out->h,    out->w,    groups};
}

float* slot_planes(const OutputSlot& slot, int64_t n) {
  Tensor& t = *slot.tensor;
  return t.data() + t.offset(n, slot.channel_offset, 0, 0);
}

}  // namespace

Status conv2d_into(const Tensor& input, const Tensor& weight, const Tensor* bias, const Conv2dParams& params,
                   const Epilogue& epilogue, OutputSlot slot) {
  auto shape = conv2d_shape(input, weight, bias, params, epilogue);
  if (!shape.ok()) return shape.error();
  const ConvShape& s = *shape;
  CONVLAB_TRY(check_slot(slot, s, input, weight, bias, "conv2d"));
  ensure_threads_applied();
  const ChannelEpilogue epi{bias, &epilogue};
  if (detail::use_winograd(s, params)) {
    const auto filters = detail::winograd_filters(weight, s);
    for (int64_t n = 0; n < s.n; ++n) {
      detail::winograd_conv2d_image(input.data() + n * s.c * s.h * s.w, *filters, s, params, epi,
                                    slot_planes(slot, n));
    }
    return {};
  }
  for (int64_t n = 0; n < s.n; ++n) {
    const float* x = input.data() + n * s.c * s.h * s.w;
    if (s.groups == 1) {
      conv2d_image(x, weight.data(), s, params, epi, slot_planes(slot, n));
    } else {
      conv2d_grouped_image(x, weight.data(), s, params, epi, slot_planes(slot, n));
    }
  }
  return {};
}

Result<Tensor> conv2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                      const Conv2dParams& params, const Epilogue& epilogue) {
  auto shape = conv2d_shape(input, weight, bias, params, epilogue);
  if (!shape.ok()) return shape.error();
  Tensor out({shape->n, shape->o, shape->oh, shape->ow});
  CONVLAB_TRY(conv2d_into(input, weight, bias, params, epilogue, OutputSlot{&out, 0}));
  return out;
}

Status conv_transpose2d_into(const Tensor& input, const Tensor& weight, const Tensor* bias,
                             const ConvTranspose2dParams& params, const Epilogue& epilogue, OutputSlot slot) {
  auto shape = conv_transpose2d_shape(input, weight, bias, params, epilogue);
  if (!shape.ok()) return shape.error();
  const ConvShape& s = *shape;
  CONVLAB_TRY(check_slot(slot, s, input, weight, bias, "conv_transpose2d"));
  ensure_threads_applied();
  const ChannelEpilogue epi{bias, &epilogue};
  const TransposedPlan plan{&s,
                            axis_taps(s.h, s.kh, params.stride_h, params.padding_h, params.dilation_h, s.oh),
                            column_taps(s, params)};
  for (int64_t n = 0; n < s.n; ++n) {
    conv_transpose2d_image(input.data() + n * s.c * s.h * s.w, weight.data(), plan, epi,
                           slot_planes(slot, n));
  }
  return {};
}

Result<Tensor> conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor* bias,
                                const ConvTranspose2dParams& params, const Epilogue& epilogue) {
  auto shape = conv_transpose2d_shape(input, weight, bias, params, epilogue);
  if (!shape.ok()) return shape.error();
  Tensor out({shape->n, shape->o, shape->oh, shape->ow});
  CONVLAB_TRY(conv_transpose2d_into(input, weight, bias, params, epilogue, OutputSlot{&out, 0}));
  return out;
}

void set_threads(int threads) {
  g_threads = std::max(1, threads);
  // Our pool shares the work; two levels of threads would oversubscribe.
  sgemm_single_threaded();
  if (detail::pool_threads() != g_threads) detail::set_pool_threads(g_threads);
}

int64_t set_tile_budget_for_testing(int64_t floats) {
  return g_tile_budget.exchange(floats > 0 ? floats : kDefaultTileBudget);
}

void warm_up() { sgemm_warm_up(); }

int threads() {
  const int applied = g_threads.load();
  return applied == 0 ? detail::pool_threads() : applied;
}

}  // namespace convlab::fast
