// gather / scatter / correlate (conv_matrix.h) as im2col / col2im around
// sgemm (gemm.h). Layouts, all row-major, for one chunk of `cols` grid
// positions (images [n0, n1), grid rows [y0, y1) of each, in that order):
//   col   K x cols    col[(ci,ky,kx)][(n,gy,gx)] = I[n][ci][iy][ix] or 0
//   grid  Cg x cols   the chunk's grid values; a view into G (leading
//                     dimension GH*GW) when the chunk is one image, else a
//                     packed copy
//   M     Cg x K
#include "core/train/conv_matrix.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include "core/fast/fast_ops.h"
#include "core/fast/gemm.h"
#include "core/fast/im2col.h"
#include "core/fast/parallel.h"

namespace convlab::train::detail {
namespace {

// 2 Mi floats (8 MiB) per scratch matrix and thread: wide enough that the
// products of ECNN's 8x8 bottleneck layers cover several images at once,
// small enough that big photos are processed in bands.
constexpr int64_t kDefaultScratchBudget = int64_t{2} << 20;
std::atomic<int64_t> g_scratch_budget{kDefaultScratchBudget};

// Our pool shares the work; the matrix product must run one thread inside each share
// (fast::set_threads applies that, and keeps the pool's size).
void ensure_blas_single_threaded() {
  static std::once_flag once;
  std::call_once(once, [] { fast::set_threads(fast::threads()); });
}

// Scratch matrices kept per thread between calls (0: im2col / col2im
// columns, 1: a packed grid chunk): fresh multi-MiB buffers would page-fault
// on every touch, every layer.
std::vector<float>& scratch(int which) {
  thread_local std::vector<float> buffers[2];
  return buffers[which];
}

float* scratch_data(int which, int64_t floats) {
  std::vector<float>& buffer = scratch(which);
  if (static_cast<int64_t>(buffer.size()) < floats) buffer.resize(static_cast<size_t>(floats));
  return buffer.data();
}

void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  fast::sgemm(transpose_a, transpose_b, m, n, k, a, lda, b, ldb, beta, c, ldc);
}

struct Chunk {
  int64_t n0, n1;  // images
  int64_t y0, y1;  // grid rows of each image
  int64_t rows() const { return y1 - y0; }
  bool single_image() const { return n1 - n0 == 1; }
};

int64_t chunk_cols(const ConvGeometry& g, const Chunk& c) { return (c.n1 - c.n0) * c.rows() * g.gw; }

// Splits images [n0, n1) into chunks whose scratch matrices (at most
// max(K, Cg) rows) fit the budget: whole images when they fit, bands of rows
// otherwise.
template <class Body>
void for_each_chunk(const ConvGeometry& g, int64_t n0, int64_t n1, Body&& body) {
  const int64_t plane = g.gh * g.gw;
  const int64_t max_cols = std::max<int64_t>(1, g_scratch_budget.load() / std::max(g.k(), g.cg));
  if (max_cols >= plane) {
    const int64_t images = max_cols / plane;
    for (int64_t n = n0; n < n1; n += images) body(Chunk{n, std::min(n1, n + images), 0, g.gh});
    return;
  }
  const int64_t rows = std::max<int64_t>(1, max_cols / g.gw);
  for (int64_t n = n0; n < n1; ++n)
    for (int64_t y = 0; y < g.gh; y += rows) body(Chunk{n, n + 1, y, std::min(g.gh, y + rows)});
}

// One task per thread (at most one per image); body(task, n0, n1).
template <class Body>
void for_each_task(int64_t images, Body&& body) {
  const int64_t tasks = std::clamp<int64_t>(fast::detail::pool_threads(), 1, images);
  fast::detail::parallel_for(tasks, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) body(t, images * t / tasks, images * (t + 1) / tasks);
  });
}

// The image side of the geometry as im2col (fast/im2col.h) sees it.
fast::Im2colGeometry im2col_geometry(const ConvGeometry& g) {
  // In Im2colGeometry's field order.
  return {g.ci,       g.h,        g.w,          g.kh,         g.kw,      g.gw,
          g.stride_h, g.stride_w, g.dilation_h, g.dilation_w, g.pad_top, g.pad_left};
}

