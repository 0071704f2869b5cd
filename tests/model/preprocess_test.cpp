// A photo into a model that is not the colorizer: the recipe read from the
// model's metadata_props (defaults from its input shape) and the tensor it
// makes, value by value.
#include "core/model/preprocess.h"

#include <doctest/doctest.h>

using namespace convlab;

namespace {

Graph image_graph(int64_t channels, int64_t size) {
  Graph::Parts parts;
  parts.name = "test";
  parts.inputs = {GraphInput{"input", Shape{1, channels, size, size}, false}};
  GraphNode relu;
  relu.name = "out";
  relu.op = OpKind::Relu;
  relu.inputs = {"input"};
  parts.nodes = {relu};
  parts.outputs = {"out"};
  auto graph = Graph::assemble(parts, "test");
  REQUIRE_MESSAGE(graph.ok(), graph.message());
  return std::move(graph).value();
}

// One color everywhere: resizing keeps it, so every value is exact.
RgbImage uniform_image(int width, int height, uint8_t r, uint8_t g, uint8_t b) {
  RgbImage image{width, height, {}};
  for (int i = 0; i < width * height; ++i) image.pixels.insert(image.pixels.end(), {r, g, b});
  return image;
}

// 6 x 2: black, white in the middle two columns, black.
RgbImage white_middle() {
  RgbImage image{6, 2, {}};
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 6; ++x) {
      const uint8_t v = x == 2 || x == 3 ? 255 : 0;
      image.pixels.insert(image.pixels.end(), {v, v, v});
    }
  return image;
}

}  // namespace

TEST_CASE(
    "preprocessing defaults come from the model's input: its size, 3 channels rgb, 0-1, no normalization") {
  auto recipe = preprocess_from_metadata(image_graph(3, 64), {});
  REQUIRE_MESSAGE(recipe.ok(), recipe.message());
  CHECK(recipe->input == "input");
  CHECK(recipe->size == 64);
  CHECK(recipe->color == ColorLayout::Rgb);
  CHECK(recipe->range == PixelRange::Unit);
  CHECK(recipe->mean == std::vector<float>{0, 0, 0});
  CHECK(recipe->std == std::vector<float>{1, 1, 1});
  CHECK(recipe->resize == ResizeMode::CenterCrop);
  CHECK(recipe->labels.empty());
  // One channel: gray. A free size: 224.
  auto gray = preprocess_from_metadata(image_graph(1, -1), {});
  REQUIRE(gray.ok());
  CHECK(gray->color == ColorLayout::Gray);
  CHECK(gray->size == 224);
}

TEST_CASE("class names in the UI's language: convlab.labels.<tag>, else convlab.labels") {
  auto recipe = preprocess_from_metadata(
      image_graph(3, 64),
      {{"convlab.labels", "food\nanimals"}, {"convlab.labels.pt_BR", "alimentos\nanimais"}});
  REQUIRE(recipe.ok());
  CHECK(recipe->labels_for("pt-BR") == std::vector<std::string>{"alimentos", "animais"});
  CHECK(recipe->labels_for("pt_BR") == std::vector<std::string>{"alimentos", "animais"});
  CHECK(recipe->labels_for("en") == std::vector<std::string>{"food", "animals"});
  CHECK(recipe->labels_for("qps") == std::vector<std::string>{"food", "animals"});
}

TEST_CASE("preprocessing from metadata_props: every convlab key, labels from metadata or labels.txt") {
  const std::map<std::string, std::string> metadata = {{"convlab.image_size", "32"},
                                                       {"convlab.color", "bgr"},
                                                       {"convlab.pixel_range", "0-255"},
                                                       {"convlab.mean", "1, 2,3"},
                                                       {"convlab.std", "2,4,8"},
                                                       {"convlab.resize", "squash"},
                                                       {"convlab.labels", "cat\ndog\r\nbird\n"},
                                                       {"other.key", "ignored"}};
  auto recipe = preprocess_from_metadata(image_graph(3, 64), metadata, "not\nused");
  REQUIRE_MESSAGE(recipe.ok(), recipe.message());
  CHECK(recipe->size == 32);
  CHECK(recipe->color == ColorLayout::Bgr);
  CHECK(recipe->range == PixelRange::Byte);
  CHECK(recipe->mean == std::vector<float>{1, 2, 3});
  CHECK(recipe->std == std::vector<float>{2, 4, 8});
  CHECK(recipe->resize == ResizeMode::Squash);
  CHECK(recipe->labels == std::vector<std::string>{"cat", "dog", "bird"});
  auto from_file = preprocess_from_metadata(image_graph(3, 64), {}, "plane\ncar\n\n");
  REQUIRE(from_file.ok());
  CHECK(from_file->labels == std::vector<std::string>{"plane", "car"});
  // Read back from its own text.
  Preprocess copy;
  copy.mean = copy.std = {9};
  const std::string text = preprocess_settings_text(*recipe);
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find('\n', at), eq = text.find('=', at);
    REQUIRE(apply_preprocess_setting(copy, text.substr(at, eq - at), text.substr(eq + 1, end - eq - 1)).ok());
    at = end + 1;
  }
  CHECK(copy.size == 32);
  CHECK(copy.color == ColorLayout::Bgr);
  CHECK(copy.mean == recipe->mean);
  CHECK(copy.std == recipe->std);
  // One number for every channel.
  REQUIRE(apply_preprocess_setting(copy, "mean", "0.5").ok());
  CHECK(copy.mean == std::vector<float>{0.5f, 0.5f, 0.5f});
}

