// A tensor living in a GL shader-storage buffer: float32, the same row-major
// NCHW layout as convlab::Tensor. Move-only; frees its buffer on destruction.
#pragma once

#include <cstdint>
#include <span>

#include "core/base/tensor.h"

namespace convlab::gpu {

class GpuTensor {
 public:
  GpuTensor() = default;
  ~GpuTensor();
  GpuTensor(GpuTensor&& other) noexcept;
  GpuTensor& operator=(GpuTensor&& other) noexcept;
  GpuTensor(const GpuTensor&) = delete;
  GpuTensor& operator=(const GpuTensor&) = delete;

  // Uninitialized storage for `shape`; errors when it exceeds the driver's
  // largest shader-storage block.
  static Result<GpuTensor> allocate(const Shape& shape);
  static Result<GpuTensor> upload(const Tensor& tensor);
  // Ints stored as int32 (category indices).
  static Result<GpuTensor> upload_ints(std::span<const int64_t> values);
  Result<Tensor> download() const;
  // Sees the same buffer with another shape of the same element count
  // (Reshape, Flatten): nothing is copied.
  Status reshape(const Shape& shape);

  const Shape& shape() const { return shape_; }
  int64_t numel() const { return shape_numel(shape_); }
  unsigned buffer() const { return buffer_; }
  bool valid() const { return buffer_ != 0; }

 private:
  static Result<GpuTensor> create(const Shape& shape, const void* data, int64_t bytes);
  Shape shape_;
  unsigned buffer_ = 0;
};

}  // namespace convlab::gpu
