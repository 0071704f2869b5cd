// Exports for a stepping panel: PNG of its picture, an animated GIF of its
// step-through, its trace as CSV and JSON. The panel says what it has (an
// ExportSource); the exporter keeps the folder, the queue (buttons and
// --set export_*=PATH), the GIF recording spread over frames, and the frame
// read-backs it asks the shell for.
#pragma once

#include <imgui.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/export_files.h"
#include "app/panel.h"

namespace convlab::app {

enum class ExportKind { Png, Gif, Csv, Json };

struct ExportSource {
  std::string stem;  // file names: "<stem>-<time>.png", "<stem>-trace-<time>.csv"
  std::function<int()> step_count;
  std::function<int()> step_index;
  std::function<void(int)> set_step;
  std::function<void()> pause;
  // The trace as CSV or JSON text, or why there is none.
  std::function<Result<std::string>(ExportKind)> trace_text;
};

class PanelExporter {
 public:
  explicit PanelExporter(ExportSource source);

  // --set export_png|export_gif|export_csv|export_json=PATH. Returns false
  // when `key` is not one of them (the panel tries its other keys).
  bool takes_key(const std::string& key) const;
  Status request(const std::string& key, const std::string& path);
  void request(ExportKind kind, std::string path = "");  // empty: a fresh name in the folder

  bool busy() const { return !pending_.empty() || gif_ != nullptr || captures_in_flight_ > 0; }
  bool recording() const { return gif_ != nullptr; }

  // Call before drawing: while a GIF records, moves the panel to the step
  // this frame shows. Returns true when this frame is to be recorded.
  bool begin_frame();
  // Call after drawing the picture (its screen rectangle): asks the shell
  // for the read-backs and starts queued exports.
  void end_frame(ImVec2 min, ImVec2 max, bool record_this_frame, PanelContext& context);

  // Folder box and the four buttons.
  void draw_controls(PanelContext& context);

 private:
  struct Pending {
    ExportKind kind;
    std::string path;
  };
  void start(const Pending& pending, ImVec2 min, ImVec2 max, PanelContext& context);
  void capture_gif_frame(ImVec2 min, ImVec2 max, PanelContext& context);
  Result<std::string> path_for(const Pending& pending) const;

  ExportSource source_;
  std::string folder_;
  std::vector<Pending> pending_;
  std::unique_ptr<GifRecording> gif_;
  int step_before_gif_ = 0;
  int captures_in_flight_ = 0;
};

}  // namespace convlab::app
