// sRGB <-> CIE Lab exactly as scikit-image 0.19 computes it
// (skimage/color/colorconv.py: rgb2xyz + xyz2lab, lab2xyz + xyz2rgb), with
// its constants, thresholds and clipping, computed in double per pixel.
// Note skimage's thresholds (0.008856, 7.787, 0.2068966) are the rounded
// textbook ones, not the exact CIE fractions; matching them is the point.
#include "core/color/lab.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace convlab {

namespace {

using Vec3 = std::array<double, 3>;
using Mat3 = std::array<Vec3, 3>;

// skimage's xyz_from_rgb (sRGB primaries, D65).
constexpr Mat3 kXyzFromRgb = {
    {{0.412453, 0.357580, 0.180423}, {0.212671, 0.715160, 0.072169}, {0.019334, 0.119193, 0.950227}}};

// skimage's D65 / 2-degree reference white ("lab_ref_white").
constexpr Vec3 kWhite = {0.95047, 1.0, 1.08883};

// skimage uses linalg.inv(xyz_from_rgb); the adjugate formula gives the same
// matrix to within rounding, far below the 1e-3 tolerance.
constexpr Mat3 inverse(const Mat3& m) {
  const double c00 = m[1][1] * m[2][2] - m[1][2] * m[2][1];
  const double c01 = m[1][2] * m[2][0] - m[1][0] * m[2][2];
  const double c02 = m[1][0] * m[2][1] - m[1][1] * m[2][0];
  const double det = m[0][0] * c00 + m[0][1] * c01 + m[0][2] * c02;
  return {{{c00 / det, (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det,
            (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det},
           {c01 / det, (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det,
            (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det},
           {c02 / det, (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det,
            (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det}}};
}
constexpr Mat3 kRgbFromXyz = inverse(kXyzFromRgb);

Vec3 multiply(const Mat3& m, const Vec3& v) {
  return {m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2], m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
          m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]};
}

// sRGB companding (rgb2xyz / xyz2rgb).
double srgb_to_linear(double v) { return v > 0.04045 ? std::pow((v + 0.055) / 1.055, 2.4) : v / 12.92; }
double linear_to_srgb(double v) { return v > 0.0031308 ? 1.055 * std::pow(v, 1.0 / 2.4) - 0.055 : v * 12.92; }

// The Lab non-linearity f(t) and its inverse (xyz2lab / lab2xyz).
double lab_f(double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; }
double lab_f_inverse(double t) { return t > 0.2068966 ? t * t * t : (t - 16.0 / 116.0) / 7.787; }

Vec3 rgb_to_lab_pixel(const Vec3& rgb) {
  const Vec3 xyz =
      multiply(kXyzFromRgb, {srgb_to_linear(rgb[0]), srgb_to_linear(rgb[1]), srgb_to_linear(rgb[2])});
  const double fx = lab_f(xyz[0] / kWhite[0]);
  const double fy = lab_f(xyz[1] / kWhite[1]);
  const double fz = lab_f(xyz[2] / kWhite[2]);
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

Vec3 lab_to_rgb_pixel(const Vec3& lab) {
  const double fy = (lab[0] + 16.0) / 116.0;
  const double fx = lab[1] / 500.0 + fy;
  // skimage clips a negative z (a colour far outside any gamut) to 0.
  const double fz = std::max(fy - lab[2] / 200.0, 0.0);
  const Vec3 xyz = {lab_f_inverse(fx) * kWhite[0], lab_f_inverse(fy) * kWhite[1],
                    lab_f_inverse(fz) * kWhite[2]};
  const Vec3 linear = multiply(kRgbFromXyz, xyz);
  Vec3 rgb;
  for (size_t i = 0; i < 3; ++i) rgb[i] = std::clamp(linear_to_srgb(linear[i]), 0.0, 1.0);
  return rgb;
}

Status expect_nchw3(const Tensor& t, const char* what) {
  if (t.rank() != 4 || t.dim(1) != 3) {
    return make_error(what, " tensor has shape ", shape_to_string(t.shape()), "; expected (N,3,H,W)");
  }
  return {};
}

// Applies a per-pixel conversion to an (N,3,H,W) tensor (channels are planes).
template <class Convert>
Tensor convert_pixels(const Tensor& in, Convert convert) {
  Tensor out(in.shape());
  const int64_t plane = in.h() * in.w();
  for (int64_t n = 0; n < in.n(); ++n) {
    const int64_t base = n * 3 * plane;
    for (int64_t i = 0; i < plane; ++i) {
      const Vec3 v = convert(Vec3{in[base + i], in[base + plane + i], in[base + 2 * plane + i]});
      for (int64_t c = 0; c < 3; ++c)
        out[base + c * plane + i] = static_cast<float>(v[static_cast<size_t>(c)]);
    }
  }
  return out;
}

}  // namespace

Result<Tensor> rgb_to_lab(const Tensor& rgb) {
  CONVLAB_TRY(expect_nchw3(rgb, "rgb_to_lab: RGB"));
  return convert_pixels(rgb, rgb_to_lab_pixel);
}

Result<Tensor> lab_to_rgb(const Tensor& lab) {
  CONVLAB_TRY(expect_nchw3(lab, "lab_to_rgb: Lab"));
  return convert_pixels(lab, lab_to_rgb_pixel);
}

}  // namespace convlab
