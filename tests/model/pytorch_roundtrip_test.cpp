// Weights move between ConvLab and PyTorch through tools/ecnn_pytorch.py:
// ConvLab's random weights go through the PyTorch model and back unchanged,
// and PyTorch's forward pass on them matches ConvLab's. Skipped (with a
// message) where Debian's python3-torch is not installed.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/model/model.h"
#include "core/model/runner.h"

using namespace convlab;
namespace fs = std::filesystem;

namespace {
bool have_torch() { return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0; }
}  // namespace

TEST_CASE("PyTorch round trip of ConvLab weights (tools/ecnn_pytorch.py)") {
  if (!have_torch()) {
    MESSAGE("skipped: /usr/bin/python3 with torch is missing (Debian package python3-torch)");
    return;
  }
  const fs::path dir = fs::temp_directory_path() / ("convlab-torch-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const char* arch : {"basic", "advanced"}) {
    INFO(arch);
    auto graph = Graph::builtin(arch);
    REQUIRE(graph.ok());
    const Model model = random_model(graph.value(), 11);
    const std::string in = (dir / "in.safetensors").string(), out = (dir / "out.safetensors").string(),
                      forward = (dir / "forward.safetensors").string();
    REQUIRE(save_model(model, in).ok());
    std::string command = "/usr/bin/python3 '" CONVLAB_SOURCE_DIR "/tools/ecnn_pytorch.py' roundtrip --arch ";
    command.append(arch).append(" --in '").append(in).append("' --out '").append(out);
    command.append("' --forward '").append(forward).append("'");
    REQUIRE(std::system(command.c_str()) == 0);
    auto back = load_model(graph.value(), out);
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.message()));
    for (const auto& [name, tensor] : model.weights) {
      INFO(name);
      CHECK(back->weight(name).values() == tensor.values());
    }
    auto file = read_safetensors(forward);
    REQUIRE(file.ok());
    auto gray = file->get_float("gray");
    auto expected = file->get_float("ab");
    auto category = file->get_ints("category");
    REQUIRE(gray.ok());
    REQUIRE(expected.ok());
    REQUIRE(category.ok());
    auto acts = run_model_cpu(model, gray.value(), category.value(), CpuPath::Reference, false);
    REQUIRE(acts.ok());
    const Tensor& ab = acts->output(model.graph);
    double worst = 0, scale = 0;
    for (int64_t i = 0; i < ab.numel(); ++i) {
      worst = std::max(worst, static_cast<double>(std::fabs(ab[i] - expected.value()[i])));
      scale = std::max(scale, static_cast<double>(std::fabs(expected.value()[i])));
    }
    CHECK(worst <= 1e-4 * std::max(scale, 1.0));  // the model tolerance of the golden tests
  }
  fs::remove_all(dir);
}
