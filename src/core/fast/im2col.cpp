#include "core/fast/im2col.h"

#include <algorithm>
#include <cstring>

namespace convlab::fast {

namespace {

// dst[i] = src[i * stride]. Strides 1 and 2 (the ECNN convs) get loops with a
// constant stride, which the compiler vectorizes; a runtime stride does not.
void copy_strided(const float* src, int64_t stride, float* dst, int64_t count) {
  if (stride == 1) {
    std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(float));
  } else if (stride == 2) {
    for (int64_t i = 0; i < count; ++i) dst[i] = src[2 * i];
  } else {
    for (int64_t i = 0; i < count; ++i) dst[i] = src[i * stride];
  }
}

// dst[i * stride] += src[i], with the same constant-stride loops.
void add_strided(const float* src, int64_t stride, float* dst, int64_t count) {
  if (stride == 1) {
    for (int64_t i = 0; i < count; ++i) dst[i] += src[i];
  } else if (stride == 2) {
    for (int64_t i = 0; i < count; ++i) dst[2 * i] += src[i];
  } else {
    for (int64_t i = 0; i < count; ++i) dst[i * stride] += src[i];
  }
}

// Calls row(dst_offset, source row of the image or -1 where the row is in the
// zero padding, lo, hi, x_offset) for every tap k in [k0, k1) and output row.
template <class Row>
void for_each_tap_row(const Im2colGeometry& g, int64_t y0, int64_t y1, int64_t k0, int64_t k1, int64_t ld,
                      Row&& row) {
  const int64_t taps = g.kh * g.kw;
  for (int64_t k = k0; k < k1; ++k) {
    const int64_t c = k / taps;
    const int64_t ky = (k / g.kw) % g.kh;
    const int64_t kx = k % g.kw;
    const int64_t x_offset = kx * g.dilation_w - g.pad_left;
    int64_t lo = 0, hi = 0;
    valid_range(x_offset, g.stride_w, g.w, g.out_w, lo, hi);
    int64_t dst = k * ld;
    for (int64_t y = y0; y < y1; ++y, dst += g.out_w) {
      const int64_t iy = y * g.stride_h - g.pad_top + ky * g.dilation_h;
      const bool inside = iy >= 0 && iy < g.h && lo < hi;
      row(dst, inside ? (c * g.h + iy) * g.w : int64_t{-1}, lo, hi, x_offset);
    }
  }
}

}  // namespace

void valid_range(int64_t offset, int64_t stride, int64_t width, int64_t out_width, int64_t& lo, int64_t& hi) {
  lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  hi = offset > width - 1 ? 0 : (width - 1 - offset) / stride + 1;
  lo = std::min(lo, out_width);
  hi = std::clamp(hi, lo, out_width);
}

void im2col_rows(const float* image, const Im2colGeometry& g, int64_t y0, int64_t y1, int64_t k0, int64_t k1,
                 float* col, int64_t ld) {
  for_each_tap_row(g, y0, y1, k0, k1, ld,
                   [&](int64_t at, int64_t source, int64_t lo, int64_t hi, int64_t x_offset) {
                     float* dst = col + at;
                     if (source < 0) {
                       std::fill(dst, dst + g.out_w, 0.0f);
                       return;
                     }
                     std::fill(dst, dst + lo, 0.0f);
                     copy_strided(image + source + lo * g.stride_w + x_offset, g.stride_w, dst + lo, hi - lo);
                     std::fill(dst + hi, dst + g.out_w, 0.0f);
                   });
}

void col2im_add_rows(const float* col, int64_t ld, const Im2colGeometry& g, int64_t y0, int64_t y1,
                     float* image) {
  for_each_tap_row(
      g, y0, y1, 0, g.taps(), ld, [&](int64_t at, int64_t target, int64_t lo, int64_t hi, int64_t x_offset) {
        if (target < 0) return;
        add_strided(col + at + lo, g.stride_w, image + target + lo * g.stride_w + x_offset, hi - lo);
      });
}

}  // namespace convlab::fast
