#version 430
// Max and average pooling (core/ops/pool.h), one thread per output cell. The
// window's taps are visited row by row, as the CPU reference does, so the
// result is the same number:
//  max:     a tap replaces the best only when strictly greater (the first of
//           equal values wins) or NaN (NaN propagates); padding never wins.
//  average: the float sum of the taps on the input, row by row, divided by
//           the count: taps inside the padded input when count_include_pad,
//           else only those on the input. A ceil_mode window's taps past the
//           padded input never count.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int H, W, OH, OW, KH, KW;
uniform int stride_h, stride_w, dil_h, dil_w;
uniform int pad_top, pad_left, pad_bottom, pad_right;
uniform int total;  // N * C * OH * OW
uniform bool is_max, count_include_pad;

void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= total) return;
  const int ox = i % OW, oy = (i / OW) % OH, plane = i / (OW * OH);
  const int base = plane * H * W;
  float best = uintBitsToFloat(0xff800000u);  // -infinity: any input value beats it
  float sum = 0.0;
  int count = 0;
  for (int ky = 0; ky < KH; ++ky) {
    const int iy = oy * stride_h + ky * dil_h - pad_top;
    for (int kx = 0; kx < KW; ++kx) {
      const int ix = ox * stride_w + kx * dil_w - pad_left;
      const bool on_input = iy >= 0 && iy < H && ix >= 0 && ix < W;
      const bool in_padded = iy < H + pad_bottom && ix < W + pad_right;
      if (count_include_pad ? in_padded : on_input) ++count;
      if (!on_input) continue;
      const float v = x[base + iy * W + ix];
      if (v > best || isnan(v)) best = v;
      sum += v;
    }
  }
  y[i] = is_max ? best : sum / float(count);
}
