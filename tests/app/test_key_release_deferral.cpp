// The clicker's quick PageDown: a press and release inside one poll of events
// must still reach one frame as a press (app/key_release_deferral.h).
#include <GLFW/glfw3.h>
#include <doctest/doctest.h>

#include "app/key_release_deferral.h"

using convlab::app::KeyReleaseDeferral;

TEST_CASE("key release deferral: a release in the poll of its press waits for the next frame") {
  KeyReleaseDeferral deferral;
  const KeyReleaseDeferral::Event press{GLFW_KEY_PAGE_DOWN, 117, GLFW_PRESS, 0};
  const KeyReleaseDeferral::Event release{GLFW_KEY_PAGE_DOWN, 117, GLFW_RELEASE, 0};
  CHECK(deferral.pass_now(press));
  CHECK_FALSE(deferral.pass_now(release));  // held: the frame sees PageDown down
  const auto due = deferral.frame_read();
  REQUIRE(due.size() == 1);
  CHECK(due[0].key == GLFW_KEY_PAGE_DOWN);
  CHECK(due[0].scancode == 117);
  CHECK(due[0].action == GLFW_RELEASE);
  CHECK(deferral.frame_read().empty());  // handed on once
}

TEST_CASE("key release deferral: a key a frame saw down is released at once; repeats pass") {
  KeyReleaseDeferral deferral;
  CHECK(deferral.pass_now({GLFW_KEY_RIGHT, 0, GLFW_PRESS, 0}));
  CHECK(deferral.frame_read().empty());  // a frame read it down
  CHECK(deferral.pass_now({GLFW_KEY_RIGHT, 0, GLFW_REPEAT, 0}));
  CHECK(deferral.pass_now({GLFW_KEY_RIGHT, 0, GLFW_RELEASE, 0}));
  // A release of another key than the one pressed in this poll passes too.
  CHECK(deferral.pass_now({GLFW_KEY_A, 0, GLFW_PRESS, 0}));
  CHECK(deferral.pass_now({GLFW_KEY_B, 0, GLFW_RELEASE, 0}));
  CHECK_FALSE(deferral.pass_now({GLFW_KEY_A, 0, GLFW_RELEASE, 0}));
  CHECK(deferral.frame_read().size() == 1);
}

TEST_CASE("key release deferral: two quick presses of one key in one poll keep their order") {
  KeyReleaseDeferral deferral;
  CHECK(deferral.pass_now({GLFW_KEY_PAGE_DOWN, 0, GLFW_PRESS, 0}));
  CHECK_FALSE(deferral.pass_now({GLFW_KEY_PAGE_DOWN, 0, GLFW_RELEASE, 0}));
  // Its second press arrives in the same poll: it passes (the key is still
  // down for the frame); its release waits with the first one.
  CHECK(deferral.pass_now({GLFW_KEY_PAGE_DOWN, 0, GLFW_PRESS, 0}));
  CHECK_FALSE(deferral.pass_now({GLFW_KEY_PAGE_DOWN, 0, GLFW_RELEASE, 0}));
  CHECK(deferral.frame_read().size() == 2);
}
