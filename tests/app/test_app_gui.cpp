// Runs the real app under Xvfb: --screenshot must give a PNG of the asked
// size that is not blank; bad options must fail before any window opens.
#include <doctest/doctest.h>
#include <gif_lib.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/gui_run.h"
#include "cli/run_convlab.h"
#include "core/io/image_io.h"

using namespace convlab::cli_test;

TEST_CASE("GUI: --screenshot of the about panel under Xvfb is 1280x720 and not blank") {
  REQUIRE_MESSAGE(have_xvfb_run(),
                  "xvfb-run is missing: install the Debian packages xvfb and xauth "
                  "(scripts/lib.sh installs them)");
  TempDir dir;
  const std::string png = dir.file("about.png");
  auto r = run_under_xvfb({"--screenshot", png, "--panel", "about", "--window", "1280x720"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto image = convlab::load_image(png);
  REQUIRE_MESSAGE(image.ok(), (image.ok() ? "" : image.message()));
  CHECK(image->width == 1280);
  CHECK(image->height == 720);
  CHECK(variance(image.value()) > 100.0);  // text on a background, not one flat color
}

TEST_CASE("GUI: the light theme at scale 1.5 also renders") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const std::string png = dir.file("light.png");
  auto r = run_under_xvfb({"--screenshot", png, "--panel", "about", "--theme", "light", "--scale", "1.5",
                           "--window", "800x600", "--set", "arch=basic"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto image = convlab::load_image(png);
  REQUIRE(image.ok());
  CHECK(image->width == 800);
  CHECK(variance(image.value()) > 100.0);
}

TEST_CASE("GUI: --bench-frames prints a median frame time") {
  REQUIRE(have_xvfb_run());
  auto r = run_under_xvfb({"--bench-frames", "5", "--window", "640x480"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "median"));
  CHECK(contains(r.out, " ms"));
}

TEST_CASE("app: bad options fail before a window opens, naming the setting and the valid ones") {
  // No display needed: these are refused first.
  auto panel = run_convlab({"--panel", "nope"}, {"DISPLAY="});
  CHECK(panel.exit_code == 2);
  CHECK(contains(panel.err, "nope"));
  CHECK(contains(panel.err, "valid panels: conv"));
  auto set = run_convlab({"--panel", "about", "--set", "colour=red"}, {"DISPLAY="});
  CHECK(set.exit_code == 2);
  CHECK(contains(set.err, "colour"));
  CHECK(contains(set.err, "arch"));
  auto malformed = run_convlab({"--set", "arch"}, {"DISPLAY="});
  CHECK(malformed.exit_code == 2);
  CHECK(contains(malformed.err, "KEY=VALUE"));
  auto window = run_convlab({"--window", "big"}, {"DISPLAY="});
  CHECK(window.exit_code == 2);
  CHECK(contains(window.err, "--window"));
}

TEST_CASE("app: without a display it says to use Xvfb or the subcommands") {
  auto r = run_convlab({"--panel", "about"}, {"DISPLAY=", "WAYLAND_DISPLAY="});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "xvfb-run"));
  CHECK(contains(r.err, "subcommands"));
}

namespace {

convlab::RgbImage screenshot_ok(const std::vector<std::string>& args, const std::string& png, int width,
                                int height) {
  std::vector<std::string> all = {"--screenshot", png,
                                  "--panel",      "conv",
                                  "--window",     std::to_string(width) + "x" + std::to_string(height)};
  all.insert(all.end(), args.begin(), args.end());
  auto r = run_under_xvfb(all);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto image = convlab::load_image(png);
  REQUIRE_MESSAGE(image.ok(), (image.ok() ? "" : image.message()));
  CHECK(image->width == width);
  CHECK(image->height == height);
  CHECK(variance(image.value()) > 100.0);
  return image.value();
}

int gif_frame_count(const std::string& path) {
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  if (gif == nullptr) return -1;
  const int frames = DGifSlurp(gif) == GIF_OK ? gif->ImageCount : -1;
  DGifCloseFile(gif, &error);
  return frames;
}

}  // namespace

TEST_CASE("GUI: the convolution panel renders in several states") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  screenshot_ok({}, dir.file("default.png"), 1600, 900);
  screenshot_ok({"--set", "input=32x32", "--set", "in_channels=3", "--set", "out_channels=4", "--set",
                 "kernel=7x7", "--set", "kernel_preset=random", "--set", "padding=same", "--set", "step=300"},
                dir.file("big.png"), 1600, 900);
  screenshot_ok({"--scale", "1.5", "--theme", "light", "--set", "input=7x7", "--set", "stride=2", "--set",
                 "dilation=2", "--set", "padding=same", "--set", "hover=1,3,3", "--set", "step=end"},
                dir.file("dilated.png"), 1280, 720);
  // No output: the kernel field is larger than the padded input. The panel
  // says why instead of failing.
  screenshot_ok({"--set", "input=3x3", "--set", "kernel=5x5", "--set", "dilation=2"}, dir.file("none.png"),
                1280, 720);
  screenshot_ok({"--set", "photo=animals_chelsea_cat", "--set", "kernel_preset=sobel_x"},
                dir.file("photo.png"), 1280, 720);
}

