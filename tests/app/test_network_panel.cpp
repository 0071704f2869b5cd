// The network panel and the layer sources without a window: settings are
// checked and name what is valid; the convolution and transposed-convolution
// panels open a real layer of the shipped colorizer with its real numbers.
#include <doctest/doctest.h>

#include "app/colorizer_model.h"
#include "app/conv_panel.h"
#include "app/model_opener.h"
#include "app/network_panel.h"
#include "app/tconv_panel.h"

using namespace convlab;
using namespace convlab::app;

TEST_CASE("network panel: settings are checked and errors say what is valid") {
  NetworkPanel panel;
  CHECK(panel.busy());                                      // the first photo waits for the first frame
  CHECK(panel.apply_setting("image", "food_coffee").ok());  // a bundled sample by name
  auto bad_image = panel.apply_setting("image", "/nope/missing.png");
  REQUIRE_FALSE(bad_image.ok());
  CHECK(bad_image.message().find("/nope/missing.png") != std::string::npos);
  CHECK(panel.apply_setting("category", "animais").ok());  // Portuguese
  auto bad_category = panel.apply_setting("category", "dogs");
  REQUIRE_FALSE(bad_category.ok());
  CHECK(bad_category.message().find("animals") != std::string::npos);
  CHECK(panel.apply_setting("layer", "conv3_bn").ok());  // a node
  CHECK(panel.apply_setting("layer", "d1").ok());        // a block
  auto bad_layer = panel.apply_setting("layer", "conv9");
  REQUIRE_FALSE(bad_layer.ok());
  CHECK(bad_layer.message().find("c1") != std::string::npos);  // lists the blocks
  CHECK(panel.apply_setting("backend", "cpu").ok());
  CHECK_FALSE(panel.apply_setting("backend", "tpu").ok());
  CHECK(panel.apply_setting("working_size", "128").ok());
  CHECK_FALSE(panel.apply_setting("working_size", "8").ok());
  CHECK(panel.apply_setting("step", "4").ok());
  CHECK_FALSE(panel.apply_setting("step", "99").ok());
  CHECK(panel.apply_setting("wipe", "0.25").ok());
  CHECK_FALSE(panel.apply_setting("wipe", "2").ok());
  CHECK(panel.apply_setting("zoom", "5").ok());
  CHECK(panel.apply_setting("view", "layer").ok());
  auto unknown = panel.apply_setting("colour", "red");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.message().find("working_size") != std::string::npos);
  // Keys move through the blocks in execution order.
  CHECK(panel.on_step(StepKey::Next));
  CHECK(panel.on_step(StepKey::PlayPause));
}

namespace {

// A model reader for the test: "good.onnx" is a 3x32x32 image model (a ReLU
// then a softmax over the channels) with preprocessing in its metadata; any
// other path fails the way a reader does, naming the file.
Result<OpenedModel> fake_opener(const std::string& path) {
  if (path.find("good.onnx") == std::string::npos) return Error{path + ": truncated protobuf"};
  Graph::Parts parts;
  parts.name = "fake";
  parts.inputs = {GraphInput{"input", Shape{1, 3, 32, 32}, false}};
  GraphNode relu;
  relu.name = "/features/relu/Relu_output_0";
  relu.op = OpKind::Relu;
  relu.inputs = {"input"};
  GraphNode softmax;
  softmax.name = "output";
  softmax.op = OpKind::Softmax;
  softmax.inputs = {relu.name};
  parts.nodes = {relu, softmax};
  parts.outputs = {"output"};
  auto graph = Graph::assemble(parts, path);
  if (!graph.ok()) return graph.error();
  OpenedModel opened;
  opened.model = std::make_shared<const Model>(Model{std::move(graph).value(), {}, 0});
  opened.metadata = {{"convlab.image_size", "16"}, {"convlab.labels", "red\ngreen\nblue"}};
  opened.format = "test";
  return opened;
}

}  // namespace

