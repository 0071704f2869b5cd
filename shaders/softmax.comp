#version 430
// Softmax (or log-softmax) of rows, one thread per row: `row_length` values
// `inner` apart, in `outer` blocks (reference::softmax_rows). Subtracting the
// row's largest value first keeps exp from overflowing (logits of 1000 are
// fine), as the CPU reference does; the sum runs in the same order.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int row_length, inner, rows;  // rows = outer * inner
uniform bool log_softmax;
void main() {
  const int row = int(gl_GlobalInvocationID.x);
  if (row >= rows) return;
  const int base = (row / inner) * row_length * inner + row % inner;
  float top = uintBitsToFloat(0xff800000u);  // -infinity
  for (int i = 0; i < row_length; ++i) {
    const float v = x[base + i * inner];
    if (top < v) top = v;  // std::max's rule, where GLSL's max leaves NaN undefined
  }
  float sum = 0.0;
  for (int i = 0; i < row_length; ++i) sum += exp(x[base + i * inner] - top);
  const float log_sum = log(sum);
  for (int i = 0; i < row_length; ++i) {
    const float shifted = x[base + i * inner] - top;
    y[base + i * inner] = log_softmax ? shifted - log_sum : exp(shifted) / sum;
  }
}