TEST_CASE("GUI: the convolution panel exports PNG, GIF, CSV and JSON") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const std::string png = dir.file("step.png"), gif = dir.file("steps.gif"), csv = dir.file("trace.csv"),
                    json = dir.file("trace.json");
  screenshot_ok({"--set", "input=4x5", "--set", "padding=same", "--set", "export_png=" + png, "--set",
                 "export_gif=" + gif, "--set", "export_csv=" + csv, "--set", "export_json=" + json},
                dir.file("shot.png"), 1280, 720);
  auto image = convlab::load_image(png);
  REQUIRE(image.ok());
  CHECK(image->width > 400);
  CHECK(variance(image.value()) > 100.0);
  // 4x5 'same' with a 3x3 kernel: 20 steps, each a frame, then the last
  // frame held a little longer (repeated).
  const int frames = gif_frame_count(gif);
  CHECK(frames >= 20);
  CHECK(frames <= 24);
  std::ifstream csv_in(csv);
  std::string line;
  int lines = 0;
  while (std::getline(csv_in, line)) ++lines;
  CHECK(lines == 1 + 20 * 9 + 20);  // header, 9 taps and an output row per step
  std::ifstream json_in(json);
  const auto parsed = nlohmann::json::parse(json_in);
  CHECK(parsed["op"] == "conv2d");
  CHECK(parsed["steps"].size() == 20);
}

TEST_CASE("GUI: the convolution panel max- and average-pools, and exports the pool's trace") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const std::string png = dir.file("pool.png"), gif = dir.file("pool.gif"), csv = dir.file("pool.csv"),
                    json = dir.file("pool.json");
  // 6x6 'numbers', 2x2 window, stride 2: 9 steps of 4 taps.
  screenshot_ok({"--set", "operation=maxpool", "--set", "input=6x6", "--set", "kernel=2x2", "--set",
                 "stride=2", "--set", "step=4", "--set", "export_png=" + png, "--set", "export_gif=" + gif,
                 "--set", "export_csv=" + csv, "--set", "export_json=" + json},
                dir.file("shot.png"), 1280, 720);
  auto image = convlab::load_image(png);
  REQUIRE(image.ok());
  CHECK(variance(image.value()) > 100.0);
  const int frames = gif_frame_count(gif);
  CHECK(frames >= 9);
  CHECK(frames <= 13);
  std::ifstream csv_in(csv);
  std::string header;
  std::getline(csv_in, header);
  CHECK(contains(header, "chosen"));
  int lines = 1;
  for (std::string line; std::getline(csv_in, line);) ++lines;
  CHECK(lines == 1 + 9 * 4 + 9);
  std::ifstream json_in(json);
  const auto parsed = nlohmann::json::parse(json_in);
  CHECK(parsed["op"] == "max_pool2d");
  REQUIRE(parsed["steps"].size() == 9);
  CHECK(parsed["steps"][4]["result"] == 21.0);
  CHECK(parsed["steps"][4]["chosen"] == 3);
  // Average pool with padding that does not count, in Portuguese and
  // presenter mode; and a padding PyTorch refuses, which says why.
  screenshot_ok({"--lang", "pt-BR", "--presenter", "--set", "operation=avgpool", "--set", "padding=1",
                 "--set", "count_include_pad=off", "--set", "ceil_mode=on", "--set", "step=1"},
                dir.file("average.png"), 1280, 720);
  screenshot_ok({"--set", "operation=maxpool", "--set", "kernel=2x2", "--set", "padding=2"},
                dir.file("refused.png"), 1280, 720);
}