TEST_CASE("network panel: model=PATH opens an image model, and a bad one keeps the model it had") {
  set_model_opener(fake_opener);
  NetworkPanel panel;
  auto bad = panel.apply_setting("model", "/tmp/broken.onnx");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("/tmp/broken.onnx") != std::string::npos);
  CHECK(panel.state_text().find("model=") == std::string::npos);  // still the colorizer
  CHECK_FALSE(panel.apply_setting("mean", "0.5").ok());           // the colorizer has no recipe
  REQUIRE(panel.apply_setting("model", "/tmp/good.onnx").ok());
  std::string state = panel.state_text();
  CHECK(state.find("model=/tmp/good.onnx") != std::string::npos);
  CHECK(state.find("image_size=16") != std::string::npos);  // from the metadata
  CHECK(panel.apply_setting("mean", "0.5,0.25,0").ok());
  CHECK(panel.apply_setting("color", "bgr").ok());
  CHECK_FALSE(panel.apply_setting("color", "gray").ok());  // 1 channel for a 3-channel input
  CHECK_FALSE(panel.apply_setting("std", "1,2").ok());
  CHECK(panel.apply_setting("layer", "output").ok());
  state = panel.state_text();
  CHECK(state.find("mean=0.5,0.25,0") != std::string::npos);
  CHECK(state.find("color=bgr") != std::string::npos);
  // Remembered per model: open it again, the recipe comes back.
  REQUIRE(panel.apply_setting("model", "ecnn").ok());
  CHECK(panel.state_text().find("model=") == std::string::npos);
  REQUIRE(panel.apply_setting("model", "/tmp/good.onnx").ok());
  CHECK(panel.state_text().find("color=bgr") != std::string::npos);
  CHECK(panel.on_file_dropped("/tmp/also-broken.onnx"));  // a dropped bad model: the panel says why
  CHECK(panel.state_text().find("model=/tmp/good.onnx") != std::string::npos);
  // What the app saves in the settings file.
  CHECK(recipe_memory().recipes["/tmp/good.onnx"].find("color=bgr;") != std::string::npos);
  set_model_opener(nullptr);
  recipe_memory().recipes.clear();
}

TEST_CASE("conv panel: source=layer:conv1 shows conv1's real kernel and settings") {
  auto colorizer = shared_colorizer();
  REQUIRE(colorizer.ok());
  const Model& model = colorizer.value()->model;
  ConvPanel panel;
  REQUIRE(panel.apply_setting("working_size", "64").ok());
  REQUIRE(panel.apply_setting("filter", "3").ok());
  auto opened = panel.apply_setting("source", "layer:conv1");
  REQUIRE_MESSAGE(opened.ok(), opened.message());
  const auto& s = panel.explorer().settings();
  CHECK(s.kernel_h == 4);
  CHECK(s.stride_h == 2);
  CHECK(s.custom_padding.top == 1);
  CHECK(s.dilation_h == 1);
  CHECK(s.in_channels == 1);
  CHECK(s.out_channels == 1);
  CHECK(s.input_h == 16);
  const Tensor& w = model.weight("conv1.weight");
  for (int ky = 0; ky < 4; ++ky)
    for (int kx = 0; kx < 4; ++kx) CHECK(panel.explorer().weight(0, 0, ky, kx) == w.at(2, 0, ky, kx));
  CHECK(panel.explorer().bias(0) == 0.0f);  // one channel's part: the bias comes once, after the sum
  // The dilated layer: 4 / 1 / 3 / 2.
  REQUIRE(panel.apply_setting("source", "layer:dilat1").ok());
  CHECK(panel.explorer().settings().dilation_h == 2);
  CHECK(panel.explorer().settings().custom_padding.left == 3);
  CHECK(panel.explorer().settings().stride_w == 1);
  // The last conv sums 3 channels: the whole sum fits, with the bias.
  auto too_many = panel.apply_setting("channel", "sum");  // dilat1 sums 256 channels
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.message().find("256") != std::string::npos);
  CHECK(panel.explorer().settings().in_channels == 1);  // unchanged
  REQUIRE(panel.apply_setting("source", "off").ok());
  REQUIRE(panel.apply_setting("channel", "sum").ok());
  REQUIRE(panel.apply_setting("filter", "2").ok());
  auto out = panel.apply_setting("source", "layer:out");
  REQUIRE_MESSAGE(out.ok(), out.message());
  CHECK(panel.explorer().settings().in_channels == 3);
  CHECK(panel.explorer().bias(0) == model.weight("tconv_out.bias")[1]);
  auto wrong = panel.apply_setting("source", "layer:tconv1");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.message().find("conv1") != std::string::npos);  // lists what the panel opens
}

TEST_CASE("tconv panel: source=layer:tconv2 brings its real weights, stride 2 and padding 1") {
  auto colorizer = shared_colorizer();
  REQUIRE(colorizer.ok());
  TconvPanel panel;
  REQUIRE(panel.apply_setting("working_size", "64").ok());
  auto opened = panel.apply_setting("source", "layer:tconv2");
  REQUIRE_MESSAGE(opened.ok(), opened.message());
  const auto& s = panel.explorer().settings();
  CHECK(s.kernel_h == 4);
  CHECK(s.stride_h == 2);
  CHECK(s.padding_h == 1);
  CHECK(s.input_h <= 8);  // a crop the panel can draw
  const Tensor& w = colorizer.value()->model.weight("tconv2.weight");
  CHECK(s.weight[5] == w.at(0, 0, 1, 1));
  CHECK_FALSE(panel.apply_setting("source", "layer:conv2").ok());
  CHECK_FALSE(panel.apply_setting("filter", "999").ok());
}
