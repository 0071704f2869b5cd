#version 430
// Channel concat, one source at a time: copies a (N, C, HW) tensor into
// channels [channel_offset, channel_offset + C) of a (N, out_channels_total, HW)
// tensor. The graph runner avoids it where a producer can write into the
// joined tensor directly; this covers the rest (graph inputs, panels).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) buffer Output { float y[]; };
uniform int N, C, HW, out_channels_total, channel_offset;
void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= N * C * HW) return;
  const int hw = i % HW, c = (i / HW) % C, n = i / (HW * C);
  y[(n * out_channels_total + channel_offset + c) * HW + hw] = x[i];
}
