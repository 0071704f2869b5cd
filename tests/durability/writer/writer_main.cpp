// The child the durability tests kill: writes one of ConvLab's files through
// the app's own writer, version 0 or 1 of its content.
//   durability_writer KIND PATH VERSION   write once and exit
//   durability_writer KIND PATH loop      write versions 0, 1, 0, ... until killed
// KIND: settings, view, csv, png, gif, model. The contents are big enough
// (megabytes, where the format allows) that a kill often lands mid-write.
#include <cstdio>
#include <cstring>
#include <string>

#include "app/export_files.h"
#include "app/settings.h"
#include "app/view_file.h"
#include "core/explore/gif_writer.h"
#include "core/io/image_io.h"
#include "core/model/model.h"

using namespace convlab;

namespace {

std::string lines(char letter, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += std::string(60, letter) + "," + std::to_string(i) + "\n";
  return text;
}

RgbImage picture(int version) {
  RgbImage image;
  image.width = 1024;
  image.height = 768;
  image.pixels.resize(static_cast<size_t>(image.width) * image.height * 3);
  for (size_t i = 0; i < image.pixels.size(); ++i)
    image.pixels[i] = static_cast<uint8_t>(version == 0 ? (i * 7) % 251 : (i * 13 + i / 4096) % 253);
  return image;
}

Status write_version(const std::string& kind, const std::string& path, int version) {
  if (kind == "settings") {
    app::Settings settings;
    if (version == 1) {
      settings.window_width = 1920;
      settings.window_height = 1080;
      settings.theme = app::Theme::Light;
      settings.scale = 1.5f;
      settings.language = "pt-BR";
    }
    return app::save_settings(path, settings);
  }
  if (kind == "view")
    return app::write_view_file(path, "conv", "input=5x5\n" + lines(version ? 'b' : 'a', 40000));
  if (kind == "csv") return app::write_text_file(path, lines(version ? 'y' : 'x', 60000));
  if (kind == "png") return save_image(path, picture(version));
  if (kind == "gif") {
    std::vector<explore::RgbaFrame> frames;
    for (int f = 0; f < 12; ++f) {
      explore::RgbaFrame frame;
      frame.width = 320;
      frame.height = 240;
      frame.pixels.resize(static_cast<size_t>(frame.width) * frame.height * 4);
      for (size_t i = 0; i < frame.pixels.size(); ++i)
        frame.pixels[i] = static_cast<uint8_t>((i * (version ? 5 : 3) + static_cast<size_t>(f) * 17) % 256);
      frames.push_back(std::move(frame));
    }
    return explore::write_gif(path, frames, 10);
  }
  if (kind == "model") {
    auto graph = Graph::builtin("advanced");
    if (!graph.ok()) return graph.error();
    Model model = random_model(*graph, static_cast<uint64_t>(version) + 1);
    return save_model(model, path);
  }
  return Error{"durability_writer: unknown kind '" + kind + "'"};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: durability_writer KIND PATH VERSION|loop\n");
    return 2;
  }
  const std::string kind = argv[1], path = argv[2];
  if (std::strcmp(argv[3], "loop") != 0) {
    const Status written = write_version(kind, path, std::atoi(argv[3]));
    if (!written.ok()) std::fprintf(stderr, "%s\n", written.message().c_str());
    return written.ok() ? 0 : 1;
  }
  for (int version = 0;; version ^= 1) {
    const Status written = write_version(kind, path, version);
    if (!written.ok()) {
      std::fprintf(stderr, "%s\n", written.message().c_str());
      return 1;
    }
  }
}