TEST_CASE("GUI: bad conv settings are refused before a window opens") {
  auto r = run_convlab({"--panel", "conv", "--set", "stride=9"}, {"DISPLAY="});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "stride"));
  CHECK(contains(r.err, "1"));
  auto photo = run_convlab({"--panel", "conv", "--set", "photo=/no/such.jpg"}, {"DISPLAY="});
  CHECK(photo.exit_code == 2);
  CHECK(contains(photo.err, "/no/such.jpg"));
}

TEST_CASE("GUI: the transposed-convolution panel renders its three views and exports") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const auto shot = [&](std::vector<std::string> args, const std::string& name, int width, int height) {
    args.insert(args.begin(), {"--panel", "tconv"});
    std::vector<std::string> all = {"--screenshot", dir.file(name), "--window",
                                    std::to_string(width) + "x" + std::to_string(height)};
    all.insert(all.end(), args.begin(), args.end());
    auto r = run_under_xvfb(all);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto image = convlab::load_image(dir.file(name));
    REQUIRE(image.ok());
    CHECK(image->width == width);
    CHECK(variance(image.value()) > 100.0);
  };
  shot({"--set", "step=2"}, "seed.png", 1600, 900);  // the seed's 2x2 example
  shot({"--scale", "1.5", "--set", "input=3x3", "--set", "kernel=3x3", "--set", "stride=2", "--set",
        "padding=1", "--set", "output_padding=1", "--set", "view=direct", "--set", "step=7"},
       "direct.png", 1280, 720);
  const std::string csv = dir.file("tconv.csv"), json = dir.file("tconv.json");
  shot({"--set", "kernel=3x3", "--set", "stride=2", "--set", "view=overlap", "--set", "artifact=on", "--set",
        "export_csv=" + csv, "--set", "export_json=" + json},
       "overlap.png", 1600, 900);
  std::ifstream json_in(json);
  const auto parsed = nlohmann::json::parse(json_in);
  CHECK(parsed["op"] == "conv_transpose2d");
  CHECK(parsed["intermediates"].size() == 4);  // 2x2 input
  std::ifstream csv_in(csv);
  std::string header;
  std::getline(csv_in, header);
  CHECK(contains(header, "intermediate"));
}

TEST_CASE("GUI: bad transposed-convolution settings are refused before a window opens") {
  auto r = run_convlab({"--panel", "tconv", "--set", "view=sideways"}, {"DISPLAY="});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "sum"));
  CHECK(contains(r.err, "overlap"));
  auto key = run_convlab({"--panel", "tconv", "--set", "colour=red"}, {"DISPLAY="});
  CHECK(key.exit_code == 2);
  CHECK(contains(key.err, "artifact"));
}

TEST_CASE("GUI: the batch-norm panel renders random batches and a colorizer layer, and exports") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const std::string csv = dir.file("bn.csv");
  for (const auto& [args, name] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--set", "steps=5", "--set", "export_csv=" + csv}, "random.png"},
           {{"--scale", "1.5", "--set", "source=layer:conv2_bn", "--set", "channel=4"}, "layer.png"},
           {{"--theme", "light", "--set", "mode=eval", "--set", "batch=8", "--set", "channels=2"},
            "eval.png"}}) {
    std::vector<std::string> all = {"--screenshot", dir.file(name), "--panel", "bn", "--window", "1280x720"};
    all.insert(all.end(), args.begin(), args.end());
    auto r = run_under_xvfb(all);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto image = convlab::load_image(dir.file(name));
    REQUIRE(image.ok());
    CHECK(image->width == 1280);
    CHECK(variance(image.value()) > 100.0);
  }
  std::ifstream csv_in(csv);
  std::string header;
  std::getline(csv_in, header);
  CHECK(contains(header, "running_mean_after"));
}