// The chunk's im2col matrix (K x cols): its images side by side, each the
// grid rows [y0, y1).
void im2col(const ConvGeometry& g, const Chunk& c, const float* image, float* col) {
  const fast::Im2colGeometry geometry = im2col_geometry(g);
  const int64_t cols = chunk_cols(g, c), block = c.rows() * g.gw;
  for (int64_t n = c.n0; n < c.n1; ++n)
    fast::im2col_rows(image + n * g.ci * g.h * g.w, geometry, c.y0, c.y1, 0, g.k(), col + (n - c.n0) * block,
                      cols);
}

void col2im_add(const ConvGeometry& g, const Chunk& c, const float* col, float* image) {
  const fast::Im2colGeometry geometry = im2col_geometry(g);
  const int64_t cols = chunk_cols(g, c), block = c.rows() * g.gw;
  for (int64_t n = c.n0; n < c.n1; ++n)
    fast::col2im_add_rows(col + (n - c.n0) * block, cols, geometry, c.y0, c.y1, image + n * g.ci * g.h * g.w);
}

struct GridMatrix {
  float* data;
  int64_t ld;
  bool packed;
};

// Offset of row y of channel `channel` of image n in G.
int64_t grid_offset(const ConvGeometry& g, int64_t n, int64_t channel, int64_t y) {
  return ((n * g.cg + channel) * g.gh + y) * g.gw;
}

// Where to write the chunk's grid values as a Cg x cols matrix: into G
// itself when the chunk is one image (leading dimension GH*GW), else into a
// packed scratch matrix to unpack.
GridMatrix grid_output(const ConvGeometry& g, const Chunk& c, float* grid) {
  if (c.single_image()) return {grid + grid_offset(g, c.n0, 0, c.y0), g.gh * g.gw, false};
  return {scratch_data(1, g.cg * chunk_cols(g, c)), chunk_cols(g, c), true};
}

// Copies between G and a packed chunk matrix.
void pack(const ConvGeometry& g, const Chunk& c, const float* grid, float* packed) {
  const int64_t block = c.rows() * g.gw;
  for (int64_t ch = 0; ch < g.cg; ++ch)
    for (int64_t n = c.n0; n < c.n1; ++n)
      std::memcpy(packed + ch * chunk_cols(g, c) + (n - c.n0) * block, grid + grid_offset(g, n, ch, c.y0),
                  static_cast<size_t>(block) * sizeof(float));
}

void unpack(const ConvGeometry& g, const Chunk& c, const float* packed, float* grid) {
  const int64_t block = c.rows() * g.gw;
  for (int64_t ch = 0; ch < g.cg; ++ch)
    for (int64_t n = c.n0; n < c.n1; ++n)
      std::memcpy(grid + grid_offset(g, n, ch, c.y0), packed + ch * chunk_cols(g, c) + (n - c.n0) * block,
                  static_cast<size_t>(block) * sizeof(float));
}

// The chunk's grid values to read as a Cg x cols matrix (leading dimension
// ld): G itself when the chunk is one image, else a packed copy.
const float* grid_input(const ConvGeometry& g, const Chunk& c, const float* grid, int64_t& ld) {
  if (c.single_image()) {
    ld = g.gh * g.gw;
    return grid + grid_offset(g, c.n0, 0, c.y0);
  }
  float* packed = scratch_data(1, g.cg * chunk_cols(g, c));
  pack(g, c, grid, packed);
  ld = chunk_cols(g, c);
  return packed;
}

void add_to_rows(float* rows, int64_t count, int64_t length, int64_t ld, const float* values) {
  for (int64_t r = 0; r < count; ++r) {
    float* row = rows + r * ld;
    const float v = values[r];
    for (int64_t i = 0; i < length; ++i) row[i] += v;
  }
}

}  // namespace

