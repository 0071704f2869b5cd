#include "platform/window.h"

#include "gpu/driver_lifetime.h"
#include "platform/gl.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cstdlib>
#include <utility>

namespace convlab::app {

namespace {

std::string g_last_glfw_error;

void remember_glfw_error(int code, const char* description) {
  (void)code;
  g_last_glfw_error = description != nullptr ? description : "unknown GLFW error";
}

const char* kNoDisplayHelp =
    "ConvLab's window needs a display. On a machine without one, run it under a virtual X server:\n"
    "  xvfb-run -a -s \"-screen 0 1600x900x24\" convlab --screenshot out.png --panel about\n"
    "or use the command-line subcommands (convlab --help lists them).";

}  // namespace

Result<std::unique_ptr<Window>> Window::create(int width, int height, const std::string& title, bool vsync) {
  glfwSetErrorCallback(remember_glfw_error);
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  const bool has_display =
      (display != nullptr && display[0] != '\0') || (wayland != nullptr && wayland[0] != '\0');
  if (!has_display) return Error{std::string("no display (DISPLAY is not set).\n") + kNoDisplayHelp};
  if (glfwInit() != GLFW_TRUE)
    return Error{"cannot open the display (" + g_last_glfw_error + ").\n" + kNoDisplayHelp};

  // HiDPI: let the window grow with the monitor's scale (Windows/X11 with a
  // scale setting); ImGui is then scaled by the same factor.
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  // OpenGL 4.3 runs the colorizer's compute shaders; a driver that stops at
  // 3.3 still draws every panel, and the network panel runs on the CPU.
  GLFWwindow* window = nullptr;
  for (const auto& [major, minor] : {std::pair{4, 3}, std::pair{3, 3}}) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, major);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, minor);
    window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (window != nullptr) break;
  }
  if (window == nullptr) {
    const std::string why = g_last_glfw_error;
    glfwTerminate();
    return Error{
        "cannot create an OpenGL 3.3 core window (" + why +
        "). The graphics driver must support OpenGL 3.3 (4.3 for the GPU colorizer); Mesa's llvmpipe "
        "does."};
  }
  glfwMakeContextCurrent(window);
  gpu::keep_gl_driver_loaded();  // AddressSanitizer builds only (see driver_lifetime.h)
  glfwSwapInterval(vsync ? 1 : 0);
  return std::unique_ptr<Window>(new Window(window));
}

Window::~Window() {
  glfwDestroyWindow(window_);
  glfwTerminate();
}

void Window::set_fullscreen(bool on) {
  if (on == fullscreen_) return;
  if (on) {
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (mode == nullptr) return;  // no monitor to fill: stay windowed
    glfwGetWindowPos(window_, &windowed_[0], &windowed_[1]);
    glfwGetWindowSize(window_, &windowed_[2], &windowed_[3]);
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
  } else {
    glfwSetWindowMonitor(window_, nullptr, windowed_[0], windowed_[1], windowed_[2], windowed_[3], 0);
  }
  fullscreen_ = on;
}

float Window::content_scale() const {
  float x = 1.0f, y = 1.0f;
  glfwGetWindowContentScale(window_, &x, &y);
  return x > 0.0f ? x : 1.0f;
}

void Window::size(int& width, int& height) const { glfwGetWindowSize(window_, &width, &height); }

void Window::framebuffer_size(int& width, int& height) const {
  glfwGetFramebufferSize(window_, &width, &height);
}

}  // namespace convlab::app
