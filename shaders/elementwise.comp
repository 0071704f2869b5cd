#version 430
// Two-input arithmetic with numpy broadcasting (reference::BinaryOp), one
// thread per output element. The host passes the output's shape and each
// operand's strides broadcast to it (0 on an axis the operand repeats along),
// so one loop over the axes turns the output index into both input offsets.
// MAX_RANK comes from the host (gpu_ops.cpp), which refuses higher ranks.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };
// op: 0 Add, 1 Sub, 2 Mul, 3 Div, 4 PRelu (reference::BinaryOp's order);
// 5 copies the first operand (Expand: a broadcast to the output's shape).
uniform int op, rank, total;
uniform int shape[MAX_RANK], stride_a[MAX_RANK], stride_b[MAX_RANK];

float combine(float u, float v) {
  switch (op) {
    case 0:
      return u + v;
    case 1:
      return u - v;
    case 2:
      return u * v;
    case 3:
      return u / v;
    case 4:
      return u >= 0.0 ? u : u * v;  // v: the slope
    case 5:
      return u;
  }
  return u;
}

void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= total) return;
  int rest = i, ia = 0, ib = 0;
  for (int d = rank - 1; d >= 0; --d) {
    const int index = rest % shape[d];
    rest /= shape[d];
    ia += index * stride_a[d];
    ib += index * stride_b[d];
  }
  y[i] = combine(a[ia], b[ib]);
}
