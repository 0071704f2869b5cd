// A panel: one page of the app (convolution, transposed convolution, batch
// norm, network, lesson, about). Panels display core results and edit app
// state; they never compute (see DESIGN.md).
//
// Keyboard: the shell owns Ctrl+/-/0 (scale), 1-9 (switch panel) and F1
// (about). The stepping keys below are reserved for panels and reach the
// active panel through on_step() only when no text field has focus, so a
// presenter clicker (which sends PageUp/PageDown) drives the lesson.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "app/settings.h"
#include "core/base/i18n.h"
#include "core/base/result.h"
#include "core/explore/gif_writer.h"
#include "core/lesson/lesson.h"

struct ImFont;

namespace convlab::app {

class StatusBar;
class Panel;

enum class StepKey {
  Previous,      // Left
  Next,          // Right
  PlayPause,     // Space
  First,         // Home
  Last,          // End
  PagePrevious,  // PageUp (clicker "back")
  PageNext,      // PageDown (clicker "forward")
};

// A request to read back a rectangle of this frame once it is rendered (PNG
// and GIF export). The rectangle is in ImGui screen coordinates; `done`
// receives the pixels (top row first) or an error, before the next frame.
struct CaptureRequest {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::function<void(Result<explore::RgbaFrame>)> done;
};

// What the shell lends a panel while it draws.
struct PanelContext {
  Theme theme = Theme::Dark;
  ImFont* ui_font = nullptr;
  ImFont* heading_font = nullptr;
  ImFont* mono_font = nullptr;  // numbers: digits line up
  ImFont* mono_large_font = nullptr;
  ImFont* bold_font = nullptr;    // lesson text
  ImFont* italic_font = nullptr;  // lesson text
  StatusBar* status = nullptr;
  std::string gl_vendor, gl_renderer, gl_version;
  std::vector<CaptureRequest>* captures = nullptr;
  // Switches to panel `id` after applying the settings in order (as --set
  // would); an error goes to the status bar and leaves the current panel.
  std::function<void(const std::string& id, const std::vector<std::pair<std::string, std::string>>& settings)>
      open_panel;
  // A lesson step's rules: which controls show and which are locked (null:
  // all shown, none locked). Panels ask through control_shown / control_locked.
  const lesson::ControlRules* controls = nullptr;
  // Presenter mode: the lesson fills the screen, chrome hidden.
  bool presenter = false;
  // The app's panel with this id (the lesson drives it); fresh: replaced by a
  // new one first, so a lesson step never depends on what came before.
  std::function<Panel*(const std::string& id, bool fresh)> panel;
  // The console contract (--log, log=1 in a link): one line per event,
  // printed as "convlab: <line>". Null when logging is off.
  std::function<void(const std::string& line)> log;
  // Puts a link to the current view (link_state.h) on the clipboard.
  std::function<void()> copy_link;
};

// Whether a control group (an id from Panel::control_ids()) is shown / locked.
bool control_shown(const PanelContext& context, const std::string& id);
bool control_locked(const PanelContext& context, const std::string& id);

class Panel {
 public:
  Panel(std::string id, std::string title) : id_(std::move(id)), title_(std::move(title)) {}
  virtual ~Panel() = default;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  const std::string& id() const { return id_; }  // "conv", "about": used by --panel
  // Shown on the tab and in menus, in the UI language: a panel gives its
  // English title marked with tr_noop(), and each call translates it, so a
  // language switch renames the tabs at once.
  std::string title() const { return tr(title_.c_str()); }

  virtual void draw(PanelContext& context) = 0;

  // --set KEY=VALUE. An error names the key and lists the valid keys/values.
  virtual Status apply_setting(const std::string& key, const std::string& value) {
    (void)value;
    return Error{format(tr("panel '%s' has no setting '%s' (it has no settings)"), id_.c_str(), key.c_str())};
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
  // True while the panel has work spread over frames (a GIF being recorded,
  // a model running): --screenshot keeps rendering until it is done.
  virtual bool busy() const { return false; }

  // The ids of the control groups a lesson may show, hide or lock.
  virtual std::vector<std::string> control_ids() const { return {}; }
  // The panel's state as key=value lines that apply_setting reads back into
  // the same view (File > Copy state, lesson step blocks). Empty: no state.
  virtual std::string state_text() const { return {}; }

 private:
  std::string id_;
  std::string title_;
};

}  // namespace convlab::app