TEST_CASE("GUI: bad batch-norm settings are refused before a window opens") {
  auto layer = run_convlab({"--panel", "bn", "--set", "source=layer:conv1"}, {"DISPLAY="});
  CHECK(layer.exit_code == 2);
  CHECK(contains(layer.err, "conv1_bn"));  // the valid layers are listed
  auto batch = run_convlab({"--panel", "bn", "--set", "batch=99"}, {"DISPLAY="});
  CHECK(batch.exit_code == 2);
  CHECK(contains(batch.err, "batch"));
  auto gif = run_convlab({"--panel", "bn", "--set", "export_gif=x.gif"}, {"DISPLAY="});
  CHECK(gif.exit_code == 2);
  CHECK(contains(gif.err, "export_png"));
}

namespace {

struct PanelShot {
  convlab::RgbImage image;
  std::string out;
};

PanelShot panel_screenshot(const std::string& panel, const std::vector<std::string>& args,
                           const std::string& png, int width, int height) {
  std::vector<std::string> all = {"--screenshot", png,
                                  "--panel",      panel,
                                  "--window",     std::to_string(width) + "x" + std::to_string(height)};
  all.insert(all.end(), args.begin(), args.end());
  auto r = run_under_xvfb(all);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto image = convlab::load_image(png);
  REQUIRE_MESSAGE(image.ok(), (image.ok() ? "" : image.message()));
  CHECK(image->width == width);
  CHECK(image->height == height);
  CHECK(variance(image.value()) > 100.0);
  return {image.value(), r.out};
}

}  // namespace

TEST_CASE("GUI: the network panel colorizes a sample photo and shows a layer, on the GPU and the CPU") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  // GPU (compute shaders on llvmpipe here), the 256-channel layer's thumbnails.
  auto gpu = panel_screenshot("network",
                              {"--set", "image=food_coffee", "--set", "category=food", "--set", "layer=c4",
                               "--set", "working_size=64"},
                              dir.file("gpu.png"), 1600, 900);
  // The screenshot waits for the result: the panel reports it on screen.
  CHECK(contains(gpu.out, "food_coffee.jpg"));
  CHECK(contains(gpu.out, "colors on screen"));
  CHECK(contains(gpu.out, "(GPU"));
  // The compact layout at a projector's 1280x720 and scale 1.5: the CPU, a
  // zoomed channel, the small model, step mode on the architecture tab.
  auto cpu =
      panel_screenshot("network",
                       {"--scale", "1.5", "--set", "arch=basic", "--set", "backend=cpu", "--set",
                        "working_size=64", "--set", "layer=conv2", "--set", "zoom=3", "--set", "view=layer"},
                       dir.file("cpu.png"), 1280, 720);
  CHECK(contains(cpu.out, "(CPU"));
  panel_screenshot("network",
                   {"--theme", "light", "--set", "working_size=64", "--set", "step=6", "--set",
                    "inspect=batchnorm", "--set", "compare=wipe", "--set", "wipe=0.3"},
                   dir.file("step.png"), 1600, 900);
}

TEST_CASE("GUI: a colorizer layer opens in the convolution and transposed-convolution panels") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  panel_screenshot(
      "conv",
      {"--set", "working_size=64", "--set", "filter=4", "--set", "source=layer:dilat1", "--set", "step=10"},
      dir.file("conv.png"), 1600, 900);
  panel_screenshot("tconv",
                   {"--set", "working_size=64", "--set", "source=layer:tconv1", "--set", "view=direct"},
                   dir.file("tconv.png"), 1600, 900);
}

