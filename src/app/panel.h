// A panel: one page of the app (convolution, transposed convolution, batch
// norm, network, lesson, about). Panels display core results and edit app
// state; they never compute (see DESIGN.md).
//
// Keyboard: the shell owns Ctrl+/-/0 (scale), 1-9 (switch panel) and F1
// (about). The stepping keys below are reserved for panels and reach the
// active panel through on_step() only when no text field has focus, so a
// presenter clicker (which sends PageUp/PageDown) drives the lesson.
#pragma once

#include <string>

#include "core/base/result.h"

struct ImFont;

namespace convlab::app {

class StatusBar;

enum class StepKey {
  Previous,      // Left
  Next,          // Right
  PlayPause,     // Space
  First,         // Home
  Last,          // End
  PagePrevious,  // PageUp (clicker "back")
  PageNext,      // PageDown (clicker "forward")
};

// What the shell lends a panel while it draws.
struct PanelContext {
  ImFont* ui_font = nullptr;
  ImFont* heading_font = nullptr;
  ImFont* mono_font = nullptr;  // numbers: digits line up
  StatusBar* status = nullptr;
  std::string gl_vendor, gl_renderer, gl_version;
};

class Panel {
 public:
  Panel(std::string id, std::string title) : id_(std::move(id)), title_(std::move(title)) {}
  virtual ~Panel() = default;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  const std::string& id() const { return id_; }        // "conv", "about": used by --panel
  const std::string& title() const { return title_; }  // shown on the tab

  virtual void draw(PanelContext& context) = 0;

  // --set KEY=VALUE. An error names the key and lists the valid keys/values.
  virtual Status apply_setting(const std::string& key, const std::string& value) {
    (void)value;
    return Error{"panel '" + id_ + "' has no setting '" + key + "' (it has no settings)"};
  }
  // Drag-and-drop. Return true when the file was taken (even if it then
  // failed to load: the panel reports that itself).
  virtual bool on_file_dropped(const std::string& path) {
    (void)path;
    return false;
  }
  virtual bool takes_files() const { return false; }
  // Return true when the key was used.
  virtual bool on_step(StepKey key) {
    (void)key;
    return false;
  }

 private:
  std::string id_;
  std::string title_;
};

}  // namespace convlab::app
