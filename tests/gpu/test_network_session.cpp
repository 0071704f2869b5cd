// The network panel's pipeline (session::NetworkSession), headless: the same
// photo through the GPU pass (stepped a few plan steps at a time, as the
// panel does per frame) and through the CPU pass on a worker thread gives the
// same activations at every layer and the same colorized image; requests
// made mid-run abandon the old work; without threads the CPU pass runs in
// slices within each update's budget.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include "core/model/colorize.h"
#include "core/onnx/onnx_graph.h"
#include "gpu/gpu_accelerator.h"
#include "gpu_fixture.h"
#include "session/network_session.h"
#include "test_support.h"

using namespace convlab;

namespace {

// A 90x70 photo-like image: smooth color ramps and a bright square.
RgbImage test_photo() {
  RgbImage image;
  image.width = 90;
  image.height = 70;
  image.pixels.resize(static_cast<size_t>(image.width * image.height * 3));
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      uint8_t* p = &image.pixels[static_cast<size_t>((y * image.width + x) * 3)];
      const bool square = x > 30 && x < 50 && y > 20 && y < 40;
      p[0] = static_cast<uint8_t>(square ? 240 : 40 + 2 * x);
      p[1] = static_cast<uint8_t>(square ? 200 : 30 + 3 * y);
      p[2] = static_cast<uint8_t>(square ? 40 : 200 - x);
    }
  return image;
}

std::shared_ptr<const Model> random_advanced() {
  auto graph = Graph::builtin("advanced");
  REQUIRE(graph.ok());
  return std::make_shared<const Model>(random_model(*graph, 11));
}

}  // namespace

TEST_CASE("the network panel's pipeline gives the same layers and image on the GPU and the CPU") {
  convlab::testing::gpu_ops();  // a current context
  auto model = random_advanced();
  session::NetworkSession session(model);
  auto accelerator = gpu::make_gpu_accelerator(model);
  REQUIRE_MESSAGE(accelerator.ok(), accelerator.message());
  session.set_accelerator(std::move(accelerator).value());
  session.set_working_size(64);
  session.set_category(2);
  session.load_image(test_photo(), "test photo");
  CHECK(session.busy());
  // Small budgets: many updates, as frames would.
  int updates = 0;  // while the GPU pass runs
  const auto start = std::chrono::steady_clock::now();
  while (session.busy()) {
    const bool running = session.phase() == session::SessionPhase::Running;
    session.update(0.0);  // one GPU step per update
    if (running)
      ++updates;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a worker thread has the work
    REQUIRE(std::chrono::steady_clock::now() - start < std::chrono::seconds(120));
  }
  REQUIRE_MESSAGE(session.phase() == session::SessionPhase::Done, session.error());
  const session::NetworkRun* gpu_run = session.run();
  REQUIRE(gpu_run != nullptr);
  CHECK(gpu_run->backend == session::RunBackend::Gpu);
  CHECK(gpu_run->times.size() > 30);  // every node of ECNN advanced, unfused
  // One step per update (the update that finishes loading runs the first).
  CHECK(updates + 1 >= static_cast<int>(gpu_run->times.size()));
  REQUIRE(session.input() != nullptr);
  CHECK(session.input()->working.w == 64);
  CHECK(session.input()->working.h == 48);
  const RgbImage gpu_image = *session.result();
  CHECK(gpu_image.width == 90);
  CHECK(gpu_image.height == 70);
  std::map<std::string, Tensor> gpu_layers;
  for (const std::string& name : gpu_run->order) {
    auto value = session.activation(name);
    REQUIRE_MESSAGE(value.ok(), name);
    gpu_layers.emplace(name, **value);
  }
  const int first_version = session.result_version();

  session.set_backend(session::RunBackend::Cpu);
  session.finish_all();
  REQUIRE_MESSAGE(session.phase() == session::SessionPhase::Done, session.error());
  CHECK(session.result_version() == first_version + 1);
  const session::NetworkRun* cpu_run = session.run();
  CHECK(cpu_run->backend == session::RunBackend::Cpu);
  CHECK(cpu_run->order.size() == gpu_run->order.size());
  for (const std::string& name : cpu_run->order) {
    CAPTURE(name);
    auto value = session.activation(name);
    REQUIRE(value.ok());
    REQUIRE(gpu_layers.count(name) == 1);
    convlab::testing::check_close(gpu_layers.at(name), **value, 1e-3f, "layer " + name);
  }
  // The images agree to within one level of rounding per channel.
  const RgbImage& cpu_image = *session.result();
  REQUIRE(cpu_image.pixels.size() == gpu_image.pixels.size());
  int worst = 0;
  for (size_t i = 0; i < cpu_image.pixels.size(); ++i)
    worst = std::max(worst, std::abs(int{cpu_image.pixels[i]} - int{gpu_image.pixels[i]}));
  CHECK(worst <= 1);
  // The result is the core pipeline's: colorize_cpu on the same photo.
  auto reference = colorize_cpu(session.model(), test_photo(), ColorizeOptions{2, 64, CpuPath::Reference});
  REQUIRE(reference.ok());
  int worst_reference = 0;
  for (size_t i = 0; i < cpu_image.pixels.size(); ++i)
    worst_reference =
        std::max(worst_reference, std::abs(int{cpu_image.pixels[i]} - int{reference->pixels[i]}));
  CHECK(worst_reference <= 1);
}

