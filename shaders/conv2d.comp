#version 430
// conv2d as an implicit matrix product, one (batch image, group) per z slice.
// With G groups, group g is its own product on its channel slices: its
// O/G filters see only input channels [g*C/G, (g+1)*C/G) (G = C: depthwise).
//   A = the group's weights viewed as [O/G][K], K = C/G*KH*KW (row-major, as PyTorch stores them)
//   B = the input's receptive fields viewed as [K][P], P = OH*OW, never built:
//       B[k][p] = input[g*C/G + c][oy*s - pad_top + ky*d][ox*s - pad_left + kx*d], 0 off the input
//   out[g*O/G + o][p] = act((A*B)[o][p] + bias) * scale + shift, all three of that channel
// A work group of WG_M x WG_N = 256 threads computes a BM x BN tile (BM = WG_M*TM
// output channels, BN = WG_N*TN pixels; layers with few output channels use a
// thin WG_M so no thread computes channels that do not exist); each thread computes TM x TN outputs from BK-deep tiles of A and B
// staged in shared memory. Padding is a bounds mask on the load, not a branch
// around the arithmetic.
// Defines: WG_M, TM, TN (threads and outputs per thread), HAS_BIAS, HAS_SCALE, HAS_SHIFT, RELU (0/1).
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

uniform int C, H, W;          // input channels and size
uniform int O, OH, OW;        // output channels and size
uniform int G;                // groups (dividing C and O)
uniform int KH, KW;
uniform int stride_h, stride_w, pad_top, pad_left, dil_h, dil_w;
uniform int out_channels_total;  // channels of the output tensor (>= channel_offset + O)
uniform int channel_offset;      // where this op's channels start in it

shared float tile_a[BK][BM];
shared float tile_b[BK][BN];

void main() {
  const int n = int(gl_WorkGroupID.z) / G;
  const int group = int(gl_WorkGroupID.z) % G;
  const int CG = C / G, OG = O / G;  // channels and filters of one group
  const int K = CG * KH * KW;
  const int P = OH * OW;
  const int tx = int(gl_LocalInvocationID.x);  // along pixels
  const int ty = int(gl_LocalInvocationID.y);  // along output channels
  const int thread = ty * WG_N + tx;
  const int o_base = int(gl_WorkGroupID.y) * BM;
  const int p_base = int(gl_WorkGroupID.x) * BN;
  const int khw = KH * KW;
  const int input_base = (n * C + group * CG) * H * W;
  const int weight_base = group * OG * K;

  float acc[TM][TN];
  for (int i = 0; i < TM; ++i)
    for (int j = 0; j < TN; ++j) acc[i][j] = 0.0;

  for (int k0 = 0; k0 < K; k0 += BK) {
    // Stage A: BK x BM weights, consecutive threads read consecutive k (coalesced rows of w).
    for (int e = thread; e < BK * BM; e += 256) {
      const int kk = e % BK, mm = e / BK;
      const int o = o_base + mm, k = k0 + kk;
      tile_a[kk][mm] = (o < OG && k < K) ? w[weight_base + o * K + k] : 0.0;
    }
    // Stage B: BK x BN receptive-field values, consecutive threads read consecutive pixels.
    for (int e = thread; e < BK * BN; e += 256) {
      const int pp = e % BN, kk = e / BN;
      const int p = p_base + pp, k = k0 + kk;
      float v = 0.0;
      if (p < P && k < K) {
        const int c = k / khw, r = k - c * khw;
        const int ky = r / KW, kx = r - ky * KW;
        const int oy = p / OW, ox = p - oy * OW;
        const int iy = oy * stride_h - pad_top + ky * dil_h;
        const int ix = ox * stride_w - pad_left + kx * dil_w;
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
    for (int j = 0; j < TN; ++j) {
      const int p = p_base + tx + WG_N * j;
      if (p >= P) continue;
      float v = acc[i][j];
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
      y[(n * out_channels_total + channel_offset + o) * P + p] = v;
    }
  }
}
