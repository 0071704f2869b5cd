// The desktop: GLFW's own loop, OpenGL 4.3 compute for the colorizer,
// worker threads, files on disk, the X11/Wayland clipboard through GLFW.
#include "platform/platform.h"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "gpu/gpu_accelerator.h"

namespace convlab::platform {

const char* name() { return "desktop"; }

void run_main_loop(std::function<bool()> frame, std::function<void()> done) {
  while (frame()) {
  }
  done();
}

// The window's context: 4.3 where the driver has it, else 3.3 (window.cpp).
const char* glsl_version() { return epoxy_gl_version() >= 43 ? "#version 430 core" : "#version 330 core"; }

bool has_worker_threads() { return true; }

Result<std::unique_ptr<session::Accelerator>> make_accelerator(std::shared_ptr<const Model> model) {
  auto accelerator = gpu::make_gpu_accelerator(std::move(model));
  if (!accelerator) return Error{"the GPU cannot run the colorizer: " + accelerator.message()};
  return accelerator;
}

std::string deliver_file(const std::string& path) { return "Saved " + path; }

void on_file_offered(std::function<void(const std::string&)>) {}

bool has_file_chooser() { return false; }
void pick_file() {}

void copy_text(const std::string& text) {
  if (GLFWwindow* window = glfwGetCurrentContext()) glfwSetClipboardString(window, text.c_str());
}

void restore_file(const std::string&) {}
void keep_file(const std::string&) {}

std::string opened_link() { return {}; }
void on_link_changed(std::function<void(const std::string&)>) {}
std::string page_address() { return {}; }

std::string preferred_language() {
  // POSIX order: LC_ALL, then LC_MESSAGES, then LANG ("pt_BR.UTF-8" -> "pt-BR").
  for (const char* variable : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(variable);
    if (value == nullptr || *value == '\0') continue;
    std::string tag(value);
    tag = tag.substr(0, tag.find_first_of(".@"));
    if (tag == "C" || tag == "POSIX") return "en";
    for (char& c : tag)
      if (c == '_') c = '-';
    return tag;
  }
  return "en";
}

void console_line(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace convlab::platform
