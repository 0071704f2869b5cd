// The three matrix forms every convolution pass of training reduces to.
//
// A convolution relates an "image" tensor I (N, Ci, H, W) and a "grid"
// tensor G (N, Cg, GH, GW) through a weight matrix M (Cg x Ci*KH*KW):
//   G[n][g][gy][gx] = sum over (ci, ky, kx) of M[g][(ci, ky, kx)] *
//                     I[n][ci][gy*sh - pad_top + ky*dh][gx*sw - pad_left + kx*dw]
// (taps outside I read zero). conv2d is I = input, G = output, M = weight
// (O x C*KH*KW). A transposed convolution is the same relation read the other
// way: I = its output (O channels), G = its input, M = its weight (C x O*KH*KW).
// So the six passes of training (forward, grad input, grad weight of both
// ops) are three operations:
//   gather    G = M * im2col(I)           conv2d forward, conv_transpose2d grad input
//   scatter   I = col2im(M^T * G)         conv_transpose2d forward, conv2d grad input
//   correlate dM = G * im2col(I)^T        grad weight of both
//
// Work is split over images, one range per thread of the fast path's pool,
// so no two threads ever write the same element (col2im's overlapping adds
// stay inside one thread) and each thread keeps its own grad-weight partial;
// the partials are summed in a fixed order. Within a thread, images are
// processed in chunks: several whole images when an image is small (so the
// matrix products are wide enough to be efficient), or bands of grid rows
// when one image alone would exceed the scratch budget.
#pragma once

#include <cstdint>

namespace convlab::train::detail {

struct ConvGeometry {
  int64_t n = 0;                   // images
  int64_t ci = 0, h = 0, w = 0;    // image side
  int64_t cg = 0, gh = 0, gw = 0;  // grid side
  int64_t kh = 0, kw = 0;          // kernel
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0;  // the bottom/right padding only shapes GH, GW
  int64_t dilation_h = 1, dilation_w = 1;

  int64_t k() const { return ci * kh * kw; }  // columns of M
};

// g: (N, Cg, GH, GW) overwritten; bias (Cg) or nullptr added per grid channel.
void gather(const ConvGeometry& geo, const float* image, const float* m, const float* bias, float* grid);
// image: (N, Ci, H, W), added to (callers pass zeros); bias (Ci) or nullptr
// added per image channel.
void scatter(const ConvGeometry& geo, const float* grid, const float* m, const float* bias, float* image);
// dm: (Cg x K) overwritten with the sum over all images.
void correlate(const ConvGeometry& geo, const float* image, const float* grid, float* dm);

// Per-channel sums over N, H, W of a (N, C, H, W) tensor (a bias gradient),
// accumulated in double.
void channel_sums(const float* x, int64_t n, int64_t c, int64_t plane, float* out);

// Testing hook: the most floats one scratch matrix of one thread may hold
// (default 2 Mi; <= 0 restores it). Small budgets force row bands on small
// images. Returns the previous budget.
int64_t set_scratch_budget_for_testing(int64_t floats);

}  // namespace convlab::train::detail
