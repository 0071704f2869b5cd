#include "core/fast/fast_pool.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

}  // namespace

Result<Tensor> pool2d(const Tensor& input, const PoolWindow& window) {
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
  detail::parallel_for(input.n() * input.c(), 1, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const float* plane = in + p * ih * iw;
      float* o = y + p * oh * ow;
      for (int oy = 0; oy < oh; ++oy) {
        const int y0 = oy * w.stride_h - w.padding.top;
        const TapRange rows = valid_taps(y0, w.dilation_h, kh, ih);
        const int rows_counted = padded_taps(y0, w.dilation_h, kh, ih, w.padding.bottom);
        for (int ox = 0; ox < ow; ++ox) {
          const int x0 = ox * w.stride_w - w.padding.left;
          const TapRange cols = valid_taps(x0, w.dilation_w, kw, iw);
          float value;
          if (window.max) {
            value = -std::numeric_limits<float>::infinity();
            for (int ky = rows.first; ky < rows.last; ++ky) {
              const float* row = plane + (y0 + ky * w.dilation_h) * iw + x0;
              for (int kx = cols.first; kx < cols.last; ++kx) {
                const float v = row[kx * w.dilation_w];
                if (v > value || std::isnan(v)) value = v;
              }
            }
          } else {
            float sum = 0.0f;
            for (int ky = rows.first; ky < rows.last; ++ky) {
              const float* row = plane + (y0 + ky * w.dilation_h) * iw + x0;
              for (int kx = cols.first; kx < cols.last; ++kx) sum += row[kx * w.dilation_w];
            }
            const int count = window.count_include_pad
                                  ? rows_counted * padded_taps(x0, w.dilation_w, kw, iw, w.padding.right)
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
