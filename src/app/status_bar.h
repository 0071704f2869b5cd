// One line at the bottom of the window: the latest message (errors in the
// theme's red), cleared after a while so stale news does not linger, and on
// the right the caller's text (scale, GPU) when the message leaves it room.
#pragma once

#include <functional>
#include <string>

#include "app/theme.h"
#include "core/base/result.h"

namespace convlab::app {

class StatusBar {
 public:
  void info(std::string message);
  void error(std::string message);
  const std::string& message() const { return message_; }
  // Told every error as it is shown (the console contract's error lines).
  std::function<void(const std::string&)> on_error;
  bool is_error() const { return is_error_; }

  // Height to reserve for draw(), in pixels at the current font.
  static float height();
  // Draws inside the current window; `now` is ImGui's clock in seconds.
  void draw(Theme theme, const std::string& right_text, double now);

 private:
  std::string message_;
  bool is_error_ = false;
  double shown_at_ = -1.0;  // set on first draw, so the timeout counts on-screen time
};

// A message made between frames (a dropped file), shown on the next frame.
class PendingStatus {
 public:
  // The error when `status` failed, else `success`.
  void set(const Status& status, std::string success);
  void show(StatusBar* bar);  // and forget it; nothing without a bar

 private:
  std::string message_;
  bool is_error_ = false;
};

}  // namespace convlab::app