TEST_CASE("bad preprocessing metadata names the key, the value and what is valid") {
  const Graph graph = image_graph(3, 64);
  auto bad_color = preprocess_from_metadata(graph, {{"convlab.color", "cmyk"}});
  REQUIRE_FALSE(bad_color.ok());
  CHECK(bad_color.message().find("convlab.color: 'cmyk' is not one of rgb, bgr, gray, lab_l") !=
        std::string::npos);
  auto bad_mean = preprocess_from_metadata(graph, {{"convlab.mean", "0.5,x"}});
  REQUIRE_FALSE(bad_mean.ok());
  CHECK(bad_mean.message().find("mean") != std::string::npos);
  auto wrong_count = preprocess_from_metadata(graph, {{"convlab.std", "1,2"}});
  REQUIRE_FALSE(wrong_count.ok());
  CHECK(wrong_count.message().find("2 values for a model input of 3 channels") != std::string::npos);
  CHECK_FALSE(preprocess_from_metadata(graph, {{"convlab.std", "1,0,1"}}).ok());
  CHECK_FALSE(preprocess_from_metadata(graph, {{"convlab.image_size", "0"}}).ok());
  CHECK_FALSE(preprocess_from_metadata(graph, {{"convlab.color", "gray"}}).ok());  // 1 channel for 3
  CHECK_FALSE(preprocess_from_metadata(image_graph(2, 64), {}).ok());              // no image input
  // A recipe changed later is checked against the model the same way.
  auto recipe = preprocess_from_metadata(graph, {});
  REQUIRE(recipe.ok());
  CHECK(check_recipe(graph, *recipe).ok());
  Preprocess gray = *recipe;
  REQUIRE(apply_preprocess_setting(gray, "color", "gray").ok());
  auto refused = check_recipe(graph, gray);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("gray gives 1 channels but the model's input 'input' takes 3") !=
        std::string::npos);
  Preprocess short_std = *recipe;
  short_std.std = {1, 1};
  CHECK_FALSE(check_recipe(graph, short_std).ok());
}

TEST_CASE("a photo preprocessed: channel order, range, mean and std, value by value") {
  Preprocess recipe;
  recipe.size = 2;
  recipe.range = PixelRange::Byte;
  recipe.mean = {100, 0, 10};
  recipe.std = {2, 1, 0.5f};
  const RgbImage photo = uniform_image(6, 4, 200, 100, 50);
  auto rgb = preprocess_image(photo, recipe);
  REQUIRE_MESSAGE(rgb.ok(), rgb.message());
  CHECK(rgb->shape() == Shape{1, 3, 2, 2});
  CHECK(rgb->at(0, 0, 1, 1) == doctest::Approx((200 - 100) / 2.0));
  CHECK(rgb->at(0, 1, 0, 1) == doctest::Approx(100.0));
  CHECK(rgb->at(0, 2, 1, 0) == doctest::Approx((50 - 10) / 0.5));
  recipe.color = ColorLayout::Bgr;
  auto bgr = preprocess_image(photo, recipe);
  REQUIRE(bgr.ok());
  CHECK(bgr->at(0, 0, 0, 0) == doctest::Approx((50 - 100) / 2.0));  // blue first
  CHECK(bgr->at(0, 2, 0, 0) == doctest::Approx((200 - 10) / 0.5));  // red last
  Preprocess gray;
  gray.size = 2;
  gray.color = ColorLayout::Gray;
  gray.mean = {0};
  gray.std = {1};
  auto luma = preprocess_image(photo, gray);
  REQUIRE(luma.ok());
  CHECK(luma->shape() == Shape{1, 1, 2, 2});
  CHECK(luma->at(0, 0, 0, 0) ==
        doctest::Approx((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255.0).epsilon(1e-3));
  gray.color = ColorLayout::LabL;
  auto lightness = preprocess_image(uniform_image(4, 4, 255, 0, 0), gray);
  REQUIRE(lightness.ok());
  CHECK(lightness->at(0, 0, 1, 1) == doctest::Approx(53.24).epsilon(0.01));  // L of pure red
  // Center crop keeps the white middle; squashing mixes in the black sides.
  Preprocess crop;
  crop.size = 2;
  crop.mean = {0, 0, 0};
  crop.std = {1, 1, 1};
  auto middle = preprocess_image(white_middle(), crop);
  REQUIRE(middle.ok());
  CHECK(middle->at(0, 0, 0, 0) == doctest::Approx(1.0).epsilon(0.01));
  CHECK(middle->at(0, 1, 1, 1) == doctest::Approx(1.0).epsilon(0.01));
  crop.resize = ResizeMode::Squash;
  auto squashed = preprocess_image(white_middle(), crop);
  REQUIRE(squashed.ok());
  CHECK(squashed->at(0, 0, 0, 0) < 0.9f);
  CHECK_FALSE(preprocess_image(RgbImage{}, crop).ok());
}
