#version 430
// Nearest and linear resize over any axes (ONNX Resize), one thread per
// output element. Where each output coordinate samples the input (the
// coordinate transformation and nearest rounding modes) is a per-axis table
// the host computes with the CPU reference's own function
// (reference::resize_taps) in double precision, so ties round as there:
// axis d's output coordinate o uses entry tap_offset[d] + o, two source
// indices (equal for nearest) and the second one's weight. Linear mode blends
// the 2^rank corners of that box (weight 0 on an axis not resized).
// MAX_RANK comes from the host (gpu_ops.cpp).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer TapIndex { ivec2 tap_index[]; };  // (low, high)
layout(std430, binding = 2) readonly buffer TapWeight { float tap_weight[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };
uniform int rank, total;
uniform bool linear_mode;
uniform int out_shape[MAX_RANK], in_stride[MAX_RANK], tap_offset[MAX_RANK];
void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= total) return;
  int tap[MAX_RANK];
  int rest = i;
  for (int d = rank - 1; d >= 0; --d) {
    tap[d] = tap_offset[d] + rest % out_shape[d];
    rest /= out_shape[d];
  }
  if (!linear_mode) {
    int source = 0;
    for (int d = 0; d < rank; ++d) source += tap_index[tap[d]].x * in_stride[d];
    y[i] = x[source];
    return;
  }
  float value = 0.0;
  for (int corner = 0; corner < (1 << rank); ++corner) {
    float weight = 1.0;
    int source = 0;
    for (int d = 0; d < rank; ++d) {
      const bool high = ((corner >> d) & 1) != 0;
      const float w = tap_weight[tap[d]];
      weight *= high ? w : 1.0 - w;
      source += (high ? tap_index[tap[d]].y : tap_index[tap[d]].x) * in_stride[d];
    }
    if (weight != 0.0) value += weight * x[source];
  }
  y[i] = value;
}
