#version 430
// Batch normalization, applied: y = (x - mean[c]) * inv_std[c] * gamma[c] + beta[c],
// one thread per element. The host passes the statistics to use (running stats
// in eval, the batch's from batch_norm_stats.comp in training) as mean and
// inv_std = 1/sqrt(var + eps), the same formula as the CPU reference.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Mean { float mean[]; };
layout(std430, binding = 2) readonly buffer InvStd { float inv_std[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 4) readonly buffer Beta { float beta[]; };
layout(std430, binding = 5) writeonly buffer Output { float y[]; };

uniform int C, HW, total;

void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= total) return;
  const int c = (i / HW) % C;
  y[i] = (x[i] - mean[c]) * inv_std[c] * gamma[c] + beta[c];
}