TEST_CASE("GUI: bad network settings are refused before a window opens") {
  auto image = run_convlab({"--panel", "network", "--set", "image=/nope.png"}, {"DISPLAY="});
  CHECK(image.exit_code == 2);
  CHECK(contains(image.err, "/nope.png"));
  auto layer = run_convlab({"--panel", "network", "--set", "layer=conv99"}, {"DISPLAY="});
  CHECK(layer.exit_code == 2);
  CHECK(contains(layer.err, "d1"));  // the blocks are listed
  auto arch = run_convlab({"--panel", "network", "--set", "arch=huge"}, {"DISPLAY="});
  CHECK(arch.exit_code == 2);
  CHECK(contains(arch.err, "basic"));
  auto weights = run_convlab({"--panel", "network", "--set", "weights=/nope.safetensors"}, {"DISPLAY="});
  CHECK(weights.exit_code == 2);
  CHECK(contains(weights.err, "/nope.safetensors"));
  auto source = run_convlab({"--panel", "conv", "--set", "source=layer:tconv2"}, {"DISPLAY="});
  CHECK(source.exit_code == 2);
  CHECK(contains(source.err, "conv1"));
}

TEST_CASE("GUI: the network panel opens ONNX models: ResNet-18 folded into blocks, TinyVGG with its top 5") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const std::string zoo = std::string(CONVLAB_SOURCE_DIR) + "/tests/data/onnx/zoo/";
  auto resnet =
      panel_screenshot("network", {"--model", zoo + "resnet18_opset17/model.onnx", "--set", "layer=layers.3"},
                       dir.file("resnet.png"), 1600, 900);
  CHECK(contains(resnet.out, "model.onnx on screen"));
  CHECK(contains(resnet.out, "(GPU"));  // op by op on the GPU (llvmpipe here)
  // How long opening took, from asking to the diagram drawn (the goal: < 0.5 s).
  CHECK(contains(resnet.out, "opened model.onnx (69 nodes): read, checked, shapes and layout"));
  auto tinyvgg =
      panel_screenshot("network",
                       {"--model", zoo + "tinyvgg_opset17/model.onnx", "--set", "mean=0.5", "--set",
                        "std=0.25", "--set", "fold=none", "--set", "zoom=off", "--set", "backend=cpu"},
                       dir.file("tinyvgg.png"), 1280, 720);
  CHECK(contains(tinyvgg.out, "model.onnx on screen"));
  CHECK(contains(tinyvgg.out, "(CPU"));
  // An op ConvLab lacks (TinyVGG's Softmax made a Hardmax, same length in the
  // file): the model opens, the node is drawn red, the layers before it run.
  std::ifstream in(zoo + "tinyvgg_opset17/model.onnx", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t at = bytes.find("Softmax"); at != std::string::npos; at = bytes.find("Softmax", at))
    bytes.replace(at, 7, "Hardmax");
  const std::string hardmax = dir.file("hardmax.onnx");
  std::ofstream(hardmax, std::ios::binary) << bytes;
  auto stopped = panel_screenshot("network", {"--model", hardmax, "--set", "layer=/softmax/Hardmax"},
                                  dir.file("hardmax.png"), 1600, 900);
  CHECK(contains(stopped.out, "hardmax.onnx on screen"));
  // Its layers open in the teaching panels with their real settings and weights.
  panel_screenshot(
      "conv",
      {"--set", "model=" + zoo + "resnet18_opset17/model.onnx", "--set", "preprocess=mean=0.5;std=0.25",
       "--set", "source=layer:/layers/layers.2/conv1/Conv_output_0", "--set", "filter=2"},
      dir.file("resnet-conv.png"), 1600, 900);
  panel_screenshot("tconv",
                   {"--set", "model=" + zoo + "unet_opset17/model.onnx", "--set",
                    "source=layer:/up2/ConvTranspose_output_0"},
                   dir.file("unet-tconv.png"), 1600, 900);
  auto not_conv = run_convlab({"--panel", "conv", "--set", "model=" + zoo + "tinyvgg_opset17/model.onnx",
                               "--set", "source=layer:output"},
                              {"DISPLAY="});
  CHECK(not_conv.exit_code == 2);
  CHECK(contains(not_conv.err, "/features/features.0/features.0.0/Conv_output_0"));  // lists its convolutions
}

