// 3x3 stride-1 convolutions by Winograd's minimal filtering, F(4x4, 3x3)
// (Lavin and Gray 2015): each 4x4 block of outputs comes from a 6x6 block
// of inputs with 36 multiplications per channel pair instead of 144. The
// product a ResNet's early layers spend most of their time in shrinks
// fourfold, for a few additions in each transform. Internal to the fast
// path (fast_ops.cpp).
//
// Layout, per image and per chunk of tile rows (T tiles):
//   V  36 x C x T   V[xi][c][t] = (B^T d B)[xi], d the tile's 6x6 input block
//   U  36 x O x C   U[xi][o][c] = (G g G^T)[xi], g the 3x3 filter (cached)
//   M  36 x O x T   M[xi] = U[xi] * V[xi], one sgemm per xi
//   out             A^T M A per tile and channel, then the epilogue
// The sums differ from im2col's in rounding only: the fast-path tests hold
// it to the same tolerance against the reference loops.
#pragma once

#include <cstdint>
#include <memory>

#include "core/base/conv_arithmetic.h"
#include "core/base/tensor.h"
#include "core/fast/conv_shape.h"

namespace convlab::fast::detail {

// Whether conv2d with this shape runs as Winograd rather than im2col +
// sgemm: 3x3, stride 1, undilated, ungrouped, and big enough to pay.
bool use_winograd(const ConvShape& s, const Conv2dParams& p);

// The filters in the Winograd domain, from a cache: computed once per weight
// tensor (and again if its values change), not once per call.
struct WinogradFilters;
std::shared_ptr<const WinogradFilters> winograd_filters(const Tensor& weight, const ConvShape& s);

// One image: x (C, H, W) -> out (O planes of OH x OW, one after another).
void winograd_conv2d_image(const float* x, const WinogradFilters& filters, const ConvShape& s,
                           const Conv2dParams& p, const ChannelEpilogue& epi, float* out);

// Testing hooks, each returning the previous value. Always: every shape
// Winograd can take, however small; Never: im2col for all.
enum class WinogradUse { Auto, Always, Never };
WinogradUse set_winograd_use_for_testing(WinogradUse use);
// The most floats V and M of one chunk may hold (<= 0 restores the default);
// tiny, it makes every tile row a chunk of its own.
int64_t set_winograd_chunk_for_testing(int64_t floats);
// Transformed filters held in the cache, and how often filters were transformed.
struct WinogradCacheStats {
  int64_t entries = 0;
  int64_t transforms = 0;
};
WinogradCacheStats winograd_cache_stats();

}  // namespace convlab::fast::detail
