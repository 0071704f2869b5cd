#include "core/explore/gif_writer.h"

#include <fcntl.h>
#include <gif_lib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_map>

#include "core/base/i18n.h"

namespace convlab::explore {

namespace {

uint32_t pack(const uint8_t* p) { return uint32_t{p[0]} << 16 | uint32_t{p[1]} << 8 | uint32_t{p[2]}; }

void append_rgb(std::vector<uint8_t>& rgb, int r, int g, int b) {
  rgb.push_back(static_cast<uint8_t>(r));
  rgb.push_back(static_cast<uint8_t>(g));
  rgb.push_back(static_cast<uint8_t>(b));
}

GifPalette fixed_palette() {
  GifPalette palette;
  for (int r = 0; r < 6; ++r)
    for (int g = 0; g < 7; ++g)
      for (int b = 0; b < 6; ++b) append_rgb(palette.rgb, r * 255 / 5, g * 255 / 6, b * 255 / 5);
  // Grays between the cube's own (0, 51, 102, ...), for text anti-aliasing.
  for (int v : {25, 76, 178, 229}) append_rgb(palette.rgb, v, v, v);
  return palette;
}

// Nearest palette entry, remembered per color: flat frames repeat colors.
class ColorMapper {
 public:
  explicit ColorMapper(const GifPalette& palette) : palette_(palette) {}
  uint8_t index(const uint8_t* p) {
    const uint32_t key = pack(p);
    if (auto found = cache_.find(key); found != cache_.end()) return found->second;
    int best = 0;
    long best_distance = -1;
    for (size_t i = 0; i * 3 < palette_.rgb.size(); ++i) {
      const long dr = p[0] - palette_.rgb[i * 3], dg = p[1] - palette_.rgb[i * 3 + 1],
                 db = p[2] - palette_.rgb[i * 3 + 2];
      // Weighted as the eye is (green most, blue least).
      const long distance = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
      if (best_distance < 0 || distance < best_distance) {
        best_distance = distance;
        best = static_cast<int>(i);
      }
    }
    cache_.emplace(key, static_cast<uint8_t>(best));
    return static_cast<uint8_t>(best);
  }

 private:
  const GifPalette& palette_;
  std::unordered_map<uint32_t, uint8_t> cache_;
};

Error gif_error(const std::string& path, const char* what, int code) {
  const char* reason = GifErrorString(code);
  return Error{format(tr("%s: could not write the GIF (%s: %s)"), path.c_str(), what,
                      reason ? reason : tr("unknown error"))};
}

Status check_frames(const std::string& path, const std::vector<RgbaFrame>& frames, int delay) {
  if (frames.empty()) return make_error(path, ": no frames to write: a GIF needs at least one frame");
  if (delay < 0 || delay > 65535)
    return make_error(path, ": frame delay ", delay, " must be 0..65535 hundredths of a second");
  const RgbaFrame& first = frames.front();
  if (first.width < 1 || first.height < 1 || first.width > kMaxGifSide || first.height > kMaxGifSide)
    return make_error(path, ": frame size ", first.width, "x", first.height, " must be 1x1 to ", kMaxGifSide,
                      "x", kMaxGifSide);
  for (size_t i = 0; i < frames.size(); ++i) {
    const RgbaFrame& f = frames[i];
    if (f.width != first.width || f.height != first.height)
      return make_error(path, ": frame ", i, " is ", f.width, "x", f.height, " but frame 0 is ", first.width,
                        "x", first.height, ": all frames must be the same size");
    if (f.pixels.size() != static_cast<size_t>(f.width) * static_cast<size_t>(f.height) * 4)
      return make_error(path, ": frame ", i, " has ", f.pixels.size(), " bytes but ", f.width, "x", f.height,
                        " RGBA needs ", static_cast<size_t>(f.width) * static_cast<size_t>(f.height) * 4);
  }
  return {};
}

// Everything after the file is open; the caller closes it.
Status write_contents(GifFileType* gif, const std::string& path, const std::vector<RgbaFrame>& frames,
                      int delay) {
  const GifPalette palette = choose_gif_palette(frames);
  const int entries = static_cast<int>(palette.rgb.size() / 3);
  int size = 2;
  while (size < entries) size *= 2;  // GIF color tables are powers of two
  std::vector<GifColorType> colors(static_cast<size_t>(size), GifColorType{0, 0, 0});
  for (int i = 0; i < entries; ++i)
    colors[static_cast<size_t>(i)] = {palette.rgb[static_cast<size_t>(i) * 3],
                                      palette.rgb[static_cast<size_t>(i) * 3 + 1],
                                      palette.rgb[static_cast<size_t>(i) * 3 + 2]};
  ColorMapObject* map = GifMakeMapObject(size, colors.data());
  if (!map) return make_error(path, ": could not allocate the GIF palette");
  EGifSetGifVersion(gif, true);  // GIF89a: needed for delays and looping
  const int width = frames.front().width, height = frames.front().height;
  const int screen = EGifPutScreenDesc(gif, width, height, 8, 0, map);
  GifFreeMapObject(map);
  if (screen == GIF_ERROR) return gif_error(path, "screen descriptor", gif->Error);

  // NETSCAPE2.0 application block: loop forever.
  static const GifByteType kNetscape[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  static const GifByteType kLoop[] = {1, 0, 0};
  if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
      EGifPutExtensionBlock(gif, sizeof kNetscape, kNetscape) == GIF_ERROR ||
      EGifPutExtensionBlock(gif, sizeof kLoop, kLoop) == GIF_ERROR ||
      EGifPutExtensionTrailer(gif) == GIF_ERROR)
    return gif_error(path, "loop extension", gif->Error);

  ColorMapper mapper(palette);
  std::vector<GifPixelType> line(static_cast<size_t>(width));
  for (const RgbaFrame& frame : frames) {
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.DelayTime = delay;
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    const size_t length = EGifGCBToExtension(&control, extension);
    if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length), extension) == GIF_ERROR)
      return gif_error(path, "frame delay", gif->Error);
    if (EGifPutImageDesc(gif, 0, 0, width, height, false, nullptr) == GIF_ERROR)
      return gif_error(path, "image descriptor", gif->Error);
    for (int y = 0; y < height; ++y) {
      const uint8_t* row = &frame.pixels[static_cast<size_t>(y) * static_cast<size_t>(width) * 4];
      for (int x = 0; x < width; ++x)
        line[static_cast<size_t>(x)] = mapper.index(row + static_cast<size_t>(x) * 4);
      if (EGifPutLine(gif, line.data(), width) == GIF_ERROR) return gif_error(path, "pixels", gif->Error);
    }
  }
  return {};
}

}  // namespace

