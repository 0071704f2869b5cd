#version 430
// Category embedding broadcast: row category[n] of the table (rows, dim) fills
// every pixel of channels [channel_offset, channel_offset + dim) for image n.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Table { float table[]; };
layout(std430, binding = 1) readonly buffer Category { int category[]; };
layout(std430, binding = 2) buffer Output { float y[]; };
uniform int N, dim, HW, out_channels_total, channel_offset;
void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= N * dim * HW) return;
  const int hw = i % HW, d = (i / HW) % dim, n = i / (HW * dim);
  y[(n * out_channels_total + channel_offset + d) * HW + hw] = table[category[n] * dim + d];
}
