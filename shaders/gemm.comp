#version 430
// Gemm: Y = alpha * A' B' + beta * C (A' = A or its transpose, B' likewise),
// one thread per output element. The sum runs over k in order, then is
// scaled, as the CPU reference does; `precise` keeps the compiler from fusing
// multiply-adds, so the rounding is the CPU's too. C is read through strides
// broadcast to (M, N) (0 along an axis it repeats on).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) readonly buffer C { float c[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };
uniform int M, N, K;
uniform bool trans_a, trans_b, has_c;
uniform float alpha, beta;
uniform int c_stride_row, c_stride_col;
void main() {
  const int index = int(gl_GlobalInvocationID.x);
  if (index >= M * N) return;
  const int i = index / N, j = index % N;
  precise float acc = 0.0;
  for (int t = 0; t < K; ++t) {
    const float av = trans_a ? a[t * M + i] : a[i * K + t];
    const float bv = trans_b ? b[j * K + t] : b[t * N + j];
    acc += av * bv;
  }
  precise float result = alpha * acc;
  if (has_c) result += beta * c[i * c_stride_row + j * c_stride_col];
  y[index] = result;
}