void gather(const ConvGeometry& g, const float* image, const float* m, const float* bias, float* grid) {
  ensure_blas_single_threaded();
  const int64_t plane = g.gh * g.gw;
  for_each_task(g.n, [&](int64_t, int64_t n0, int64_t n1) {
    for_each_chunk(g, n0, n1, [&](const Chunk& c) {
      const int64_t cols = chunk_cols(g, c);
      float* col = scratch_data(0, g.k() * cols);
      im2col(g, c, image, col);
      const GridMatrix out = grid_output(g, c, grid);
      gemm(false, false, g.cg, cols, g.k(), m, g.k(), col, cols, 0.0f, out.data, out.ld);
      if (out.packed) unpack(g, c, out.data, grid);
      if (bias == nullptr) return;
      for (int64_t n = c.n0; n < c.n1; ++n)
        add_to_rows(grid + grid_offset(g, n, 0, c.y0), g.cg, c.rows() * g.gw, plane, bias);
    });
  });
}

void scatter(const ConvGeometry& g, const float* grid, const float* m, const float* bias, float* image) {
  ensure_blas_single_threaded();
  const int64_t plane = g.h * g.w;
  for_each_task(g.n, [&](int64_t, int64_t n0, int64_t n1) {
    for_each_chunk(g, n0, n1, [&](const Chunk& c) {
      const int64_t cols = chunk_cols(g, c);
      int64_t ld = 0;
      const float* in = grid_input(g, c, grid, ld);
      float* col = scratch_data(0, g.k() * cols);
      gemm(true, false, g.k(), cols, g.cg, m, g.k(), in, ld, 0.0f, col, cols);
      col2im_add(g, c, col, image);
    });
    if (bias != nullptr)
      for (int64_t n = n0; n < n1; ++n) add_to_rows(image + n * g.ci * plane, g.ci, plane, plane, bias);
  });
}

void correlate(const ConvGeometry& g, const float* image, const float* grid, float* dm) {
  ensure_blas_single_threaded();
  const int64_t size = g.cg * g.k();
  const int64_t tasks = std::clamp<int64_t>(fast::detail::pool_threads(), 1, g.n);
  // Task 0 sums into dm itself, the others into their own partials.
  std::vector<std::vector<float>> partials(static_cast<size_t>(tasks - 1));
  for_each_task(g.n, [&](int64_t task, int64_t n0, int64_t n1) {
    float* target = dm;
    if (task > 0) {
      std::vector<float>& partial = partials[static_cast<size_t>(task - 1)];
      partial.resize(static_cast<size_t>(size));
      target = partial.data();
    }
    std::fill(target, target + size, 0.0f);
    for_each_chunk(g, n0, n1, [&](const Chunk& c) {
      const int64_t cols = chunk_cols(g, c);
      float* col = scratch_data(0, g.k() * cols);
      im2col(g, c, image, col);
      int64_t ld = 0;
      const float* in = grid_input(g, c, grid, ld);
      gemm(false, true, g.cg, g.k(), cols, in, ld, col, cols, 1.0f, target, g.k());
    });
  });
  for (const auto& partial : partials)
    for (int64_t i = 0; i < size; ++i) dm[i] += partial[static_cast<size_t>(i)];
}

void channel_sums(const float* x, int64_t n, int64_t c, int64_t plane, float* out) {
  fast::detail::parallel_for(c, std::max<int64_t>(1, (int64_t{1} << 15) / std::max<int64_t>(1, n * plane)),
                             [&](int64_t c0, int64_t c1) {
                               for (int64_t ch = c0; ch < c1; ++ch) {
                                 double sum = 0.0;
                                 for (int64_t i = 0; i < n; ++i) {
                                   const float* p = x + (i * c + ch) * plane;
                                   for (int64_t j = 0; j < plane; ++j) sum += p[j];
                                 }
                                 out[ch] = static_cast<float>(sum);
                               }
                             });
}

int64_t set_scratch_budget_for_testing(int64_t floats) {
  return g_scratch_budget.exchange(floats > 0 ? floats : kDefaultScratchBudget);
}

}  // namespace convlab::train::detail
