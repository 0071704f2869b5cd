// Tensor: a dense float32 array with a shape, row-major. Activations are
// NCHW (rank 4); weights keep PyTorch's shapes (conv: O,C,KH,KW; transposed
// conv: C,O,KH,KW; batch norm vectors: C; embedding: rows,dim).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace convlab {

using Shape = std::vector<int64_t>;

std::string shape_to_string(const Shape& shape);  // "1x3x4x4", "scalar" for {}
int64_t shape_numel(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape, float fill = 0.0f);
  // Fails (with a message) when data.size() does not match the shape.
  static Result<Tensor> from_data(Shape shape, std::vector<float> data);

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int axis) const { return shape_.at(static_cast<size_t>(axis)); }
  int64_t numel() const { return static_cast<int64_t>(data_.size()); }
  bool empty() const { return data_.empty(); }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  std::vector<float>& values() { return data_; }
  const std::vector<float>& values() const { return data_; }

  float& operator[](int64_t i) { return data_[static_cast<size_t>(i)]; }
  float operator[](int64_t i) const { return data_[static_cast<size_t>(i)]; }

  // NCHW accessors; only valid on rank-4 tensors.
  int64_t n() const { return shape_[0]; }
  int64_t c() const { return shape_[1]; }
  int64_t h() const { return shape_[2]; }
  int64_t w() const { return shape_[3]; }
  int64_t offset(int64_t n, int64_t c, int64_t y, int64_t x) const {
    return ((n * shape_[1] + c) * shape_[2] + y) * shape_[3] + x;
  }
  float& at(int64_t n, int64_t c, int64_t y, int64_t x) {
    return data_[static_cast<size_t>(offset(n, c, y, x))];
  }
  float at(int64_t n, int64_t c, int64_t y, int64_t x) const {
    return data_[static_cast<size_t>(offset(n, c, y, x))];
  }

  // Same data, new shape with the same element count.
  Result<Tensor> reshaped(Shape shape) const;

 private:
  Shape shape_;
  std::vector<float> data_;
};

// Shape checks that explain themselves: `what` names the tensor ("conv1.weight").
Status expect_rank(const Tensor& t, int rank, const std::string& what);
Status expect_shape(const Tensor& t, const Shape& shape, const std::string& what);

// Comparison helpers used by tests and by `convlab op` checks.
float max_abs(const Tensor& t);
float max_abs_difference(const Tensor& a, const Tensor& b);  // shapes must match
// max|a-b| / max(max|reference|, 1e-12): the tolerance measure of the test suite.
float relative_error(const Tensor& actual, const Tensor& reference);

}  // namespace convlab
