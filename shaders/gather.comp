#version 430
// ONNX Gather: rows of `data` picked along one axis by index, one thread per
// output element. data is seen as (outer, rows, inner) and the output as
// (outer, count, inner). The host has checked every index is in
// [-rows, rows); a negative one counts from the end.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Data { float x[]; };
layout(std430, binding = 1) readonly buffer Indices { int indices[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };
uniform int rows, inner, count, total;  // total = outer * count * inner
void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= total) return;
  const int r = i % inner, k = (i / inner) % count, o = i / (inner * count);
  int row = indices[k];
  if (row < 0) row += rows;
  y[i] = x[(o * rows + row) * inner + r];
}
