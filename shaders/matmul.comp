#version 430
// numpy.matmul: a batch of (M, K) x (K, N) products, one thread per output
// element, summing over k in order as the CPU reference does (`precise`: no
// fused multiply-adds). The batch axes broadcast: the host passes the batch
// shape and each operand's batch strides in floats (0 on an axis it repeats
// along). Rank-1 operands arrive promoted (M or N = 1). MAX_RANK comes from
// the host (gpu_ops.cpp).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };
uniform int M, N, K, total;  // total = batches * M * N
uniform int batch_rank;
uniform int batch_shape[MAX_RANK], batch_stride_a[MAX_RANK], batch_stride_b[MAX_RANK];
void main() {
  const int index = int(gl_GlobalInvocationID.x);
  if (index >= total) return;
  const int j = index % N, i = (index / N) % M;
  int rest = index / (M * N), offset_a = 0, offset_b = 0;
  for (int d = batch_rank - 1; d >= 0; --d) {
    const int at = rest % batch_shape[d];
    rest /= batch_shape[d];
    offset_a += at * batch_stride_a[d];
    offset_b += at * batch_stride_b[d];
  }
  precise float acc = 0.0;
  for (int t = 0; t < K; ++t) acc += a[offset_a + i * K + t] * b[offset_b + t * N + j];
  y[index] = acc;
}
