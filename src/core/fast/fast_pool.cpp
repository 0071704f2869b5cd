#include "core/fast/fast_pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/fast/parallel.h"

namespace convlab::fast {
namespace {

// The taps k (0 <= k < count) whose position start + k * step lies in
// [0, size): a range [first, last).
struct TapRange {
  int first = 0, last = 0;
};
TapRange valid_taps(int start, int step, int count, int size) {
  TapRange r{0, count};
  while (r.first < count && start + r.first * step < 0) ++r.first;
  while (r.last > r.first && start + (r.last - 1) * step >= size) --r.last;
  return r;
}

// Taps inside the padded input (what count_include_pad counts): positions
// below size + pad_end; a ceil-mode window may reach past it.
int padded_taps(int start, int step, int count, int size, int pad_end) {
  int n = 0;
  for (int k = 0; k < count; ++k) n += start + k * step < size + pad_end ? 1 : 0;
  return n;
}

// Max pooling of output columns [begin, end) of one row, whose windows are
// all inside the input row: out[ox] over taps in (ky, kx) order, as the
// scalar loop, with x innermost.
void max_row_inner(const float* plane, int iw, int y0, TapRange rows, const Conv2dParams& w, int kw,
                   int begin, int end, float* __restrict out) {
  for (int ox = begin; ox < end; ++ox) out[ox] = -std::numeric_limits<float>::infinity();
  for (int ky = rows.first; ky < rows.last; ++ky) {
    const float* row = plane + (y0 + ky * w.dilation_h) * iw - w.padding.left;
    for (int kx = 0; kx < kw; ++kx) {
      const float* __restrict tap = row + kx * w.dilation_w;
      // A NaN wins and stays (v != v: NaN), as in the reference.
      if (w.stride_w == 2) {  // a constant stride: the loads vectorize
        for (int ox = begin; ox < end; ++ox) {
          const float v = tap[2 * ox];
          out[ox] = v > out[ox] || v != v ? v : out[ox];
        }
      } else {
        for (int ox = begin; ox < end; ++ox) {
          const float v = tap[ox * w.stride_w];
          out[ox] = v > out[ox] || v != v ? v : out[ox];
        }
      }
    }
  }
}

}  // namespace

Result<Tensor> pool2d(const Tensor& input, const PoolOptions& window) {
  if (input.rank() != 4)
    return make_error("pooling input must be (N, C, H, W), got ", shape_to_string(input.shape()));
  const int ih = static_cast<int>(input.h()), iw = static_cast<int>(input.w());
  auto size = pool2d_output_size({ih, iw}, window.kernel, window.params);
  if (!size) return size.error();
  const Conv2dParams& w = window.params.window;
  const int oh = size->h, ow = size->w, kh = window.kernel.h, kw = window.kernel.w;
  Tensor out({input.n(), input.c(), oh, ow});
  const float* in = input.data();
  float* y = out.data();
  // Each output column's valid taps, worked out once for all rows and planes.
  std::vector<TapRange> col_taps(static_cast<size_t>(ow));
  std::vector<int> cols_counted(static_cast<size_t>(ow));
  for (int ox = 0; ox < ow; ++ox) {
    const int x0 = ox * w.stride_w - w.padding.left;
    col_taps[static_cast<size_t>(ox)] = valid_taps(x0, w.dilation_w, kw, iw);
    cols_counted[static_cast<size_t>(ox)] = padded_taps(x0, w.dilation_w, kw, iw, w.padding.right);
  }
  // The columns whose window lies wholly inside the row: max pooling runs
  // them tap by tap across the whole row (the loops swapped so that the
  // compiler vectorizes along x), each output still scanning its taps in the
  // reference's order.
  int inner_begin = 0, inner_end = 0;
  for (int ox = 0; ox < ow; ++ox) {
    const TapRange& c = col_taps[static_cast<size_t>(ox)];
    if (c.first != 0 || c.last != kw) continue;
    if (inner_end == 0) inner_begin = ox;
    inner_end = ox + 1;
  }
  detail::parallel_for(input.n() * input.c(), 1, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const float* plane = in + p * ih * iw;
      float* o = y + p * oh * ow;
      for (int oy = 0; oy < oh; ++oy) {
        const int y0 = oy * w.stride_h - w.padding.top;
        const TapRange rows = valid_taps(y0, w.dilation_h, kh, ih);
        const int rows_counted = padded_taps(y0, w.dilation_h, kh, ih, w.padding.bottom);
        const bool swapped = (window.kind == PoolKind::Max) && inner_end > inner_begin;
        if (swapped) max_row_inner(plane, iw, y0, rows, w, kw, inner_begin, inner_end, o + oy * ow);
        for (int ox = 0; ox < ow; ++ox) {
          if (swapped && ox == inner_begin) ox = inner_end;
          if (ox >= ow) break;
          const int x0 = ox * w.stride_w - w.padding.left;
          const TapRange cols = col_taps[static_cast<size_t>(ox)];
          float value;
          if ((window.kind == PoolKind::Max)) {
            value = -std::numeric_limits<float>::infinity();
            for (int ky = rows.first; ky < rows.last; ++ky) {
              const float* row = plane + (y0 + ky * w.dilation_h) * iw + x0;
              for (int kx = cols.first; kx < cols.last; ++kx) {
                const float v = row[kx * w.dilation_w];
                // A NaN wins and stays (v != v: NaN), as in the reference.
                value = v > value || v != v ? v : value;
              }
            }
          } else {
            float sum = 0.0f;
            for (int ky = rows.first; ky < rows.last; ++ky) {
              const float* row = plane + (y0 + ky * w.dilation_h) * iw + x0;
              for (int kx = cols.first; kx < cols.last; ++kx) sum += row[kx * w.dilation_w];
            }
            const int count = window.count_include_pad ? rows_counted * cols_counted[static_cast<size_t>(ox)]
                                                       : (rows.last - rows.first) * (cols.last - cols.first);
            value = sum / static_cast<float>(count);
          }
          o[oy * ow + ox] = value;
        }
      }
    }
  });
  return out;
}

}  // namespace convlab::fast
