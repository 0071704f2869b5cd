// CSV and JSON of a trace, and the GIF writer read back with giflib.
#include <doctest/doctest.h>
#include <gif_lib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/explore/explorer.h"
#include "core/explore/gif_writer.h"
#include "core/explore/settings_text.h"
#include "core/explore/trace_export.h"
#include "core/explore/trace_json.h"

using namespace convlab;
using namespace convlab::explore;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

ConvExplorer small_case() {
  ConvExplorer e;
  for (const char* line :
       {"input=3x3", "kernel=2x2", "kernel_values=1,-1,0.5,2", "bias=0.25", "padding=1,0,0,0"})
    REQUIRE(apply_setting(e, line).ok());
  return e;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "convlab-explore-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace

TEST_CASE("CSV: one row per tap plus one output row per step, values exact") {
  const ConvExplorer e = small_case();
  const ConvTrace& trace = e.trace();
  const auto lines = lines_of(trace_to_csv(trace));
  REQUIRE(lines.front() ==
          "step,kind,out_channel,out_y,out_x,channel,ky,kx,padded_y,padded_x,on_padding,input,weight,product,"
          "running_sum,bias,result");
  size_t expected_rows = 1;
  for (const ConvStep& step : trace.steps) expected_rows += step.taps.size() + 1;
  REQUIRE(lines.size() == expected_rows);
  size_t row = 1;
  for (size_t s = 0; s < trace.steps.size(); ++s) {
    const ConvStep& step = trace.steps[s];
    for (const ConvTap& tap : step.taps) {
      const auto f = fields_of(lines[row++]);
      REQUIRE(f.size() == 17);
      CHECK(f[0] == std::to_string(s));
      CHECK(f[1] == "tap");
      CHECK(std::stoi(f[8]) == tap.padded_y);
      CHECK(f[10] == (tap.on_padding ? "1" : "0"));
      CHECK(std::stof(f[11]) == tap.input);
      CHECK(std::stof(f[12]) == tap.weight);
      CHECK(std::stof(f[13]) == tap.product);
      CHECK(std::stof(f[14]) == tap.running_sum);
      CHECK(f[15].empty());
    }
    const auto f = fields_of(lines[row++]);
    REQUIRE(f.size() == 17);
    CHECK(f[1] == "output");
    CHECK(f[5].empty());
    CHECK(std::stof(f[15]) == step.bias);
    CHECK(std::stof(f[16]) == step.result);
  }
  // The first row of the first step is on the padding row (top padding 1).
  CHECK(fields_of(lines[1])[10] == "1");
  CHECK(fields_of(lines[1])[11] == "0");
}

TEST_CASE("JSON: params, shapes and every step with its taps, numbers readable and exact") {
  const ConvExplorer e = small_case();
  const ConvTrace& trace = e.trace();
  const std::string text = conv_trace_json(trace, {});
  CHECK(text.find("0.5") != std::string::npos);
  CHECK(text.find("0.50000") == std::string::npos);  // no widened-float noise
  const auto json = nlohmann::json::parse(text);
  CHECK(json["op"] == "conv2d");
  CHECK(json["params"]["padding"]["top"] == 1);
  CHECK(json["output_shape"] == std::vector<int64_t>{1, 1, 3, 2});
  CHECK(json["padded"]["h"] == 4);
  REQUIRE(json["steps"].size() == trace.steps.size());
  for (size_t s = 0; s < trace.steps.size(); ++s) {
    const auto& js = json["steps"][s];
    const ConvStep& step = trace.steps[s];
    CHECK(js["out_y"] == step.out_y);
    CHECK(js["result"].get<float>() == step.result);
    REQUIRE(js["taps"].size() == step.taps.size());
    for (size_t t = 0; t < step.taps.size(); ++t) {
      CHECK(js["taps"][t]["on_padding"] == step.taps[t].on_padding);
      CHECK(js["taps"][t]["product"].get<float>() == step.taps[t].product);
      CHECK(js["taps"][t]["running_sum"].get<float>() == step.taps[t].running_sum);
    }
  }
  CHECK(lines_of(conv_trace_json(trace, {}, {}, -1)).size() == 1);
  // A step range keeps each step's index in the full list.
  const auto part = nlohmann::json::parse(conv_trace_json(trace, {}, {2, 4}));
  REQUIRE(part["steps"].size() == 2);
  CHECK(part["steps"][0]["index"] == 2);
  CHECK(part["step_count"] == trace.steps.size());
  CHECK(part["step_range"]["last"] == 4);
}

namespace {

RgbaFrame flat_frame(int width, int height, int shift) {
  RgbaFrame frame{width, height, {}};
  // Flat UI colors: a few blocks, with a different block per frame.
  const uint8_t palette[4][3] = {{30, 30, 30}, {247, 247, 247}, {178, 24, 43}, {33, 102, 172}};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const auto& c = palette[(x / 4 + y / 4 + shift) % 4];
      frame.pixels.insert(frame.pixels.end(), {c[0], c[1], c[2], 255});
    }
  return frame;
}

struct ReadGif {
  int width = 0, height = 0, frames = 0, delay = -1;
  std::vector<std::vector<uint8_t>> rgb;  // per frame, width*height*3
};

ReadGif read_gif(const std::string& path) {
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  REQUIRE_MESSAGE(gif != nullptr, GifErrorString(error));
  REQUIRE(DGifSlurp(gif) == GIF_OK);
  ReadGif out;
  out.width = gif->SWidth;
  out.height = gif->SHeight;
  out.frames = gif->ImageCount;
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& image = gif->SavedImages[i];
    const ColorMapObject* map = image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
    REQUIRE(map != nullptr);
    GraphicsControlBlock control;
    if (DGifSavedExtensionToGCB(gif, i, &control) == GIF_OK) out.delay = control.DelayTime;
    std::vector<uint8_t> rgb;
    for (int p = 0; p < image.ImageDesc.Width * image.ImageDesc.Height; ++p) {
      const GifColorType c = map->Colors[image.RasterBits[p]];
      rgb.insert(rgb.end(), {c.Red, c.Green, c.Blue});
    }
    out.rgb.push_back(std::move(rgb));
  }
  DGifCloseFile(gif, &error);
  return out;
}

