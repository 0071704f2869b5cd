#include "core/base/tensor.h"

#include <algorithm>
#include <cmath>

namespace convlab {

std::string shape_to_string(const Shape& shape) {
  if (shape.empty()) return "scalar";
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) text += 'x';
    text += std::to_string(shape[i]);
  }
  return text;
}

int64_t shape_numel(const Shape& shape) {
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  return count;
}

Tensor::Tensor(Shape shape, float fill)
    : shape_(std::move(shape)), data_(static_cast<size_t>(shape_numel(shape_)), fill) {}

Result<Tensor> Tensor::from_data(Shape shape, std::vector<float> data) {
  for (int64_t d : shape)
    if (d < 0) return make_error("shape ", shape_to_string(shape), " has a negative dimension");
  if (shape_numel(shape) != static_cast<int64_t>(data.size()))
    return make_error("shape ", shape_to_string(shape), " needs ", shape_numel(shape), " values but ",
                      data.size(), " were given");
  Tensor t;
  t.shape_ = std::move(shape);
  t.data_ = std::move(data);
  return t;
}

Result<Tensor> Tensor::reshaped(Shape shape) const { return from_data(std::move(shape), data_); }

Status expect_rank(const Tensor& t, int rank, const std::string& what) {
  if (t.rank() != rank)
    return make_error(what, " must have ", rank, " dimensions but has shape ", shape_to_string(t.shape()));
  return {};
}

Status expect_shape(const Tensor& t, const Shape& shape, const std::string& what) {
  if (t.shape() != shape)
    return make_error(what, " must have shape ", shape_to_string(shape), " but has ",
                      shape_to_string(t.shape()));
  return {};
}

float max_abs(const Tensor& t) {
  float m = 0.0f;
  for (float v : t.values()) m = std::max(m, std::fabs(v));
  return m;
}

float max_abs_difference(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return INFINITY;
  float m = 0.0f;
  for (int64_t i = 0; i < a.numel(); ++i) {
    float d = std::fabs(a[i] - b[i]);
    if (std::isnan(d)) return NAN;
    m = std::max(m, d);
  }
  return m;
}

float relative_error(const Tensor& actual, const Tensor& reference) {
  return max_abs_difference(actual, reference) / std::max(max_abs(reference), 1e-12f);
}

}  // namespace convlab
