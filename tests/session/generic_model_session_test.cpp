// The network panel's pipeline with a model that is not the colorizer: the
// zoo's TinyVGG (a 64x64 RGB classifier read from ONNX) gets the photo
// through its preprocessing recipe, runs on the CPU (worker thread, or in
// slices without threads) and keeps every node's value, equal to what
// run_graph_cpu gives for the same tensor.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include "core/model/class_scores.h"
#include "core/onnx/onnx_graph.h"
#include "session/network_session.h"

using namespace convlab;

namespace {

RgbImage test_photo() {
  RgbImage image;
  image.width = 90;
  image.height = 70;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      image.pixels.insert(image.pixels.end(),
                          {static_cast<uint8_t>(40 + 2 * x), static_cast<uint8_t>(30 + 3 * y),
                           static_cast<uint8_t>(200 - x)});
  return image;
}

std::shared_ptr<const onnx_model::OnnxModel> tinyvgg() {
  auto loaded =
      onnx_model::load_onnx_file(std::string(CONVLAB_TEST_DATA_DIR) + "/onnx/zoo/tinyvgg_opset17/model.onnx");
  REQUIRE_MESSAGE(loaded.ok(), loaded.message());
  return std::make_shared<const onnx_model::OnnxModel>(std::move(loaded).value());
}

void run_to_end(session::NetworkSession& session) {
  const auto start = std::chrono::steady_clock::now();
  while (session.busy()) {
    session.update(0.0);  // the smallest slice: one step
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    REQUIRE(std::chrono::steady_clock::now() - start < std::chrono::seconds(120));
  }
}

}  // namespace

TEST_CASE("a classifier through the network session on the CPU matches run_graph_cpu at every node") {
  for (session::Threading threading : {session::Threading::Workers, session::Threading::Frames}) {
    CAPTURE(static_cast<int>(threading));
    auto onnx = tinyvgg();
    const std::shared_ptr<const Model> model(onnx, &onnx->model);
    auto recipe = preprocess_from_metadata(model->graph, {{"convlab.mean", "0.5"}, {"convlab.std", "0.25"}});
    REQUIRE_MESSAGE(recipe.ok(), recipe.message());
    session::NetworkSession session(model, threading, *recipe);
    CHECK(session.takes_image());
    session.set_backend(session::RunBackend::Gpu);  // no GPU for this model: the CPU
    CHECK(session.effective_backend() == session::RunBackend::Cpu);
    session.load_image(test_photo(), "test photo");
    run_to_end(session);
    REQUIRE_MESSAGE(session.phase() == session::SessionPhase::Done, session.error());
    CHECK(session.input() == nullptr);
    const session::ImageInput* input = session.image_input();
    REQUIRE(input != nullptr);
    CHECK(input->tensor.shape() == Shape{1, 3, 64, 64});
    CHECK(input->seen.width == 64);
    const session::NetworkRun* run = session.run();
    REQUIRE(run != nullptr);
    CHECK(run->output.shape() == Shape{1, 7});

    auto expected = run_graph_cpu(*model, {{recipe->input, input->tensor}});
    REQUIRE_MESSAGE(expected.ok(), expected.message());
    for (const auto& [name, value] : expected->values) {
      auto got = session.activation(name);
      REQUIRE_MESSAGE(got.ok(), name);
      REQUIRE((*got)->shape() == value.shape());
      float worst = 0;
      for (int64_t i = 0; i < value.numel(); ++i)
        worst = std::max(worst, std::fabs((*got)->data()[i] - value.data()[i]));
      CHECK_MESSAGE(worst <= 1e-5f, name);
    }
    // The input is a layer too.
    CHECK(session.activation(recipe->input).ok());
    // The classifier's numbers: the logits before its softmax, shares that match it.
    auto shapes = model->graph.infer_shapes({{recipe->input, input->tensor.shape()}});
    REQUIRE(shapes.ok());
    const std::string logits = logits_node(model->graph, *shapes);
    REQUIRE_FALSE(logits.empty());
    CHECK(logits != model->graph.output());
    auto values = session.activation(logits);
    REQUIRE(values.ok());
    const auto top = top_classes(std::span<const float>((*values)->data(), 7), {}, 5);
    REQUIRE(top.size() == 5);
    CHECK(top[0].share == doctest::Approx(100.0 * run->output.data()[top[0].index]).epsilon(1e-4));
  }
}

TEST_CASE(
    "a new preprocessing recipe prepares the photo again and reruns, and a bad photo fails with its name") {
  auto onnx = tinyvgg();
  const std::shared_ptr<const Model> model(onnx, &onnx->model);
  session::NetworkSession session(model);
  REQUIRE(session.recipe() != nullptr);
  CHECK(session.recipe()->size == 64);  // the input's own size
  session.load_image(test_photo(), "test photo");
  session.finish_all();
  REQUIRE_MESSAGE(session.phase() == session::SessionPhase::Done, session.error());
  const int first = session.result_version();
  const float before = session.image_input()->tensor.data()[0];
  Preprocess recipe = *session.recipe();
  recipe.range = PixelRange::Byte;
  session.set_recipe(recipe);
  session.finish_all();
  REQUIRE(session.phase() == session::SessionPhase::Done);
  CHECK(session.result_version() == first + 1);
  CHECK(session.image_input()->tensor.data()[0] == doctest::Approx(255.0f * before));

  session.load_file("/no/such/photo.png");
  session.finish_all();
  CHECK(session.phase() == session::SessionPhase::Failed);
  CHECK(session.error().find("/no/such/photo.png") != std::string::npos);
}
