// An RGBA image on the GPU that ImGui can draw (ImGui::Image): photos, the
// checkerboard-artifact demo, later the network's feature maps. Owns its
// OpenGL texture; needs the app's GL context (created and used on the UI
// thread only).
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace convlab::app {

class GlTexture {
 public:
  GlTexture() = default;
  ~GlTexture();
  GlTexture(const GlTexture&) = delete;
  GlTexture& operator=(const GlTexture&) = delete;
  GlTexture(GlTexture&& other) noexcept;
  GlTexture& operator=(GlTexture&& other) noexcept;

  // width*height*4 bytes, top row first. `smooth`: linear filtering;
  // otherwise nearest, so enlarged pixels stay crisp squares (teaching).
  void upload(int width, int height, const std::vector<uint8_t>& rgba, bool smooth = false);
  bool empty() const { return id_ == 0; }
  int width() const { return width_; }
  int height() const { return height_; }
  ImTextureID imgui_id() const;

 private:
  void release();
  unsigned int id_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace convlab::app
