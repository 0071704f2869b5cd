#include "app/export_files.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/base/i18n.h"

namespace convlab::app {

namespace fs = std::filesystem;

std::string default_export_folder() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return (fs::path(home) / "ConvLab").string();
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  return ec ? std::string(".") : cwd.string();
}

Result<std::string> fresh_export_path(const std::string& folder, const std::string& stem,
                                      const std::string& ext) {
  if (folder.empty()) return Error{tr("export folder is empty; type a folder path (for example ~/ConvLab)")};
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder, ec))
    return Error{ec ? format(tr("export folder '%s' cannot be created or is not a folder: %s"),
                             folder.c_str(), ec.message().c_str())
                    : format(tr("export folder '%s' cannot be created or is not a folder"), folder.c_str())};
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const std::string base = stem + "-" + stamp;
  for (int n = 1; n < 1000; ++n) {
    std::string name = base;
    if (n > 1) name.append("-").append(std::to_string(n));
    name.append(".").append(ext);
    const fs::path candidate = fs::path(folder) / name;
    if (!fs::exists(candidate, ec)) return candidate.string();
  }
  return Error{format(tr("export folder '%s' already has 999 exports named %s*; pick another folder"),
                      folder.c_str(), base.c_str())};
}

Status write_text_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
      return Error{format(tr("cannot write '%s': the folder is missing or not writable"), path.c_str())};
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      return Error{format(tr("cannot write '%s': the disk may be full"), path.c_str())};
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::remove(temporary.c_str());
    return Error{format(tr("cannot write '%s': %s"), path.c_str(), ec.message().c_str())};
  }
  return {};
}

RgbImage rgb_from_frame(const explore::RgbaFrame& frame) {
  RgbImage image;
  image.width = frame.width;
  image.height = frame.height;
  const size_t count = static_cast<size_t>(frame.width) * static_cast<size_t>(frame.height);
  image.pixels.resize(count * 3);
  for (size_t i = 0; i < count; ++i)
    for (size_t k = 0; k < 3; ++k) image.pixels[i * 3 + k] = frame.pixels[i * 4 + k];
  return image;
}

explore::RgbaFrame shrink_frame(const explore::RgbaFrame& frame, int max_width) {
  if (frame.width <= max_width || max_width <= 0) return frame;
  explore::RgbaFrame out;
  out.width = max_width;
  out.height = std::max(1, static_cast<int>(static_cast<int64_t>(frame.height) * max_width / frame.width));
  out.pixels.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height) * 4);
  // Each output pixel averages the source pixels its footprint covers.
  for (int y = 0; y < out.height; ++y) {
    const int sy0 = static_cast<int>(static_cast<int64_t>(y) * frame.height / out.height);
    const int sy1 =
        std::max(sy0 + 1, static_cast<int>(static_cast<int64_t>(y + 1) * frame.height / out.height));
    for (int x = 0; x < out.width; ++x) {
      const int sx0 = static_cast<int>(static_cast<int64_t>(x) * frame.width / out.width);
      const int sx1 =
          std::max(sx0 + 1, static_cast<int>(static_cast<int64_t>(x + 1) * frame.width / out.width));
      uint32_t sum[4] = {0, 0, 0, 0};
      for (int sy = sy0; sy < sy1; ++sy)
        for (int sx = sx0; sx < sx1; ++sx)
          for (int k = 0; k < 4; ++k)
            sum[k] += frame.pixels[(static_cast<size_t>(sy) * static_cast<size_t>(frame.width) +
                                    static_cast<size_t>(sx)) *
                                       4 +
                                   static_cast<size_t>(k)];
      const uint32_t n = static_cast<uint32_t>((sy1 - sy0) * (sx1 - sx0));
      for (int k = 0; k < 4; ++k)
        out.pixels[(static_cast<size_t>(y) * static_cast<size_t>(out.width) + static_cast<size_t>(x)) * 4 +
                   static_cast<size_t>(k)] = static_cast<uint8_t>((sum[k] + n / 2) / n);
    }
  }
  return out;
}

GifRecording::GifRecording(std::string path, int step_count, int max_frames) : path_(std::move(path)) {
  if (step_count <= 0 || max_frames <= 0) return;
  // The last step is always shown (the finished output), so at most
  // max_frames - 1 evenly spaced steps come before it.
  stride_ = step_count <= max_frames ? 1 : (step_count - 1 + max_frames - 2) / (max_frames - 1);
  for (int step = 0; step < step_count - 1; step += stride_) steps_.push_back(step);
  steps_.push_back(step_count - 1);
}

std::optional<int> GifRecording::next_step() {
  if (requested_ >= steps_.size() || !error_.empty()) return std::nullopt;
  return steps_[requested_++];
}

void GifRecording::add_frame(explore::RgbaFrame frame) { frames_.push_back(shrink_frame(frame, kMaxWidth)); }

Status GifRecording::write() const {
  if (!error_.empty()) return Error{format(tr("GIF '%s' not written: %s"), path_.c_str(), error_.c_str())};
  if (frames_.empty())
    return Error{format(tr("GIF '%s' not written: there are no steps to record"), path_.c_str())};
  for (const explore::RgbaFrame& frame : frames_)
    if (frame.width != frames_.front().width || frame.height != frames_.front().height)
      return Error{format(tr("GIF '%s' not written: the window changed size while recording; record again"),
                          path_.c_str())};
  // write_gif takes one delay; the final frame's longer hold is made by
  // repeating it, which GIF viewers show as a pause.
  std::vector<explore::RgbaFrame> frames = frames_;
  for (int hold = kDelayCs; hold < kLastDelayCs; hold += kDelayCs) frames.push_back(frames_.back());
  return explore::write_gif(path_, frames, kDelayCs);
}

}  // namespace convlab::app
