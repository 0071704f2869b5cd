// The lowering that turns a convolution into a matrix product, one copy for
// inference (fast_ops.cpp) and training (train/conv_matrix.cpp): im2col
// copies, for every kernel tap k = (channel, ky, kx), the input values that
// tap meets along a band of output rows into row k of a matrix; col2im is its
// adjoint, adding such rows back into the image (overlapping taps add up).
// Zero padding, stride and dilation are all in the indexing; nothing padded
// is ever stored.
#pragma once

#include <cstdint>

namespace convlab::fast {

struct Im2colGeometry {
  int64_t channels = 0, h = 0, w = 0;  // the image
  int64_t kh = 0, kw = 0;              // the kernel
  int64_t out_w = 0;                   // the output grid's width (its rows are a band [y0, y1))
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0;  // bottom and right padding only shape the output

  int64_t taps() const { return channels * kh * kw; }
};

// Rows [k0, k1) of one image's im2col matrix for output rows [y0, y1): row k
// starts at col + k * ld and holds (y1 - y0) * out_w values.
void im2col_rows(const float* image, const Im2colGeometry& g, int64_t y0, int64_t y1, int64_t k0, int64_t k1,
                 float* col, int64_t ld);

// The adjoint of im2col_rows over all taps: image += col2im(col).
void col2im_add_rows(const float* col, int64_t ld, const Im2colGeometry& g, int64_t y0, int64_t y1,
                     float* image);

// Output columns [lo, hi) whose tap column x = ox * stride + offset lies in [0, width).
void valid_range(int64_t offset, int64_t stride, int64_t width, int64_t out_width, int64_t& lo, int64_t& hi);

}  // namespace convlab::fast
