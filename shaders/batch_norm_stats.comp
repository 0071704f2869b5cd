#version 430
// Per-channel mean and variance of a mini-batch over N, H, W: one work group
// per channel, a parallel tree reduction in shared memory, two passes (mean,
// then the sum of squared deviations) so large means do not cancel digits.
// Writes mean[c], biased_var[c] (normalizes in training) and unbiased_var[c]
// (updates running_var).
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Stats { float stats[]; };  // [3][C]: mean, biased, unbiased

uniform int N, C, HW;

shared float partial[256];
shared float column[17];

// Sums `value` over the work group; every thread gets the total. Each of 16
// threads adds 16 partials, then thread 0 adds those 16: barriers stay outside
// loops (llvmpipe mis-synchronizes a barrier inside a loop).
#define REDUCE_SUM(value, result)                                   \
  partial[t] = (value);                                             \
  memoryBarrierShared();                                            \
  barrier();                                                        \
  if (t < 16) {                                                     \
    float s = 0.0;                                                  \
    for (int j = 0; j < 16; ++j) s += partial[t * 16 + j];          \
    column[t] = s;                                                  \
  }                                                                 \
  memoryBarrierShared();                                            \
  barrier();                                                        \
  if (t == 0) {                                                     \
    float s = 0.0;                                                  \
    for (int j = 0; j < 16; ++j) s += column[j];                    \
    column[16] = s;                                                 \
  }                                                                 \
  memoryBarrierShared();                                            \
  barrier();                                                        \
  result = column[16];                                              \
  barrier();

void main() {
  const int c = int(gl_WorkGroupID.x);
  const int t = int(gl_LocalInvocationID.x);
  const int count = N * HW;
  float sum = 0.0;
  for (int e = t; e < count; e += 256) {
    const int n = e / HW, i = e - n * HW;
    sum += x[(n * C + c) * HW + i];
  }
  float total_sum;
  REDUCE_SUM(sum, total_sum)
  const float mean = total_sum / float(count);
  float squares = 0.0;
  for (int e = t; e < count; e += 256) {
    const int n = e / HW, i = e - n * HW;
    const float d = x[(n * C + c) * HW + i] - mean;
    squares += d * d;
  }
  float total_squares;
  REDUCE_SUM(squares, total_squares)
  if (t == 0) {
    stats[c] = mean;
    stats[C + c] = total_squares / float(count);
    stats[2 * C + c] = count > 1 ? total_squares / float(count - 1) : 0.0;
  }
}
