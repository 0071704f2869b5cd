// Helpers shared by the test suites: golden files and tolerance checks that
// print what failed with all its parameters.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "core/base/tensor.h"
#include "core/io/safetensors.h"

namespace convlab::testing {

inline std::string golden_path(const std::string& file) {
  return std::string(CONVLAB_GOLDEN_DIR) + "/" + file;
}
inline std::string data_path(const std::string& file) {
  return std::string(CONVLAB_TEST_DATA_DIR) + "/" + file;
}

inline SafeTensors load_golden(const std::string& file) {
  auto loaded = read_safetensors(golden_path(file));
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.message()));
  return std::move(loaded).value();
}

inline Tensor golden_tensor(const SafeTensors& file, const std::string& name) {
  auto t = file.get_float(name);
  REQUIRE_MESSAGE(t.ok(), name << ": " << (t.ok() ? std::string() : t.message()));
  return std::move(t).value();
}

// Checks relative_error(actual, reference) <= tolerance; `what` describes the case.
inline void check_close(const Tensor& actual, const Tensor& reference, float tolerance,
                        const std::string& what) {
  INFO(what);
  REQUIRE_MESSAGE(actual.shape() == reference.shape(), "shape " << shape_to_string(actual.shape()) << " vs "
                                                                << shape_to_string(reference.shape()));
  const float err = relative_error(actual, reference);
  CHECK_MESSAGE(err <= tolerance, "relative error " << err << " > " << tolerance);
}

// Values in [-2, 2) from a linear congruential sequence: the same on every
// machine, for tests comparing two implementations bit for bit.
inline Tensor sequence_tensor(Shape shape, uint32_t seed) {
  Tensor t(std::move(shape));
  uint32_t x = seed;
  for (int64_t i = 0; i < t.numel(); ++i) {
    x = x * 1664525u + 1013904223u;
    t[i] = static_cast<float>(x >> 8) / static_cast<float>(1u << 24) * 4.0f - 2.0f;
  }
  return t;
}

// Equal bits (so 0 and -0 differ), any NaN equal to any NaN.
inline bool same_bits(float a, float b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace convlab::testing
