#include "app/gl_texture.h"

#include <cstdint>
#include <utility>

#include "platform/gl.h"

namespace convlab::app {

GlTexture::~GlTexture() { release(); }

GlTexture::GlTexture(GlTexture&& other) noexcept
    : id_(std::exchange(other.id_, 0)), width_(other.width_), height_(other.height_) {}

GlTexture& GlTexture::operator=(GlTexture&& other) noexcept {
  if (this != &other) {
    release();
    id_ = std::exchange(other.id_, 0);
    width_ = other.width_;
    height_ = other.height_;
  }
  return *this;
}

void GlTexture::release() {
  if (id_ != 0) glDeleteTextures(1, &id_);
  id_ = 0;
}

void GlTexture::upload(int width, int height, const std::vector<uint8_t>& rgba, bool smooth) {
  if (width <= 0 || height <= 0 ||
      rgba.size() != static_cast<size_t>(width) * static_cast<size_t>(height) * 4)
    return;
  if (id_ == 0) glGenTextures(1, &id_);
  glBindTexture(GL_TEXTURE_2D, id_);
  const GLint filter = smooth ? GL_LINEAR : GL_NEAREST;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  width_ = width;
  height_ = height;
}

ImTextureID GlTexture::imgui_id() const {
  // ImGui's OpenGL back end takes the texture name as the id.
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(id_));
}

}  // namespace convlab::app
