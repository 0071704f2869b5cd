#version 430
// CIE Lab (D65, 2 degree observer) -> sRGB in [0,1], one thread per pixel,
// following scikit-image's lab2rgb: Z below 0 is clipped to 0, the inverse
// curve (cube above 0.2068966), times the white point, XYZ->sRGB matrix (the
// inverse of rgb_to_lab's), the sRGB curve, and a final clip to [0,1].
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int HW, pixels;

const mat3 RGB_FROM_XYZ = transpose(mat3(3.2404813432005266, -1.5371515162713185, -0.4985363261688878,
                                         -0.9692549499965682, 1.8759900014898907, 0.04155592655829284,
                                         0.05564663913517716, -0.20404133836651123, 1.0573110696453443));
const vec3 WHITE = vec3(0.95047, 1.0, 1.08883);

float inverse_lab_curve(float t) { return t > 0.2068966 ? t * t * t : (t - 16.0 / 116.0) / 7.787; }
float srgb_from_linear(float c) { return c > 0.0031308 ? 1.055 * pow(c, 1.0 / 2.4) - 0.055 : c * 12.92; }

void main() {
  const int i = int(gl_GlobalInvocationID.x);
  if (i >= pixels) return;
  const int n = i / HW, p = i - n * HW;
  const int base = n * 3 * HW + p;
  const float L = x[base], a = x[base + HW], b = x[base + 2 * HW];
  const float fy = (L + 16.0) / 116.0;
  const float fx = a / 500.0 + fy;
  const float fz = max(fy - b / 200.0, 0.0);
  const vec3 xyz = vec3(inverse_lab_curve(fx), inverse_lab_curve(fy), inverse_lab_curve(fz)) * WHITE;
  const vec3 lin = RGB_FROM_XYZ * xyz;
  y[base] = clamp(srgb_from_linear(lin.r), 0.0, 1.0);
  y[base + HW] = clamp(srgb_from_linear(lin.g), 0.0, 1.0);
  y[base + 2 * HW] = clamp(srgb_from_linear(lin.b), 0.0, 1.0);
}