TEST_CASE("a new request abandons the run in flight; bad photos fail with the file named") {
  convlab::testing::gpu_ops();
  auto model = random_advanced();
  session::NetworkSession session(model);
  session.set_accelerator(gpu::make_gpu_accelerator(model).value());
  session.set_working_size(32);
  session.load_image(test_photo(), "first");
  session.update(0.0);
  session.set_category(5);  // mid-run
  session.set_backend(session::RunBackend::Cpu);
  session.finish_all();
  REQUIRE_MESSAGE(session.phase() == session::SessionPhase::Done, session.error());
  CHECK(session.result_version() == 1);  // only the last request produced a result
  CHECK(session.request_to_result_ms() > 0.0);

  session.load_file("/nonexistent/photo.png");
  session.finish_all();
  CHECK(session.phase() == session::SessionPhase::Failed);
  CHECK(session.error().find("/nonexistent/photo.png") != std::string::npos);
  CHECK(session.result_version() == 1);  // the last good result stays
}

TEST_CASE(
    "without threads the CPU pass runs a slice per update, and without a GPU GPU requests run on the CPU") {
  auto model = random_advanced();
  session::NetworkSession session(model, session::Threading::Frames);
  CHECK_FALSE(session.has_accelerator());
  session.set_accelerator(nullptr, "WebGL2 has no compute shaders");
  CHECK(session.gpu_unavailable() == "WebGL2 has no compute shaders");
  CHECK(session.backend() == session::RunBackend::Gpu);
  CHECK(session.effective_backend() == session::RunBackend::Cpu);
  session.set_working_size(64);
  session.set_category(2);
  session.load_image(test_photo(), "test photo");
  int updates = 0;
  while (session.busy()) {
    session.update(0.0);  // at least one plan step per update, never the whole pass
    REQUIRE(++updates < 1000);
  }
  REQUIRE_MESSAGE(session.phase() == session::SessionPhase::Done, session.error());
  const session::NetworkRun* run = session.run();
  REQUIRE(run != nullptr);
  CHECK(run->backend == session::RunBackend::Cpu);
  CHECK(updates >= static_cast<int>(run->times.size()));
  // The same image as the core pipeline.
  auto reference = colorize_cpu(session.model(), test_photo(), ColorizeOptions{2, 64, CpuPath::Reference});
  REQUIRE(reference.ok());
  int worst = 0;
  for (size_t i = 0; i < reference->pixels.size(); ++i)
    worst = std::max(worst, std::abs(int{session.result()->pixels[i]} - int{reference->pixels[i]}));
  CHECK(worst <= 1);
}

TEST_CASE(
    "a model read from ONNX runs op by op on the GPU through the session and matches the CPU at every node") {
  convlab::testing::gpu_ops();  // a current context
  auto loaded = onnx_model::load_onnx_file(std::string(CONVLAB_TEST_DATA_DIR) +
                                           "/onnx/zoo/resnet18_opset17/model.onnx");
  REQUIRE_MESSAGE(loaded.ok(), loaded.message());
  auto held = std::make_shared<const onnx_model::OnnxModel>(std::move(loaded).value());
  const std::shared_ptr<const Model> model(held, &held->model);
  session::NetworkSession session(model);
  REQUIRE(session.takes_image());
  auto accelerator = gpu::make_gpu_accelerator(model);
  REQUIRE_MESSAGE(accelerator.ok(), accelerator.message());
  session.set_accelerator(std::move(accelerator).value());
  CHECK(session.effective_backend() == session::RunBackend::Gpu);
  session.load_image(test_photo(), "test photo");
  const auto start = std::chrono::steady_clock::now();
  while (session.busy()) {
    session.update(0.0);  // one node per update, as frames would
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    REQUIRE(std::chrono::steady_clock::now() - start < std::chrono::seconds(120));
  }
  REQUIRE_MESSAGE(session.phase() == session::SessionPhase::Done, session.error());
  const session::NetworkRun* run = session.run();
  REQUIRE(run != nullptr);
  CHECK(run->backend == session::RunBackend::Gpu);
  CHECK(run->times.size() == model->graph.nodes().size());
  auto expected = run_graph_cpu(*model, {{session.recipe()->input, session.image_input()->tensor}});
  REQUIRE_MESSAGE(expected.ok(), expected.message());
  for (const auto& [name, value] : expected->values) {
    auto got = session.activation(name);
    REQUIRE_MESSAGE(got.ok(), name);
    REQUIRE((*got)->shape() == value.shape());
    double worst = 0, scale = 1e-6;
    for (int64_t i = 0; i < value.numel(); ++i) {
      worst = std::max(worst, static_cast<double>(std::fabs((*got)->data()[i] - value.data()[i])));
      scale = std::max(scale, static_cast<double>(std::fabs(value.data()[i])));
    }
    CHECK_MESSAGE(worst <= 1e-4 * scale, name);
  }
}
