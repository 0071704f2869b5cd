// Dear ImGui 1.86 reads the keyboard once a frame (io.KeysDown), which its
// GLFW backend sets on a key's press and clears on its release. A presenter's
// clicker sends PageDown's press and release a few milliseconds apart, often
// inside one poll of events: the next frame then sees the key up and the
// press is lost. This sits in front of the backend's key callback and holds
// back the release of a key pressed since the last frame began, handing it on
// once that frame has read the keyboard: every press is seen by one frame.
#pragma once

#include <vector>

struct GLFWwindow;

namespace convlab::app {

// The bookkeeping alone, without GLFW, so it can be tested.
class KeyReleaseDeferral {
 public:
  struct Event {
    int key = 0, scancode = 0, action = 0, mods = 0;
  };
  // Whether to hand this event on now; a held-back release is kept.
  bool pass_now(const Event& event);
  // Call once a frame has read the keyboard: the held-back releases, in
  // order, to hand on now; from here on a press belongs to the next frame.
  std::vector<Event> frame_read();

 private:
  std::vector<int> pressed_;  // keys pressed since the last frame_read()
  std::vector<Event> held_;
};

// Installs the deferral in front of the key callback that is there now
// (ImGui_ImplGlfw_InitForOpenGL(window, true) must have run).
void install_key_release_deferral(GLFWwindow* window);
// After ImGui::NewFrame(): hands the held-back releases on.
void release_deferred_keys(GLFWwindow* window);

}  // namespace convlab::app
