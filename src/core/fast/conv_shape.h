// What the fast convolutions share between their files (fast_ops.cpp and
// winograd.cpp): one convolution's sizes and its per-channel epilogue.
// Internal to the fast path.
#pragma once

#include <cstdint>

#include "core/base/tensor.h"
#include "core/fast/fast_ops.h"

namespace convlab::fast::detail {

struct ConvShape {
  int64_t n = 0, c = 0, h = 0, w = 0;  // input
  int64_t o = 0, kh = 0, kw = 0;       // output channels, kernel
  int64_t oh = 0, ow = 0;              // output
  int64_t groups = 1;                  // c and o split into this many groups

  // One group's convolution: c / groups inputs, o / groups outputs.
  ConvShape group() const {
    ConvShape g = *this;
    g.c = c / groups;
    g.o = o / groups;
    g.groups = 1;
    return g;
  }
};

// Per-channel affine + ReLU of the epilogue, after the bias. Channel c here
// is channel first_channel + c of the bias and the epilogue's vectors (a
// group's channels start past the earlier groups').
struct ChannelEpilogue {
  const Tensor* bias;
  const Epilogue* epilogue;
  int64_t first_channel = 0;

  ChannelEpilogue from(int64_t channel) const { return {bias, epilogue, first_channel + channel}; }

  bool is_identity() const {
    return bias == nullptr && epilogue->scale.empty() && epilogue->shift.empty() && !epilogue->relu;
  }
  void apply(int64_t group_channel, float* values, int64_t count) const {
    const int64_t channel = first_channel + group_channel;
    const float b = bias != nullptr ? (*bias)[channel] : 0.0f;
    const bool scaled = !epilogue->scale.empty();
    const float scale = scaled ? epilogue->scale[static_cast<size_t>(channel)] : 1.0f;
    const float shift = epilogue->shift.empty() ? 0.0f : epilogue->shift[static_cast<size_t>(channel)];
    // Bias first, then the affine: the same rounding as bias-then-batch-norm.
    if (scaled) {
      for (int64_t i = 0; i < count; ++i) values[i] = (values[i] + b) * scale + shift;
    } else {
      for (int64_t i = 0; i < count; ++i) values[i] = (values[i] + b) + shift;
    }
    if (epilogue->relu) {
      for (int64_t i = 0; i < count; ++i) values[i] = values[i] > 0.0f ? values[i] : 0.0f;
    }
  }
  // Channels [c0, c1): `count` values each, planes `stride` apart from `first`.
  void apply_planes(int64_t c0, int64_t c1, float* first, int64_t stride, int64_t count) const {
    if (is_identity()) return;
    for (int64_t c = c0; c < c1; ++c) apply(c, first + (c - c0) * stride, count);
  }
};

}  // namespace convlab::fast::detail