TEST_CASE("GUI: a bad model is refused naming the file, and preprocessing settings need an opened model") {
  TempDir dir;
  auto missing = run_convlab({"--model", "/nope/model.onnx"}, {"DISPLAY="});
  CHECK(missing.exit_code == 2);
  CHECK(contains(missing.err, "/nope/model.onnx"));
  // A truncated file: the reader's words, with the file's name.
  const std::string zoo = std::string(CONVLAB_SOURCE_DIR) + "/tests/data/onnx/zoo/";
  std::ifstream in(zoo + "tinyvgg_opset17/model.onnx", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = dir.file("cut.onnx");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  auto truncated = run_convlab({"--model", cut}, {"DISPLAY="});
  CHECK(truncated.exit_code == 2);
  CHECK(contains(truncated.err, "cut.onnx"));
  auto no_model = run_convlab({"--panel", "network", "--set", "mean=0.5"}, {"DISPLAY="});
  CHECK(no_model.exit_code == 2);
  CHECK(contains(no_model.err, "model=PATH"));
  auto bad_color =
      run_convlab({"--model", zoo + "tinyvgg_opset17/model.onnx", "--set", "color=cmyk"}, {"DISPLAY="});
  CHECK(bad_color.exit_code == 2);
  CHECK(contains(bad_color.err, "rgb, bgr, gray, lab_l"));
}

TEST_CASE("GUI: a lesson step in presenter mode at a projector's 1280x720, with a quiz answered") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const std::string png = dir.file("presenter.png");
  auto r = run_under_xvfb({"--screenshot", png, "--window", "1280x720", "--presenter", "--lesson",
                           std::string(CONVLAB_SOURCE_DIR) + "/lessons/pt-BR/02-padding.md", "--step", "2",
                           "--set", "answer=7x7"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto image = convlab::load_image(png);
  REQUIRE(image.ok());
  CHECK(image->width == 1280);
  CHECK(variance(image.value()) > 100.0);
  auto bad = run_under_xvfb({"--screenshot", png, "--lesson", "/nonexistent.md"});
  CHECK(bad.exit_code == 2);
  CHECK(contains(bad.err, "/nonexistent.md:0:"));
  auto step = run_under_xvfb({"--screenshot", png, "--step", "3"});
  CHECK(step.exit_code == 2);
  CHECK(contains(step.err, "--lesson"));
}

namespace {

void play_all(const std::string& language) {
  const fs::path folder = fs::path(CONVLAB_SOURCE_DIR) / "lessons" / language;
  int lessons = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    CAPTURE(entry.path().string());
    auto r = run_under_xvfb({"--lesson", entry.path().string(), "--play", "--window", "1280x720"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "steps ok"));
    CHECK_FALSE(contains(r.out, "FAILED"));
    ++lessons;
  }
  CHECK(lessons == 10);
}

}  // namespace

TEST_CASE("GUI: every English lesson plays through, step by step, without an error") { play_all("en"); }
TEST_CASE("GUI: every Portuguese lesson plays through, step by step, without an error") { play_all("pt-BR"); }

TEST_CASE("GUI: a saved view reopens as the same picture") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  const std::string view = dir.file("stride.view");
  {
    std::ofstream out(view);
    out << "::: panel conv\ninput=7x7\nkernel=3x3\nstride=2\npadding=same\nstep=end\n:::\n";
  }
  const std::string a = dir.file("a.png"), b = dir.file("b.png");
  auto first = run_under_xvfb({"--screenshot", a, "--view", view, "--window", "1280x720"});
  auto second = run_under_xvfb({"--screenshot", b, "--panel", "conv", "--window", "1280x720", "--set",
                                "input=7x7", "--set", "kernel=3x3", "--set", "stride=2", "--set",
                                "padding=same", "--set", "step=end"});
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  auto ia = convlab::load_image(a), ib = convlab::load_image(b);
  REQUIRE(ia.ok());
  REQUIRE(ib.ok());
  CHECK(ia->pixels == ib->pixels);
}