GifPalette choose_gif_palette(const std::vector<RgbaFrame>& frames) {
  std::unordered_map<uint32_t, int> seen;
  for (const RgbaFrame& frame : frames) {
    for (size_t i = 0; i + 4 <= frame.pixels.size(); i += 4) {
      seen.emplace(pack(&frame.pixels[i]), 0);
      if (seen.size() > 256) return fixed_palette();
    }
  }
  GifPalette palette;
  palette.exact = true;
  std::vector<uint32_t> colors;
  for (const auto& entry : seen) colors.push_back(entry.first);
  std::sort(colors.begin(), colors.end());  // a deterministic file for the same frames
  for (uint32_t c : colors) append_rgb(palette.rgb, int(c >> 16 & 255), int(c >> 8 & 255), int(c & 255));
  if (palette.rgb.empty()) append_rgb(palette.rgb, 0, 0, 0);
  return palette;
}

Status write_gif(const std::string& path, const std::vector<RgbaFrame>& frames, int delay_centiseconds) {
  CONVLAB_TRY(check_frames(path, frames, delay_centiseconds));
  const std::string temporary = path + ".tmp";
  int error = 0;
  // giflib would create the file readable by its owner only (0600); open it
  // ourselves so the umask decides, like every other file the app writes.
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  GifFileType* gif = fd < 0 ? nullptr : EGifOpenFileHandle(fd, &error);
  if (!gif) {
    if (fd >= 0) ::close(fd);
    return gif_error(path, format(tr("cannot create %s"), temporary.c_str()).c_str(), error);
  }
  Status written = write_contents(gif, path, frames, delay_centiseconds);
  int close_error = 0;
  const bool closed = EGifCloseFile(gif, &close_error) != GIF_ERROR;  // frees gif either way
  std::error_code ignored;
  if (!written.ok()) {
    std::filesystem::remove(temporary, ignored);
    return written;
  }
  if (!closed) {
    std::filesystem::remove(temporary, ignored);
    return gif_error(path, tr("closing the file"), close_error);
  }
  std::error_code renamed;
  std::filesystem::rename(temporary, path, renamed);
  if (renamed) {
    std::filesystem::remove(temporary, ignored);
    return Error{format(tr("%s: could not move the finished GIF into place: %s"), path.c_str(),
                        renamed.message().c_str())};
  }
  return {};
}

}  // namespace convlab::explore
