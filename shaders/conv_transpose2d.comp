#version 430
// conv_transpose2d as a gather (each output reads its inputs: no write races),
// split by output phase so no thread tests taps that cannot reach it.
// Output row oy receives input row iy through kernel row ky when
//   oy + pad_h - ky*dil_h = iy*stride_h.
// All rows with the same phase ph = oy mod stride_h use the same kernel rows
// ky = ky0 + t*ky_step (t < n_ky), and then iy = j + (ph + pad_h - ky*dil_h)/stride_h
// for output row oy = ph + j*stride_h. So one phase is an ordinary implicit
// matrix product with K = C/G * n_ky * n_kx taps (G groups, below):
//   A[o][k] = weight[c][o][ky][kx]      (weight stored C,O/G,KH,KW as in PyTorch)
//   B[k][p] = input[c][iy][ix], 0 off the input
// With G groups, group g is its own product: input channels c in
// [g*C/G, (g+1)*C/G), its O/G filters, output channels g*O/G + o.
// z = (n * G + g) * phases + phase. Tiles and epilogue as conv2d.comp.
// Defines: WG_M, TM, TN, HAS_BIAS, HAS_SCALE, HAS_SHIFT, RELU.
#ifndef TM
#define TM 4
#endif
#ifndef TN
#define TN 4
#endif
#ifndef WG_M
#define WG_M 16
#endif
#ifndef WG_N  // 256 / WG_M, given as a literal: GLSL 4.30 takes no expressions in layout()
#define WG_N 16
#endif
#define BM (WG_M * TM)
#define BN (WG_N * TN)
#define BK 16

layout(local_size_x = WG_N, local_size_y = WG_M) in;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) readonly buffer Scale { float scale[]; };
layout(std430, binding = 4) readonly buffer Shift { float shift[]; };
layout(std430, binding = 5) buffer Output { float y[]; };

uniform int C, H, W;
uniform int O, OH, OW;
uniform int G;  // groups (dividing C and O)
uniform int KH, KW;
uniform int stride_h, stride_w, pad_h, pad_w, dil_h, dil_w;
uniform int out_channels_total;
uniform int channel_offset;

shared float tile_a[BK][BM];
shared float tile_b[BK][BN];

// First kernel index whose taps land on this phase, and the step between them.
void phase_taps(int phase, int pad, int dil, int stride, int kernel, out int k0, out int step, out int count) {
  int g = stride, b = dil;  // gcd(stride, dil)
  while (b != 0) { int t = g % b; g = b; b = t; }
  step = stride / g;
  k0 = kernel;
  // GLSL leaves % and / of negative ints undefined, so shift the numerator
  // by a multiple of the stride that makes it non-negative first.
  const int lift = stride * (kernel * dil + 1);
  for (int k = 0; k < step && k < kernel; ++k) {
    if ((phase + pad - k * dil + lift) % stride == 0) { k0 = k; break; }
  }
  count = k0 < kernel ? (kernel - 1 - k0) / step + 1 : 0;
}

void main() {
  const int phases = stride_h * stride_w;
  const int n = int(gl_WorkGroupID.z) / phases / G;
  const int group = int(gl_WorkGroupID.z) / phases % G;
  const int phase = int(gl_WorkGroupID.z) % phases;
  const int CG = C / G, OG = O / G;  // channels and filters of one group
  const int ph = phase / stride_w, pw = phase % stride_w;
  const int OHp = (OH - ph + stride_h - 1) / stride_h;  // output rows of this phase
  const int OWp = (OW - pw + stride_w - 1) / stride_w;
  const int P = OHp * OWp;
  const int p_base = int(gl_WorkGroupID.x) * BN;
  if (P <= 0 || p_base >= P) return;  // uniform per work group: no barrier is skipped by part of it

  int ky0, ky_step, n_ky, kx0, kx_step, n_kx;
  phase_taps(ph, pad_h, dil_h, stride_h, KH, ky0, ky_step, n_ky);
  phase_taps(pw, pad_w, dil_w, stride_w, KW, kx0, kx_step, n_kx);
  const int taps = n_ky * n_kx;
  const int lift_h = stride_h * (KH * dil_h + 1), lift_w = stride_w * (KW * dil_w + 1);
  const int K = CG * taps;

  const int tx = int(gl_LocalInvocationID.x);
  const int ty = int(gl_LocalInvocationID.y);
  const int thread = ty * WG_N + tx;
  const int o_base = int(gl_WorkGroupID.y) * BM;
  const int input_base = (n * C + group * CG) * H * W;

  float acc[TM][TN];
  for (int i = 0; i < TM; ++i)
    for (int j = 0; j < TN; ++j) acc[i][j] = 0.0;

  for (int k0 = 0; k0 < K; k0 += BK) {
    for (int e = thread; e < BK * BM; e += 256) {
      const int kk = e % BK, mm = e / BK;
      const int o = o_base + mm, k = k0 + kk;
      float v = 0.0;
      if (o < OG && k < K) {
        const int c = group * CG + k / taps, t = k % taps;
        const int ky = ky0 + (t / n_kx) * ky_step, kx = kx0 + (t % n_kx) * kx_step;
        v = w[((c * OG + o) * KH + ky) * KW + kx];
      }
      tile_a[kk][mm] = v;
    }
    for (int e = thread; e < BK * BN; e += 256) {
      const int pp = e % BN, kk = e / BN;
      const int p = p_base + pp, k = k0 + kk;
      float v = 0.0;
      if (p < P && k < K) {
        const int c = k / taps, t = k - c * taps;
        const int ky = ky0 + (t / n_kx) * ky_step, kx = kx0 + (t % n_kx) * kx_step;
        const int j = p / OWp, i = p - j * OWp;
        // Exact divisions by construction, on non-negative numerators (see phase_taps).
        const int iy = j + (ph + pad_h - ky * dil_h + lift_h) / stride_h - lift_h / stride_h;
        const int ix = i + (pw + pad_w - kx * dil_w + lift_w) / stride_w - lift_w / stride_w;
        const bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
        v = inside ? x[input_base + (c * H + iy) * W + ix] : 0.0;
      }
      tile_b[kk][pp] = v;
    }
    barrier();
    for (int kk = 0; kk < BK; ++kk) {
      float a[TM], b[TN];
      for (int i = 0; i < TM; ++i) a[i] = tile_a[kk][ty + WG_M * i];
      for (int j = 0; j < TN; ++j) b[j] = tile_b[kk][tx + WG_N * j];
      for (int i = 0; i < TM; ++i)
        for (int j = 0; j < TN; ++j) acc[i][j] += a[i] * b[j];
    }
    barrier();
  }

  for (int i = 0; i < TM; ++i) {
    const int og = o_base + ty + WG_M * i;
    if (og >= OG) continue;
    const int o = group * OG + og;
    for (int jj = 0; jj < TN; ++jj) {
      const int p = p_base + tx + WG_N * jj;
      if (p >= P) continue;
      const int oy = ph + (p / OWp) * stride_h, ox = pw + (p % OWp) * stride_w;
      float v = acc[i][jj];
#if HAS_BIAS
      v += bias[o];
#endif
#if HAS_SCALE
      v *= scale[o];
#endif
#if HAS_SHIFT
      v += shift[o];
#endif
#if RELU
      v = max(v, 0.0);
#endif
      y[((n * out_channels_total + channel_offset + o) * OH + oy) * OW + ox] = v;
    }
  }
}
