#version 430
// sRGB in [0,1] -> CIE Lab (D65, 2 degree observer), one thread per pixel,
// following scikit-image's rgb2lab step by step: undo the sRGB curve, the
// sRGB->XYZ matrix, divide by the white point, the cube-root curve (linear
// below 0.008856), then L, a, b. Planar N,3,H,W in and out.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int HW, pixels;

const mat3 XYZ_FROM_RGB = transpose(mat3(0.412453, 0.357580, 0.180423,
                                         0.212671, 0.715160, 0.072169,
                                         0.019334, 0.119193, 0.950227));
const vec3 WHITE = vec3(0.95047, 1.0, 1.08883);

float linear_from_srgb(float c) { return c > 0.04045 ? pow((c + 0.055) / 1.055, 2.4) : c / 12.92; }
float lab_curve(float t) { return t > 0.008856 ? pow(t, 1.0 / 3.0) : 7.787 * t + 16.0 / 116.0; }

void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= pixels) return;
  const int n = i / HW, p = i - n * HW;
  const int base = n * 3 * HW + p;
  const vec3 rgb = vec3(x[base], x[base + HW], x[base + 2 * HW]);
  const vec3 lin = vec3(linear_from_srgb(rgb.r), linear_from_srgb(rgb.g), linear_from_srgb(rgb.b));
  const vec3 xyz = (XYZ_FROM_RGB * lin) / WHITE;
  const vec3 f = vec3(lab_curve(xyz.x), lab_curve(xyz.y), lab_curve(xyz.z));
  y[base] = 116.0 * f.y - 16.0;
  y[base + HW] = 500.0 * (f.x - f.y);
  y[base + 2 * HW] = 200.0 * (f.y - f.z);
}
