// A tiny persistent worker pool for the fast path's memory-bound loops
// (im2col, col2im, epilogue). Threads are created once and reused: starting
// a std::thread per loop would cost tens of microseconds each time, which
// adds up over the dozen loops of one forward pass.
#pragma once

#include <cstdint>
#include <functional>

namespace convlab::fast::detail {

// Runs body(begin, end) over [0, count) split into contiguous chunks, one per
// thread (the caller runs the first). Small counts (below min_per_thread per
// thread) run inline, since waking a worker would cost more than it saves.
void parallel_for(int64_t count, int64_t min_per_thread, const std::function<void(int64_t, int64_t)>& body);

// Number of threads parallel_for uses (>= 1); set_pool_threads restarts the pool.
void set_pool_threads(int threads);
int pool_threads();

}  // namespace convlab::fast::detail
