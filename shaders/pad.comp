#version 430
// Constant padding on any axis (ONNX Pad, constant mode), one thread per
// output element: each axis's output index minus that axis's begin pad is the
// input index; outside the input on any axis, the output is `value`. Negative
// pads crop: the begin shift is then negative and the output smaller.
// MAX_RANK comes from the host (gpu_ops.cpp).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int rank, total;
uniform int in_shape[MAX_RANK], out_shape[MAX_RANK], pad_begin[MAX_RANK];
uniform float value;
void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= total) return;
  int rest = i, source = 0, stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    const int at = rest % out_shape[d] - pad_begin[d];
    rest /= out_shape[d];
    if (at < 0 || at >= in_shape[d]) {
      y[i] = value;
      return;
    }
    source += at * stride;
    stride *= in_shape[d];
  }
  y[i] = x[source];
}
