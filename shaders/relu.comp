#version 430
// y = max(x, 0), one thread per element (in place when x and y are one buffer).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int total;
void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i < total) y[i] = max(x[i], 0.0);
}
