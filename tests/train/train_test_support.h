// Helpers of the training tests: seeded random tensors, central-difference
// gradients, and the probe loss L = sum(output * R) whose gradient with
// respect to the output is R (so any op's backward can be checked with a
// random R as its incoming gradient).
#pragma once

#include <doctest/doctest.h>

#include <random>
#include <sstream>
#include <string>

#include "core/base/tensor.h"

namespace convlab::testing {

inline Tensor random_tensor(Shape shape, std::mt19937& rng, float lo = -1.0f, float hi = 1.0f) {
  Tensor t(std::move(shape));
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float& v : t.values()) v = dist(rng);
  return t;
}

// sum(output * r), accumulated in double.
inline double probe_loss(const Tensor& output, const Tensor& r) {
  REQUIRE(output.shape() == r.shape());
  double sum = 0.0;
  for (int64_t i = 0; i < output.numel(); ++i) sum += static_cast<double>(output[i]) * r[i];
  return sum;
}

// d loss / d x by central differences, one element at a time: x is changed
// and restored. The step actually taken is measured after rounding x to
// float, so the quotient divides by what really changed.
template <class Loss>
Tensor numeric_gradient(Tensor& x, double h, Loss&& loss) {
  Tensor grad(x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) {
    const float saved = x[i];
    x[i] = static_cast<float>(saved + h);
    const double up = x[i];
    const double loss_up = loss();
    x[i] = static_cast<float>(saved - h);
    const double down = x[i];
    const double loss_down = loss();
    x[i] = saved;
    grad[i] = static_cast<float>((loss_up - loss_down) / (up - down));
  }
  return grad;
}

// max|actual - expected| / max|expected| <= tolerance, with the case printed.
inline void check_relative(const Tensor& actual, const Tensor& expected, float tolerance,
                           const std::string& what) {
  INFO(what);
  REQUIRE_MESSAGE(actual.shape() == expected.shape(),
                  "shape " << shape_to_string(actual.shape()) << " vs " << shape_to_string(expected.shape()));
  const float err = relative_error(actual, expected);
  CHECK_MESSAGE(err <= tolerance, "relative error " << err << " > " << tolerance);
}

}  // namespace convlab::testing
