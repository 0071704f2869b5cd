#version 430
// Global average pooling: (N, C, spatial...) -> (N, C, 1...), one thread per
// channel of an image, summing its plane in memory order (as the CPU
// reference does) and dividing by the plane's size.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int plane;  // values per channel: the product of the spatial axes
uniform int total;  // N * C
void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= total) return;
  float sum = 0.0;
  for (int p = 0; p < plane; ++p) sum += x[i * plane + p];
  y[i] = sum / float(plane);
}
