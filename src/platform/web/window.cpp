// The page's canvas as the app's window: it fills the browser window and
// follows it when it changes; the canvas has devicePixelRatio pixels per CSS
// pixel, so text stays sharp on high-DPI screens (content_scale() reports
// the ratio and the UI scales its fonts by it). Full screen is the browser's.
#include <emscripten.h>
#include <emscripten/html5.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cmath>

#include "platform/window.h"

namespace convlab::app {

namespace {

std::string g_last_glfw_error;

void remember_glfw_error(int, const char* description) {
  g_last_glfw_error = description != nullptr ? description : "unknown GLFW error";
}

// Fits the canvas to the browser window: CSS size = the window's, pixels =
// CSS size x devicePixelRatio.
void fit_canvas(GLFWwindow* window) {
  double css_width = 0, css_height = 0;
  emscripten_get_element_css_size("#canvas", &css_width, &css_height);
  const int width = EM_ASM_INT({ return window.innerWidth; });
  const int height = EM_ASM_INT({ return window.innerHeight; });
  const double ratio = emscripten_get_device_pixel_ratio();
  emscripten_set_element_css_size("#canvas", width, height);
  const int pixel_width = static_cast<int>(std::lround(width * ratio));
  const int pixel_height = static_cast<int>(std::lround(height * ratio));
  int current_width = 0, current_height = 0;
  glfwGetWindowSize(window, &current_width, &current_height);
  if (current_width != pixel_width || current_height != pixel_height)
    glfwSetWindowSize(window, pixel_width, pixel_height);
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void* user) {
  fit_canvas(static_cast<GLFWwindow*>(user));
  return EM_FALSE;
}

// Browsers enter full screen only inside a user's key press or click: the
// request waits for the next one (the key that asked is still being released).
// clang-format off
EM_JS(void, js_request_fullscreen, (), {
  const go = function() {
    window.removeEventListener("keyup", go, true);
    window.removeEventListener("pointerup", go, true);
    if (!document.fullscreenElement && document.documentElement.requestFullscreen)
      document.documentElement.requestFullscreen().catch(function(){});
  };
  window.addEventListener("keyup", go, true);
  window.addEventListener("pointerup", go, true);
});
// clang-format on

// clang-format off
EM_JS(void, js_exit_fullscreen, (), {
  if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function(){});
});
// clang-format on

}  // namespace

Result<std::unique_ptr<Window>> Window::create(int width, int height, const std::string& title, bool vsync) {
  (void)vsync;  // the browser paces frames itself
  glfwSetErrorCallback(remember_glfw_error);
  if (glfwInit() != GLFW_TRUE) return Error{"cannot start the page's window (" + g_last_glfw_error + ")"};
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (window == nullptr)
    return Error{"this browser cannot give the page WebGL2 (" + g_last_glfw_error +
                 "). ConvLab needs WebGL2: a current Chrome, Edge, Firefox or Safari has it."};
  glfwMakeContextCurrent(window);
  fit_canvas(window);
  emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, window, EM_FALSE, on_resize);
  return std::unique_ptr<Window>(new Window(window));
}

Window::~Window() {
  emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, nullptr);
  glfwDestroyWindow(window_);
  glfwTerminate();
}

void Window::set_fullscreen(bool on) {
  if (on == fullscreen_) return;
  if (on)
    js_request_fullscreen();
  else
    js_exit_fullscreen();
  fullscreen_ = on;
}

float Window::content_scale() const {
  const double ratio = emscripten_get_device_pixel_ratio();
  return ratio > 0 ? static_cast<float>(ratio) : 1.0f;
}

void Window::size(int& width, int& height) const { glfwGetWindowSize(window_, &width, &height); }

void Window::framebuffer_size(int& width, int& height) const {
  glfwGetFramebufferSize(window_, &width, &height);
}

}  // namespace convlab::app
