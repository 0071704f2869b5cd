// Element-wise loops of training shared between the fast path's threads.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/fast/parallel.h"

namespace convlab::train::detail {

// Below this many values per thread a loop stays on the calling thread
// (waking a worker costs more than it saves).
inline constexpr int64_t kMinParallelValues = int64_t{1} << 15;

// body(begin, end) over [0, count) values, split between the threads.
template <class Body>
void parallel_values(int64_t count, Body&& body) {
  fast::detail::parallel_for(count, kMinParallelValues, body);
}

// body(i) for each of `items` items of `values_each` values, split between the threads.
template <class Body>
void parallel_items(int64_t items, int64_t values_each, Body&& body) {
  fast::detail::parallel_for(items,
                             std::max<int64_t>(1, kMinParallelValues / std::max<int64_t>(1, values_each)),
                             [&](int64_t begin, int64_t end) {
                               for (int64_t i = begin; i < end; ++i) body(i);
                             });
}

// The element-wise loops themselves, on unaliased pointers so they vectorize.
inline void relu_values(const float* __restrict x, float* __restrict y, int64_t count) {
  for (int64_t i = 0; i < count; ++i) y[i] = x[i] < 0.0f ? 0.0f : x[i];  // NaN passes, as in PyTorch
}
inline void relu_backward_values(const float* __restrict y, const float* __restrict dy, float* __restrict dx,
                                 int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    const float d = dy[i];  // loaded unconditionally, so the select vectorizes
    dx[i] = y[i] > 0.0f ? d : 0.0f;
  }
}
inline void add_values(float* __restrict sum, const float* __restrict more, int64_t count) {
  for (int64_t i = 0; i < count; ++i) sum[i] += more[i];
}

}  // namespace convlab::train::detail
