#include "core/explore/activation_stats.h"

#include <algorithm>
#include <cmath>

namespace convlab::explore {

float ValueSummary::max_abs() const { return std::max(std::fabs(min), std::fabs(max)); }

ValueSummary summarize_values(std::span<const float> values) {
  ValueSummary s;
  double sum = 0, sum_sq = 0;
  bool first = true;
  for (float v : values) {
    if (!std::isfinite(v)) {
      ++s.non_finite;
      continue;
    }
    if (first) s.min = s.max = v, first = false;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
    sum += v;
    ++s.count;
  }
  if (s.count == 0) return s;
  s.mean = sum / static_cast<double>(s.count);
  // Second pass around the mean: no cancellation for large activations.
  for (float v : values)
    if (std::isfinite(v)) sum_sq += (v - s.mean) * (v - s.mean);
  s.std = std::sqrt(sum_sq / static_cast<double>(s.count));
  return s;
}

std::span<const float> channel_values(const Tensor& activation, int64_t channel) {
  const int64_t plane = activation.h() * activation.w();
  return {activation.data() + channel * plane, static_cast<size_t>(plane)};
}

ActivationSummary summarize_activation(const Tensor& activation) {
  ActivationSummary summary;
  if (activation.rank() != 4) return summary;
  const int64_t channels = activation.c();
  summary.channels.reserve(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c)
    summary.channels.push_back(summarize_values(channel_values(activation, c)));
  summary.all =
      summarize_values({activation.data(), static_cast<size_t>(channels * activation.h() * activation.w())});
  summary.signed_values = summary.all.count > 0 && summary.all.min < 0.0f;
  return summary;
}

int Histogram::total() const {
  int sum = 0;
  for (int count : counts) sum += count;
  return sum;
}

Histogram make_histogram(std::span<const float> values, int bins, float low, float high) {
  Histogram h;
  if (!(low < high)) {
    high = low + 0.5f;
    low -= 0.5f;
  }
  h.low = low;
  h.high = high;
  h.counts.assign(static_cast<size_t>(std::max(bins, 1)), 0);
  const double width = (static_cast<double>(high) - low) / static_cast<double>(h.counts.size());
  for (float v : values) {
    if (!std::isfinite(v)) {
      ++h.non_finite;
      continue;
    }
    const double bin = std::floor((static_cast<double>(v) - low) / width);
    const auto index = static_cast<size_t>(std::clamp(bin, 0.0, static_cast<double>(h.counts.size() - 1)));
    ++h.counts[index];
  }
  return h;
}

}  // namespace convlab::explore
