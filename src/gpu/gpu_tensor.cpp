#include "gpu/gpu_tensor.h"

#include <epoxy/gl.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace convlab::gpu {

GpuTensor::~GpuTensor() {
  if (buffer_) glDeleteBuffers(1, &buffer_);
}

GpuTensor::GpuTensor(GpuTensor&& other) noexcept
    : shape_(std::move(other.shape_)), buffer_(std::exchange(other.buffer_, 0u)) {}

GpuTensor& GpuTensor::operator=(GpuTensor&& other) noexcept {
  if (this != &other) {
    if (buffer_) glDeleteBuffers(1, &buffer_);
    shape_ = std::move(other.shape_);
    buffer_ = std::exchange(other.buffer_, 0u);
  }
  return *this;
}

Result<GpuTensor> GpuTensor::create(const Shape& shape, const void* data, int64_t bytes) {
  GLint64 max_block = 0;
  glGetInteger64v(GL_MAX_SHADER_STORAGE_BLOCK_SIZE, &max_block);
  if (max_block > 0 && bytes > max_block)
    return make_error("a tensor of shape ", shape_to_string(shape), " needs ", bytes / (1024 * 1024),
                      " MiB but this GPU's largest storage buffer is ", max_block / (1024 * 1024),
                      " MiB: use a smaller image size");
  while (glGetError() != GL_NO_ERROR) {
  }
  GLuint buffer = 0;
  glGenBuffers(1, &buffer);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
  // At least 4 bytes: a zero-sized buffer cannot be bound, and empty tensors still bind.
  glBufferData(GL_SHADER_STORAGE_BUFFER, std::max<GLsizeiptr>(bytes, 4), data, GL_DYNAMIC_DRAW);
  if (glGetError() == GL_OUT_OF_MEMORY) {
    glDeleteBuffers(1, &buffer);
    return make_error("out of GPU memory allocating ", bytes / (1024 * 1024), " MiB for a tensor of shape ",
                      shape_to_string(shape));
  }
  GpuTensor tensor;
  tensor.shape_ = shape;
  tensor.buffer_ = buffer;
  return tensor;
}

Result<GpuTensor> GpuTensor::allocate(const Shape& shape) {
  return create(shape, nullptr, shape_numel(shape) * static_cast<int64_t>(sizeof(float)));
}

Result<GpuTensor> GpuTensor::upload(const Tensor& tensor) {
  return create(tensor.shape(), tensor.data(), tensor.numel() * static_cast<int64_t>(sizeof(float)));
}

Result<GpuTensor> GpuTensor::upload_ints(std::span<const int64_t> values) {
  std::vector<int32_t> narrow(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] < INT32_MIN || values[i] > INT32_MAX)
      return make_error("integer ", values[i], " at index ", i, " does not fit the GPU's 32-bit ints");
    narrow[i] = static_cast<int32_t>(values[i]);
  }
  return create(Shape{static_cast<int64_t>(values.size())}, narrow.data(),
                static_cast<int64_t>(narrow.size() * sizeof(int32_t)));
}

Result<Tensor> GpuTensor::download() const {
  if (!buffer_) return make_error("cannot read back a GPU tensor that holds no buffer");
  Tensor out(shape_);
  if (out.numel() == 0) return out;
  glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer_);
  glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, out.numel() * static_cast<GLsizeiptr>(sizeof(float)),
                     out.data());
  return out;
}

Status GpuTensor::reshape(const Shape& shape) {
  for (int64_t d : shape)
    if (d < 0) return make_error("shape ", shape_to_string(shape), " has a negative dimension");
  if (shape_numel(shape) != numel())
    return make_error("shape ", shape_to_string(shape), " needs ", shape_numel(shape),
                      " values but the tensor ", shape_to_string(shape_), " has ", numel());
  shape_ = shape;
  return {};
}

}  // namespace convlab::gpu
