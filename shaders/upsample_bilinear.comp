#version 430
// Bilinear resize with PyTorch's align_corners=False convention: the source
// coordinate of output pixel o is (o + 0.5) * in/out - 0.5, clamped at 0;
// the far neighbour is clamped to the last row/column.
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int H, W, OH, OW;  // z = n*C + c planes

float source_coordinate(int o, int in_size, int out_size) {
  return max((float(o) + 0.5) * (float(in_size) / float(out_size)) - 0.5, 0.0);
}

void main() {
  const int ox = int(gl_GlobalInvocationID.x), oy = int(gl_GlobalInvocationID.y);
  if (ox >= OW || oy >= OH) return;
  const int plane = int(gl_GlobalInvocationID.z);
  const float sy = source_coordinate(oy, H, OH), sx = source_coordinate(ox, W, OW);
  const int y0 = min(int(sy), H - 1), x0 = min(int(sx), W - 1);
  const int y1 = min(y0 + 1, H - 1), x1 = min(x0 + 1, W - 1);
  const float fy = sy - float(y0), fx = sx - float(x0);
  const int base = plane * H * W;
  const float top = x[base + y0 * W + x0] * (1.0 - fx) + x[base + y0 * W + x1] * fx;
  const float bottom = x[base + y1 * W + x0] * (1.0 - fx) + x[base + y1 * W + x1] * fx;
  y[plane * OH * OW + oy * OW + ox] = top * (1.0 - fy) + bottom * fy;
}
