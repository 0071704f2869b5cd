// The browser's matrix product: WebAssembly SIMD128, where oneDNN has no
// build. A small Goto-style blocked product: B is packed in panels of 8
// columns (KC x NC blocks that stay in cache), A in panels of 4 rows, and a
// 4x8 micro-kernel keeps its 8 accumulators (4 rows x two 4-lane vectors) in
// registers across the whole KC loop. Zero-padded panels make ragged edges
// ordinary tiles; only the write-back looks at the edges.
#include <wasm_simd128.h>

#include <algorithm>
#include <vector>

#include "core/fast/gemm.h"

namespace convlab::fast {

namespace {

constexpr int64_t kMr = 4, kNr = 8;  // the micro-kernel's tile
constexpr int64_t kKc = 256;         // depth of one packed block
constexpr int64_t kMc = 64;          // rows of A packed at once
constexpr int64_t kNc = 1024;        // columns of B packed at once

// op(x)[row][col] of a row-major matrix stored transposed or not.
inline float at(const float* x, int64_t ld, bool transposed, int64_t row, int64_t col) {
  return transposed ? x[col * ld + row] : x[row * ld + col];
}

// B[pc:pc+kc, jc:jc+nc] as panels of kNr columns: panel p, depth k at (p*kc + k)*kNr.
void pack_b(const float* b, int64_t ldb, bool transposed, int64_t pc, int64_t kc, int64_t jc, int64_t nc,
            float* out) {
  for (int64_t p = 0; p * kNr < nc; ++p) {
    const int64_t cols = std::min(kNr, nc - p * kNr);
    float* panel = out + p * kc * kNr;
    for (int64_t k = 0; k < kc; ++k) {
      float* row = panel + k * kNr;
      if (!transposed && cols == kNr) {
        const float* source = b + (pc + k) * ldb + jc + p * kNr;
        wasm_v128_store(row, wasm_v128_load(source));
        wasm_v128_store(row + 4, wasm_v128_load(source + 4));
        continue;
      }
      for (int64_t j = 0; j < kNr; ++j)
        row[j] = j < cols ? at(b, ldb, transposed, pc + k, jc + p * kNr + j) : 0.0f;
    }
  }
}

// A[ic:ic+mc, pc:pc+kc] as panels of kMr rows: panel p, depth k at (p*kc + k)*kMr.
void pack_a(const float* a, int64_t lda, bool transposed, int64_t ic, int64_t mc, int64_t pc, int64_t kc,
            float* out) {
  for (int64_t p = 0; p * kMr < mc; ++p) {
    const int64_t rows = std::min(kMr, mc - p * kMr);
    float* panel = out + p * kc * kMr;
    for (int64_t k = 0; k < kc; ++k)
      for (int64_t i = 0; i < kMr; ++i)
        panel[k * kMr + i] = i < rows ? at(a, lda, transposed, ic + p * kMr + i, pc + k) : 0.0f;
  }
}

// c[0:rows, 0:cols] (+)= a_panel * b_panel over kc; `accumulate` adds to c.
void micro_kernel(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, int64_t rows,
                  int64_t cols, bool accumulate) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
         c31 = c00;
  for (int64_t k = 0; k < kc; ++k) {
    const v128_t b0 = wasm_v128_load(b + k * kNr), b1 = wasm_v128_load(b + k * kNr + 4);
    const float* ak = a + k * kMr;
    v128_t x = wasm_f32x4_splat(ak[0]);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x, b1));
    x = wasm_f32x4_splat(ak[1]);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(x, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(x, b1));
    x = wasm_f32x4_splat(ak[2]);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(x, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(x, b1));
    x = wasm_f32x4_splat(ak[3]);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(x, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(x, b1));
  }
  alignas(16) float tile[kMr][kNr];
  wasm_v128_store(&tile[0][0], c00);
  wasm_v128_store(&tile[0][4], c01);
  wasm_v128_store(&tile[1][0], c10);
  wasm_v128_store(&tile[1][4], c11);
  wasm_v128_store(&tile[2][0], c20);
  wasm_v128_store(&tile[2][4], c21);
  wasm_v128_store(&tile[3][0], c30);
  wasm_v128_store(&tile[3][4], c31);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) c[i * ldc + j] = accumulate ? c[i * ldc + j] + tile[i][j] : tile[i][j];
}

}  // namespace

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
           const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (beta != 1.0f)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : c[i * ldc + j] * beta;
  if (k <= 0) return;
  // Kept between calls: a forward pass makes dozens of products.
  thread_local std::vector<float> packed_a, packed_b;
  packed_b.resize(static_cast<size_t>(kKc * (kNc + kNr)));
  packed_a.resize(static_cast<size_t>(kKc * (kMc + kMr)));
  for (int64_t jc = 0; jc < n; jc += kNc) {
    const int64_t nc = std::min(kNc, n - jc);
    for (int64_t pc = 0; pc < k; pc += kKc) {
      const int64_t kc = std::min(kKc, k - pc);
      pack_b(b, ldb, transpose_b, pc, kc, jc, nc, packed_b.data());
      for (int64_t ic = 0; ic < m; ic += kMc) {
        const int64_t mc = std::min(kMc, m - ic);
        pack_a(a, lda, transpose_a, ic, mc, pc, kc, packed_a.data());
        for (int64_t jr = 0; jr < nc; jr += kNr)
          for (int64_t ir = 0; ir < mc; ir += kMr)
            micro_kernel(kc, packed_a.data() + (ir / kMr) * kc * kMr, packed_b.data() + (jr / kNr) * kc * kNr,
                         c + (ic + ir) * ldc + jc + jr, ldc, std::min(kMr, mc - ir), std::min(kNr, nc - jr),
                         true);
      }
    }
  }
}

void sgemm_single_threaded() {}

void sgemm_warm_up() {}

const char* sgemm_library() { return "WebAssembly SIMD128 kernel"; }

}  // namespace convlab::fast
