#version 430
// Activations value by value (reference::UnaryOp), one thread per element.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
// op: 0 Identity, 1 Relu, 2 LeakyRelu, 3 Sigmoid, 4 Tanh, 5 Clip (reference::UnaryOp's order).
uniform int op, total;
uniform float alpha;   // LeakyRelu: the slope below 0
uniform float lo, hi;  // Clip: may be -/+infinity

// tanh from exp(-2|x|), which never overflows and lets NaN through, as the
// CPU's std::tanh does. GLSL's built-in promises neither: drivers may compute
// it as a ratio of exps (inf/inf for large |x|), and Mesa's turns NaN into -1.
float stable_tanh(float v) {
  const float e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}

float activate(float v) {
  switch (op) {
    case 1:
      return v > 0.0 ? v : 0.0;
    case 2:
      return v >= 0.0 ? v : v * alpha;
    case 3:
      return 1.0 / (1.0 + exp(-v));
    case 4:
      return stable_tanh(v);
    case 5:
      return isnan(v) ? v : min(max(v, lo), hi);  // GLSL's min/max leave NaN undefined
  }
  return v;
}

void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i < total) y[i] = activate(x[i]);
}
