#include "app/key_release_deferral.h"

#include <GLFW/glfw3.h>

#include <algorithm>

namespace convlab::app {

bool KeyReleaseDeferral::pass_now(const Event& event) {
  if (event.action == GLFW_PRESS) {
    pressed_.push_back(event.key);
    return true;
  }
  if (event.action == GLFW_RELEASE &&
      std::find(pressed_.begin(), pressed_.end(), event.key) != pressed_.end()) {
    held_.push_back(event);
    return false;
  }
  return true;  // a repeat, or the release of a key some frame saw down
}

std::vector<KeyReleaseDeferral::Event> KeyReleaseDeferral::frame_read() {
  pressed_.clear();
  std::vector<Event> due;
  due.swap(held_);
  return due;
}

namespace {

// One window has the keyboard (the app's); GLFW callbacks carry no state.
KeyReleaseDeferral g_deferral;
GLFWkeyfun g_next = nullptr;  // the backend's callback

void on_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
  if (g_deferral.pass_now({key, scancode, action, mods}) && g_next != nullptr)
    g_next(window, key, scancode, action, mods);
}

}  // namespace

void install_key_release_deferral(GLFWwindow* window) { g_next = glfwSetKeyCallback(window, on_key); }

void release_deferred_keys(GLFWwindow* window) {
  for (const KeyReleaseDeferral::Event& e : g_deferral.frame_read())
    if (g_next != nullptr) g_next(window, e.key, e.scancode, e.action, e.mods);
}

}  // namespace convlab::app
