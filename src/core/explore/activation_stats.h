// What the network panel's layer inspector says about an activation: per
// channel min / max / mean / standard deviation, the whole layer's, and a
// histogram. Plain numbers from a (1, C, H, W) tensor; NaN and inf are
// counted apart so one bad value cannot hide the others.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/tensor.h"

namespace convlab::explore {

struct ValueSummary {
  float min = 0, max = 0;
  double mean = 0, std = 0;  // std: population standard deviation
  int64_t count = 0;         // finite values
  int64_t non_finite = 0;    // NaN or inf, left out of the rest
  float max_abs() const;
};

ValueSummary summarize_values(std::span<const float> values);

struct ActivationSummary {
  std::vector<ValueSummary> channels;
  ValueSummary all;
  bool signed_values = false;  // some value < 0: show with the diverging colormap
};
// `activation`: (1, C, H, W) (the first batch item of a larger batch).
ActivationSummary summarize_activation(const Tensor& activation);

// Fixed-width bins over [low, high]; bin i is [low + i*w, low + (i+1)*w),
// the last bin also holds `high` (values outside land in the end bins).
// Non-finite values are counted apart.
struct Histogram {
  float low = 0, high = 0;
  std::vector<int> counts;
  int non_finite = 0;
  int total() const;  // sum of counts (non_finite excluded)
};
// bins >= 1; low < high (an empty or reversed range is widened to low - 0.5 .. low + 0.5).
Histogram make_histogram(std::span<const float> values, int bins, float low, float high);

// One channel's H*W values of the first batch item.
std::span<const float> channel_values(const Tensor& activation, int64_t channel);

}  // namespace convlab::explore
