// Helpers shared by the test suites: golden files and tolerance checks that
// print what failed with all its parameters.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "core/base/tensor.h"
#include "core/io/safetensors.h"

namespace convlab::testing {

inline std::string golden_path(const std::string& file) { return std::string(CONVLAB_GOLDEN_DIR) + "/" + file; }
inline std::string data_path(const std::string& file) { return std::string(CONVLAB_TEST_DATA_DIR) + "/" + file; }

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
inline void check_close(const Tensor& actual, const Tensor& reference, float tolerance, const std::string& what) {
  INFO(what);
  REQUIRE_MESSAGE(actual.shape() == reference.shape(),
                  "shape " << shape_to_string(actual.shape()) << " vs " << shape_to_string(reference.shape()));
  const float err = relative_error(actual, reference);
  CHECK_MESSAGE(err <= tolerance, "relative error " << err << " > " << tolerance);
}

}  // namespace convlab::testing