int worst_difference(const RgbaFrame& frame, const std::vector<uint8_t>& rgb) {
  int worst = 0;
  for (size_t p = 0; p * 3 < rgb.size(); ++p)
    for (size_t c = 0; c < 3; ++c)
      worst = std::max(worst, std::abs(frame.pixels[p * 4 + c] - rgb[p * 3 + c]));
  return worst;
}

}  // namespace

TEST_CASE("GIF round trip: frame count, size, delay; flat colors exact") {
  TempDir dir;
  const std::string path = (dir.path / "steps.gif").string();
  std::vector<RgbaFrame> frames = {flat_frame(37, 21, 0), flat_frame(37, 21, 1), flat_frame(37, 21, 2)};
  const Status written = write_gif(path, frames, 25);
  REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.message()));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  const ReadGif gif = read_gif(path);
  CHECK(gif.width == 37);
  CHECK(gif.height == 21);
  REQUIRE(gif.frames == 3);
  CHECK(gif.delay == 25);
  for (int i = 0; i < 3; ++i)
    CHECK(worst_difference(frames[static_cast<size_t>(i)], gif.rgb[static_cast<size_t>(i)]) == 0);
}

TEST_CASE("GIF with more than 256 colors: fixed palette, colors close") {
  TempDir dir;
  const std::string path = (dir.path / "gradient.gif").string();
  RgbaFrame frame{64, 64, {}};
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x)
      frame.pixels.insert(frame.pixels.end(), {static_cast<uint8_t>(x * 4), static_cast<uint8_t>(y * 4),
                                               static_cast<uint8_t>(128), 255});
  CHECK_FALSE(choose_gif_palette({frame}).exact);
  REQUIRE(write_gif(path, {frame, frame}, 10).ok());
  const ReadGif gif = read_gif(path);
  CHECK(gif.frames == 2);
  CHECK(worst_difference(frame, gif.rgb[0]) <= 32);  // half a cube step (255/5/2 ~ 26) plus rounding
}

TEST_CASE("GIF errors name the file and leave nothing behind") {
  TempDir dir;
  const std::string path = (dir.path / "bad.gif").string();
  auto none = write_gif(path, {}, 10);
  REQUIRE_FALSE(none.ok());
  CHECK(none.message().find(path) != std::string::npos);
  auto mismatched = write_gif(path, {flat_frame(8, 8, 0), flat_frame(9, 8, 0)}, 10);
  REQUIRE_FALSE(mismatched.ok());
  CHECK(mismatched.message().find("frame 1") != std::string::npos);
  RgbaFrame short_frame{4, 4, std::vector<uint8_t>(10)};
  CHECK_FALSE(write_gif(path, {short_frame}, 10).ok());
  CHECK_FALSE(write_gif(path, {flat_frame(4, 4, 0)}, -1).ok());
  const std::string missing = (dir.path / "no" / "such" / "dir" / "x.gif").string();
  auto unwritable = write_gif(missing, {flat_frame(4, 4, 0)}, 10);
  REQUIRE_FALSE(unwritable.ok());
  CHECK(unwritable.message().find(missing) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path));
}
