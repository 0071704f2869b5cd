// Where panel exports go and how they are written: a folder the user can
// change, file names that never overwrite an earlier export, text files
// written atomically, and the GIF recorder that turns a step-through into
// frames. No ImGui here, so the logic is tested without a window.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/explore/gif_writer.h"
#include "core/io/image_io.h"

namespace convlab::app {

// $HOME/ConvLab, or the working directory when HOME is not set.
std::string default_export_folder();

// "<folder>/<stem>-YYYYMMDD-HHMMSS.<ext>", with "-2", "-3", ... added when
// that file already exists. Creates the folder; errors name it.
Result<std::string> fresh_export_path(const std::string& folder, const std::string& stem,
                                      const std::string& ext);

// Written to "<path>.tmp" and renamed into place: a failed write never
// leaves a truncated file. Errors name the file.
Status write_text_file(const std::string& path, const std::string& text);

RgbImage rgb_from_frame(const explore::RgbaFrame& frame);
// Box-filtered to at most max_width pixels wide (aspect kept); unchanged when
// already narrow enough.
explore::RgbaFrame shrink_frame(const explore::RgbaFrame& frame, int max_width);

// Records a step-through as GIF frames: which steps to show (every step, or
// every k-th plus the last when there are more steps than max_frames), the
// frames as they arrive, and the file at the end.
class GifRecording {
 public:
  static constexpr int kMaxFrames = 150;    // a minute at most; keeps memory and file size sane
  static constexpr int kMaxWidth = 720;     // pixels; frames are shrunk to this
  static constexpr int kDelayCs = 40;       // hundredths of a second per frame
  static constexpr int kLastDelayCs = 150;  // the finished output stays up a moment

  GifRecording(std::string path, int step_count, int max_frames = kMaxFrames);

  const std::string& path() const { return path_; }
  const std::vector<int>& planned_steps() const { return steps_; }
  int stride() const { return stride_; }  // 1: every step is a frame
  // The step the next frame shows, or nullopt once every frame was asked for.
  std::optional<int> next_step();
  void add_frame(explore::RgbaFrame frame);  // shrunk to kMaxWidth
  void fail(std::string message) { error_ = std::move(message); }
  bool complete() const { return frames_.size() == steps_.size() || !error_.empty(); }
  // Writes the GIF (frames of differing sizes, from a resized window, are an
  // error rather than a garbled file).
  Status write() const;

 private:
  std::string path_;
  std::vector<int> steps_;
  int stride_ = 1;
  size_t requested_ = 0;
  std::vector<explore::RgbaFrame> frames_;
  std::string error_;
};

}  // namespace convlab::app
