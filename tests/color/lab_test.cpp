// Lab colour: scikit-image golden data (tests/golden/make_lab_golden.py),
// known reference colours, round trips and shape validation.
#include "core/color/lab.h"

#include <cmath>
#include <random>
#include <sstream>

#include "test_support.h"

namespace convlab {
namespace {

using convlab::testing::golden_tensor;
using convlab::testing::load_golden;

constexpr float kTolerance = 1e-3f;  // absolute, in Lab units and in RGB [0,1]

// Checks |actual - expected| <= kTolerance everywhere, reporting the worst pixel.
void check_absolute(const Tensor& actual, const Tensor& expected, const Tensor& input,
                    const std::string& what) {
  REQUIRE(actual.shape() == expected.shape());
  int64_t worst = 0;
  float worst_error = 0.0f;
  for (int64_t i = 0; i < actual.numel(); ++i) {
    const float error = std::fabs(actual[i] - expected[i]);
    if (!(error <= worst_error)) {
      worst_error = error;
      worst = i;
    }
  }
  const int64_t plane = actual.h() * actual.w();
  const int64_t pixel = worst % plane + (worst / (3 * plane)) * 3 * plane;
  std::ostringstream where;
  where << what << ": worst at flat index " << worst << ", input (" << input[pixel] << ", "
        << input[pixel + plane] << ", " << input[pixel + 2 * plane] << "), got " << actual[worst]
        << ", expected " << expected[worst];
  INFO(where.str());
  CHECK(worst_error <= kTolerance);
}

Tensor pixel(float a, float b, float c) {
  Tensor t(Shape{1, 3, 1, 1});
  t[0] = a;
  t[1] = b;
  t[2] = c;
  return t;
}

TEST_CASE("rgb_to_lab matches skimage rgb2lab (grid of thresholds, primaries, grays, random)") {
  const SafeTensors golden = load_golden("lab_skimage.safetensors");
  const Tensor rgb = golden_tensor(golden, "rgb_in");
  const Tensor expected = golden_tensor(golden, "lab_out");
  REQUIRE(rgb.shape() == Shape{2, 3, 27, 28});
  auto lab = rgb_to_lab(rgb);
  REQUIRE(lab.ok());
  check_absolute(*lab, expected, rgb, "rgb2lab");
}

TEST_CASE("lab_to_rgb matches skimage lab2rgb, including out-of-gamut and Z < 0 clipping") {
  const SafeTensors golden = load_golden("lab_skimage.safetensors");
  const Tensor lab = golden_tensor(golden, "lab_in");
  const Tensor expected = golden_tensor(golden, "rgb_out");
  auto rgb = lab_to_rgb(lab);
  REQUIRE(rgb.ok());
  check_absolute(*rgb, expected, lab, "lab2rgb");
  int clipped = 0;
  for (float v : rgb->values()) clipped += (v == 0.0f || v == 1.0f) ? 1 : 0;
  CHECK(clipped > 100);  // the golden really exercises clipping
}

TEST_CASE("reference colours") {
  // skimage's white is not exactly neutral: its matrix rows and reference
  // white disagree in the 5th digit, giving a = -0.002455, b = 0.004653.
  const Tensor white = *rgb_to_lab(pixel(1, 1, 1));
  CHECK(white[0] == doctest::Approx(100.0).epsilon(1e-5));
  CHECK(white[1] == doctest::Approx(-2.45493786e-03).epsilon(1e-3));
  CHECK(white[2] == doctest::Approx(4.65342115e-03).epsilon(1e-3));
  const Tensor black = *rgb_to_lab(pixel(0, 0, 0));
  CHECK(black.values() == std::vector<float>{0, 0, 0});
  const Tensor red = *rgb_to_lab(pixel(1, 0, 0));  // skimage: 53.2408, 80.0925, 67.2032
  CHECK(red[0] == doctest::Approx(53.2408).epsilon(1e-4));
  CHECK(red[1] == doctest::Approx(80.0925).epsilon(1e-4));
  CHECK(red[2] == doctest::Approx(67.2032).epsilon(1e-4));
  const Tensor gray = *lab_to_rgb(pixel(50, 0, 0));  // skimage: 0.46632823, 0.46632435, 0.46634423
  CHECK(gray[0] == doctest::Approx(0.46632823).epsilon(1e-5));
  CHECK(gray[1] == doctest::Approx(0.46632435).epsilon(1e-5));
  CHECK(gray[2] == doctest::Approx(0.46634423).epsilon(1e-5));
}

TEST_CASE("rgb -> lab -> rgb round trips within 1e-3") {
  std::mt19937 random(42);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  Tensor rgb(Shape{3, 3, 17, 13});
  for (float& v : rgb.values()) v = unit(random);
  for (int64_t i = 0; i < 3 * 17 * 13; i += 7) rgb[i] = (i % 2) ? 1.0f : 0.0f;  // exact extremes too
  auto lab = rgb_to_lab(rgb);
  REQUIRE(lab.ok());
  auto back = lab_to_rgb(*lab);
  REQUIRE(back.ok());
  check_absolute(*back, rgb, rgb, "round trip");
}

TEST_CASE("batch items convert independently") {
  Tensor two(Shape{2, 3, 1, 1});
  for (int64_t c = 0; c < 3; ++c) {
    two.at(0, c, 0, 0) = 1.0f;  // white
    two.at(1, c, 0, 0) = 0.0f;  // black
  }
  auto lab = rgb_to_lab(two);
  REQUIRE(lab.ok());
  CHECK(lab->at(0, 0, 0, 0) == doctest::Approx(100.0).epsilon(1e-5));
  CHECK(lab->at(1, 0, 0, 0) == 0.0f);
}

TEST_CASE("shapes other than (N,3,H,W) are rejected with the shape in the message") {
  for (const Shape& bad : {Shape{3, 4, 4}, Shape{1, 1, 4, 4}, Shape{1, 4, 2, 2}, Shape{}}) {
    auto a = rgb_to_lab(Tensor(bad));
    REQUIRE_FALSE(a.ok());
    CHECK(a.message().find("expected (N,3,H,W)") != std::string::npos);
    CHECK(a.message().find(shape_to_string(bad)) != std::string::npos);
    auto b = lab_to_rgb(Tensor(bad));
    REQUIRE_FALSE(b.ok());
    CHECK(b.message().find("expected (N,3,H,W)") != std::string::npos);
  }
  auto empty = rgb_to_lab(Tensor(Shape{0, 3, 4, 4}));
  REQUIRE(empty.ok());
  CHECK(empty->numel() == 0);
}

}  // namespace
}  // namespace convlab
