// Winograd F(4x4, 3x3) convolution (winograd.h): the transforms, the cache
// of transformed filters, and the three passes per chunk of tiles.
#include "core/fast/winograd.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <list>
#include <mutex>
#include <vector>

#include "core/fast/gemm.h"
#include "core/fast/parallel.h"

// Float8 values never cross a call that is not inlined: the note that their
// ABI would differ with AVX on is moot.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace convlab::fast::detail {
namespace {

// Each 4x4 block of outputs (M) comes from a 6x6 block of inputs (A); the
// points are 0, +-1, +-2 and infinity. B^T takes an input block to the
// Winograd domain, G a filter, A^T a product back to outputs. F(2x2, 3x3)
// was measured too: on no ResNet-18 layer did it beat both F(4x4) and im2col.
constexpr int M = 4;
constexpr int A = 6;
constexpr float kBT[A][A] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                             {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
constexpr double kG[A][3] = {{1.0 / 4, 0, 0},
                             {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                             {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                             {1.0 / 24, 1.0 / 12, 1.0 / 6},
                             {1.0 / 24, -1.0 / 12, 1.0 / 6},
                             {0, 0, 1}};
constexpr float kAT[M][A] = {
    {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};

// When Winograd pays (oneDNN sgemm, 2 cores, ResNet-18 at 224x224, per
// layer): 56x56x64 1.55 -> 1.0 ms, 28x28x128 1.07 -> 0.81 ms; at 14x14 and
// 7x7 im2col is as fast or faster (the transforms and the filters, 4x the
// size in the Winograd domain, cost what the smaller product saves). The
// 16-channel floor is a judgement, not a measurement: with fewer channels
// per product the transforms' share of the work grows.
constexpr int64_t kMinOutputPositions = 20 * 20;
constexpr int64_t kMinChannels = 16;
// Tiles per chunk are bounded so that V and M stay near the caches: this
// many floats for both together (at least one row of tiles).
constexpr int64_t kDefaultChunkFloats = int64_t{1} << 20;
// The cache's bound (floats): ResNet-18's eligible filters take 3 Mi.
constexpr int64_t kMaxCachedFloats = int64_t{16} << 20;

std::atomic<WinogradUse> g_use{WinogradUse::Auto};
std::atomic<int64_t> g_chunk_floats{kDefaultChunkFloats};

using Float8 = float __attribute__((vector_size(32)));
constexpr int64_t kLanes = 8;

Float8 load8(const float* p) {
  Float8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
void store8(float* p, Float8 v) { std::memcpy(p, &v, sizeof v); }

}  // namespace

struct WinogradFilters {
  const float* source = nullptr;  // the weight tensor's data: the cache's key
  int64_t o = 0, c = 0;
  std::vector<float> original;  // the filters as transformed, to check the key still holds them
  std::vector<float> u;         // A^2 x O x C
};

namespace {

// U[xi][o][c] = (G g G^T)[xi] for each 3x3 filter g, in double and rounded once.
std::vector<float> transform_filters(const float* w, int64_t o_count, int64_t c_count) {
  std::vector<float> u(static_cast<size_t>(A * A * o_count * c_count));
  const int64_t xi_stride = o_count * c_count;
  for (int64_t o = 0; o < o_count; ++o) {
    for (int64_t c = 0; c < c_count; ++c) {
      const float* g = w + (o * c_count + c) * 9;
      double gg[A][3];  // G g
      for (int i = 0; i < A; ++i)
        for (int k = 0; k < 3; ++k) gg[i][k] = kG[i][0] * g[k] + kG[i][1] * g[3 + k] + kG[i][2] * g[6 + k];
      for (int i = 0; i < A; ++i)
        for (int j = 0; j < A; ++j) {
          const double v = gg[i][0] * kG[j][0] + gg[i][1] * kG[j][1] + gg[i][2] * kG[j][2];
          u[static_cast<size_t>((i * A + j) * xi_stride + o * c_count + c)] = static_cast<float>(v);
        }
    }
  }
  return u;
}

// Filters are transformed once per weight tensor, not once per call (for a
// ResNet layer that would cost a fifth of the convolution). A training step
// rewrites weights in place, so an entry is reused only while its copy of
// the filters equals the tensor bit for bit (a compare costs what one read
// of the weights costs); otherwise it is redone.
class FilterCache {
 public:
  std::shared_ptr<const WinogradFilters> get(const Tensor& weight, int64_t o, int64_t c) {
    const size_t bytes = static_cast<size_t>(weight.numel()) * sizeof(float);
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      const WinogradFilters& e = **it;
      if (e.source != weight.data() || e.o != o || e.c != c) continue;
      if (e.original.size() * sizeof(float) == bytes &&
          std::memcmp(e.original.data(), weight.data(), bytes) == 0) {
        entries_.splice(entries_.begin(), entries_, it);  // most recently used first
        return entries_.front();
      }
      held_floats_ -= floats_of(e);
      entries_.erase(it);
      break;
    }
    auto entry = std::make_shared<WinogradFilters>();
    entry->source = weight.data();
    entry->o = o;
    entry->c = c;
    entry->original = weight.values();
    entry->u = transform_filters(weight.data(), o, c);
    ++transforms_;
    held_floats_ += floats_of(*entry);
    entries_.push_front(entry);
    while (held_floats_ > kMaxCachedFloats && entries_.size() > 1) {
      held_floats_ -= floats_of(*entries_.back());
      entries_.pop_back();
    }
    return entry;
  }

  WinogradCacheStats stats() {
    std::lock_guard lock(mutex_);
    return {static_cast<int64_t>(entries_.size()), transforms_};
  }

 private:
  static int64_t floats_of(const WinogradFilters& e) {
    return static_cast<int64_t>(e.u.size() + e.original.size());
  }

  std::mutex mutex_;
  std::list<std::shared_ptr<const WinogradFilters>> entries_;
  int64_t held_floats_ = 0;
  int64_t transforms_ = 0;
};

FilterCache& filter_cache() {
  static FilterCache cache;
  return cache;
}

// ---- The passes, per chunk of tile rows -----------------------------------------

struct Chunk {
  int64_t row0 = 0, row1 = 0;  // tile rows
  int64_t tiles_w = 0;         // tiles per row
  int64_t tiles() const { return (row1 - row0) * tiles_w; }
  // V's and M's rows hold this many: the tiles rounded up to whole vectors,
  // and one vector more for the input transform's spill (input_transform).
  int64_t pitch() const { return (tiles() + kLanes - 1) / kLanes * kLanes + kLanes; }
};

// The transforms run on kLanes tiles at once, one tile per lane (GCC / Clang
// vectors: SSE, AVX or WebAssembly SIMD, whatever the target has); the
// constant matrices are unrolled into the code, their zeros and ones folded.

// out[j][i] = sum_l m[j][l] * in[i][l]: m times each row of `in`, the
// results as columns.
template <int Rows, int InRows, typename Matrix>
inline void multiply_rows(const Matrix& m, const Float8 (&in)[InRows][A], Float8 (&out)[Rows][InRows]) {
#pragma GCC unroll 8
  for (int j = 0; j < Rows; ++j)
#pragma GCC unroll 8
    for (int i = 0; i < InRows; ++i) {
      Float8 sum = {};
#pragma GCC unroll 8
      for (int l = 0; l < A; ++l)
        if (m[j][l] != 0) sum += m[j][l] * in[i][l];
      out[j][i] = sum;
    }
}

// out = L in R^T for the A x A block `in`, L and R being B^T (inputs) or
// A^T (outputs): (in R^T)^T first, then L times the transpose of that.
template <int RowsL, int RowsR, typename ML, typename MR>
inline void sandwich(const Float8 (&in)[A][A], const ML& left, const MR& right, Float8 (&out)[RowsL][RowsR]) {
  Float8 right_applied[RowsR][A];  // [j][k] = (in R^T)[k][j]
  multiply_rows<RowsR>(right, in, right_applied);
  multiply_rows<RowsL>(left, right_applied, out);  // [i][j] = sum_k L[i][k] (in R^T)[k][j]
}

// V for channels [c0, c1) of one chunk. Per channel, the rows the chunk's
// tiles read are copied once, zero-padded, with each row split into its M
// phases (phase q holds columns q, q+M, q+2M, ...): column tx*M + l of a
// row is then phase l % M at index tx + l / M, so the blocks of kLanes
// neighbouring tiles are kLanes-wide contiguous loads. B^T d B goes to
// V[k*A+l][c][tile], contiguous along the tiles.
void input_transform(const float* x, const ConvShape& s, const Conv2dParams& p, const Chunk& chunk,
                     int64_t c0, int64_t c1, float* v) {
  const int64_t tw = chunk.tiles_w;
  const int64_t pitch = chunk.pitch();
  const int64_t xi_stride = s.c * pitch;
  const int64_t rows = (chunk.row1 - chunk.row0) * M + 2;  // padded rows the chunk reads
  const int64_t phase_width = tw + 1 + kLanes;             // room for the last vector's lanes
  const int64_t row_pitch = M * phase_width;
  const int64_t first_row = chunk.row0 * M - p.padding.top;  // input row of padded row 0
  // Per phase q: the phase indices j whose column j*M + q - pad_left is inside the image.
  int64_t lo[M], hi[M];
  for (int q = 0; q < M; ++q) {
    const int64_t offset = q - p.padding.left;
    lo[q] = std::min(phase_width, offset >= 0 ? 0 : (-offset + M - 1) / M);
    hi[q] = std::clamp<int64_t>(s.w - offset <= 0 ? 0 : (s.w - offset + M - 1) / M, lo[q], phase_width);
  }
  thread_local std::vector<float> phased;
  phased.resize(static_cast<size_t>(rows * row_pitch));
  for (int64_t c = c0; c < c1; ++c) {
    const float* plane = x + c * s.h * s.w;
    for (int64_t r = 0; r < rows; ++r) {
      float* dst = phased.data() + r * row_pitch;
      const int64_t iy = first_row + r;
      if (iy < 0 || iy >= s.h) {
        std::fill(dst, dst + row_pitch, 0.0f);
        continue;
      }
      const float* src = plane + iy * s.w - p.padding.left;
      for (int q = 0; q < M; ++q, dst += phase_width) {
        std::fill(dst, dst + lo[q], 0.0f);
        for (int64_t j = lo[q]; j < hi[q]; ++j) dst[j] = src[j * M + q];
        std::fill(dst + hi[q], dst + phase_width, 0.0f);
      }
    }
    float* v_channel = v + c * pitch;
    for (int64_t ty = chunk.row0; ty < chunk.row1; ++ty) {
      const float* block_rows = phased.data() + (ty - chunk.row0) * M * row_pitch;
      float* v_row = v_channel + (ty - chunk.row0) * tw;
      // The last vector of a row spills into the next row's first tiles,
      // which that row rewrites, or into the pitch's spare room.
      for (int64_t tx = 0; tx < tw; tx += kLanes) {
        Float8 d[A][A], out[A][A];
        for (int k = 0; k < A; ++k)
          for (int l = 0; l < A; ++l)
            d[k][l] = load8(block_rows + k * row_pitch + (l % M) * phase_width + tx + l / M);
        sandwich(d, kBT, kBT, out);
        for (int i = 0; i < A; ++i)
          for (int j = 0; j < A; ++j) store8(v_row + (i * A + j) * xi_stride + tx, out[i][j]);
      }
    }
  }
}

// Outputs of channels [o0, o1) for one chunk: A^T m A for kLanes tiles at a
// time into block[y*m+x][tile], then each output row is filled from it
// (clipped at the image's edge) and the epilogue runs over the chunk's rows.
void output_transform(const float* m, const ConvShape& s, const Chunk& chunk, int64_t o0, int64_t o1,
                      const ChannelEpilogue& epi, float* out) {
  const int64_t tw = chunk.tiles_w;
  const int64_t pitch = chunk.pitch();
  const int64_t xi_stride = s.o * pitch;
  const int64_t plane = s.oh * s.ow;
  thread_local std::vector<float> block;
  block.resize(static_cast<size_t>(M * M * pitch));
  const int64_t tiles = chunk.tiles();  // the last vector may reach into the pitch's spare room
  for (int64_t o = o0; o < o1; ++o) {
    for (int64_t t = 0; t < tiles; t += kLanes) {
      Float8 product[A][A], y[M][M];
      for (int i = 0; i < A; ++i)
        for (int j = 0; j < A; ++j) product[i][j] = load8(m + (i * A + j) * xi_stride + o * pitch + t);
      sandwich(product, kAT, kAT, y);
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < M; ++j) store8(block.data() + (i * M + j) * pitch + t, y[i][j]);
    }
    float* out_plane = out + o * plane;
    for (int64_t ty = chunk.row0; ty < chunk.row1; ++ty) {
      const float* tile_row = block.data() + (ty - chunk.row0) * tw;
      for (int yo = 0; yo < M && ty * M + yo < s.oh; ++yo) {
        float* out_row = out_plane + (ty * M + yo) * s.ow;
        for (int xo = 0; xo < M; ++xo) {
          const float* src = tile_row + (yo * M + xo) * pitch;
          for (int64_t tx = 0, col = xo; tx < tw && col < s.ow; ++tx, col += M) out_row[col] = src[tx];
        }
      }
    }
    const int64_t y0 = chunk.row0 * M, y1 = std::min(s.oh, chunk.row1 * M);
    if (!epi.is_identity()) epi.apply(o, out_plane + y0 * s.ow, (y1 - y0) * s.ow);
  }
}

std::vector<float>& scratch(int which) {
  thread_local std::vector<float> buffers[2];
  return buffers[which];
}

}  // namespace

bool use_winograd(const ConvShape& s, const Conv2dParams& p) {
  const WinogradUse use = g_use.load();
  if (use == WinogradUse::Never) return false;
  if (s.groups != 1 || p.groups != 1 || s.kh != 3 || s.kw != 3 || p.stride_h != 1 || p.stride_w != 1 ||
      p.dilation_h != 1 || p.dilation_w != 1)
    return false;
  if (use == WinogradUse::Always) return true;
  return s.c >= kMinChannels && s.o >= kMinChannels && s.oh * s.ow >= kMinOutputPositions;
}

std::shared_ptr<const WinogradFilters> winograd_filters(const Tensor& weight, const ConvShape& s) {
  return filter_cache().get(weight, s.o, s.c);
}

void winograd_conv2d_image(const float* x, const WinogradFilters& filters, const ConvShape& s,
                           const Conv2dParams& p, const ChannelEpilogue& epi, float* out) {
  const int64_t tiles_h = (s.oh + M - 1) / M, tiles_w = (s.ow + M - 1) / M;
  const int64_t floats_per_row = A * A * (s.c + s.o) * (tiles_w + kLanes);
  const int64_t rows_per_chunk = std::clamp<int64_t>(g_chunk_floats.load() / floats_per_row, 1, tiles_h);
  std::vector<float>& v = scratch(0);  // the caller's; the workers write their shares
  std::vector<float>& m = scratch(1);
  for (int64_t row0 = 0; row0 < tiles_h; row0 += rows_per_chunk) {
    const Chunk chunk{row0, std::min(tiles_h, row0 + rows_per_chunk), tiles_w};
    const int64_t tiles = chunk.tiles(), pitch = chunk.pitch();
    v.resize(static_cast<size_t>(A * A * s.c * pitch));
    m.resize(static_cast<size_t>(A * A * s.o * pitch));
    parallel_for(s.c, 1, [&](int64_t c0, int64_t c1) { input_transform(x, s, p, chunk, c0, c1, v.data()); });
    parallel_for(A * A, 1, [&](int64_t xi0, int64_t xi1) {
      for (int64_t xi = xi0; xi < xi1; ++xi) {
        sgemm(false, false, s.o, tiles, s.c, filters.u.data() + xi * s.o * s.c, s.c,
              v.data() + xi * s.c * pitch, pitch, 0.0f, m.data() + xi * s.o * pitch, pitch);
      }
    });
    parallel_for(s.o, 1,
                 [&](int64_t o0, int64_t o1) { output_transform(m.data(), s, chunk, o0, o1, epi, out); });
  }
}

WinogradUse set_winograd_use_for_testing(WinogradUse use) { return g_use.exchange(use); }

int64_t set_winograd_chunk_for_testing(int64_t floats) {
  return g_chunk_floats.exchange(floats > 0 ? floats : kDefaultChunkFloats);
}

WinogradCacheStats winograd_cache_stats() { return filter_cache().stats(); }

}  // namespace convlab::fast::detail
