// The app's window and its GL context: on the desktop a GLFW window with an
// OpenGL 4.3 core context (loaded through libepoxy, as in src/gpu, so the
// same context runs the colorizer's compute shaders); in the browser the
// page's canvas with WebGL2. One implementation per platform
// (src/platform/desktop/window.cpp, src/platform/web/window.cpp).
#pragma once

#include <memory>
#include <string>

#include "core/base/result.h"

struct GLFWwindow;

namespace convlab::app {

class Window {
 public:
  // Fails with a message a person can act on (no display: run under Xvfb or
  // use the CLI subcommands). `vsync` false for benchmarks.
  static Result<std::unique_ptr<Window>> create(int width, int height, const std::string& title, bool vsync);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  GLFWwindow* handle() const { return window_; }
  float content_scale() const;  // the monitor's HiDPI factor (1 on a plain screen)
  void size(int& width, int& height) const;
  // Fills the primary monitor (presenter mode), or goes back to the window it was.
  void set_fullscreen(bool on);
  void framebuffer_size(int& width, int& height) const;

 private:
  explicit Window(GLFWwindow* window) : window_(window) {}
  GLFWwindow* window_ = nullptr;
  int windowed_[4] = {0, 0, 0, 0};  // x, y, width, height before full screen
  bool fullscreen_ = false;
};

}  // namespace convlab::app
