// Model weights: the deterministic random generator against the Python one,
// loading with complete error reports, and save -> load round trips.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "core/model/model.h"
#include "io/temp_dir.h"
#include "test_support.h"

namespace convlab {
namespace {

using testing::TempDir;

Graph builtin(const std::string& arch) {
  auto graph = Graph::builtin(arch);
  REQUIRE_MESSAGE(graph.ok(), (graph.ok() ? std::string() : graph.message()));
  return std::move(graph).value();
}

SafeTensors state_dict_of(const Model& model) {
  SafeTensors file;
  for (const auto& spec : model.graph.expected_weights()) {
    if (spec.integer) {
      const int64_t zero = 0;
      file.put_ints(spec.name, {}, std::span<const int64_t>(&zero, 1));
    } else {
      file.put_float(spec.name, model.weight(spec.name));
    }
  }
  return file;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("random_model matches tests/golden/ecnn_random.py value for value") {
  for (const std::string arch : {"advanced", "basic"}) {
    const auto golden = testing::load_golden("model_" + arch + ".safetensors");
    const uint64_t seed = std::stoull(golden.metadata().at("seed"));
    const Model model = random_model(builtin(arch), seed);
    int probes = 0;
    for (const auto& [name, stored] : golden.tensors()) {
      if (name.rfind("probe.", 0) != 0) continue;
      const std::string weight = name.substr(6);
      const Tensor expected = testing::golden_tensor(golden, name);
      const Tensor& actual = model.weight(weight);
      for (int64_t i = 0; i < expected.numel(); ++i)
        CHECK_MESSAGE(actual[i] == expected[i],
                      weight << "[" << i << "]: " << actual[i] << " vs " << expected[i]);
      ++probes;
    }
    CHECK(probes >= 3);
  }
  // The values the Python script prints (seed 7), written out here as well.
  const Model model = random_model(builtin("advanced"), 7);
  CHECK(model.weight("conv1.weight")[0] == 0.06936100870370865f);
  CHECK(model.weight("conv1.weight")[1] == -0.051003485918045044f);
  CHECK(model.weight("conv1.weight")[2] == -0.10911925882101059f);
  CHECK(model.weight("conv1.weight")[3] == -0.09568212181329727f);
}

TEST_CASE("random_model: every expected tensor, in its range") {
  const Graph graph = builtin("advanced");
  const Model model = random_model(graph, 1);
  for (const auto& spec : graph.expected_weights()) {
    if (spec.integer) continue;
    REQUIRE_MESSAGE(model.weights.count(spec.name), spec.name);
    CHECK(model.weight(spec.name).shape() == spec.shape);
  }
  for (float v : model.weight("conv1_bn.running_var").values()) CHECK((v >= 0.5f && v < 1.5f));
  for (float v : model.weight("conv1_bn.weight").values()) CHECK((v >= 0.75f && v < 1.25f));
  CHECK(max_abs(model.weight("embd.weight")) <= 1.0f);
  CHECK(max_abs(model.weight("conv1.weight")) <= std::sqrt(3.0f / (11 * 16)) + 1e-6f);
  CHECK(model.weight("conv1.weight")[0] != random_model(graph, 2).weight("conv1.weight")[0]);
}

TEST_CASE("model_from_safetensors reports every missing, extra, mis-shaped and mistyped tensor") {
  const Graph graph = builtin("basic");
  SafeTensors file = state_dict_of(random_model(graph, 3));
  auto ok = model_from_safetensors(graph, file, "w.safetensors");
  REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? std::string() : ok.message()));
  CHECK(ok->weights.size() == 21);

  SafeTensors broken;
  for (const auto& [name, stored] : file.tensors())
    if (name != "conv2.bias" && name != "tconv1_bn.running_mean") broken.put_stored(name, stored);
  broken.put_float("conv1.weight", Tensor({32, 11, 3, 3}));
  broken.put_float("head.weight", Tensor({2, 2}));
  broken.put_ints("conv1_bn.running_var", {32}, std::vector<int64_t>(32, 1));
  broken.put_float("conv2_bn.num_batches_tracked", Tensor(Shape{}));
  broken.metadata()["arch"] = "advanced";
  auto bad = model_from_safetensors(graph, broken, "w.safetensors");
  REQUIRE_FALSE(bad.ok());
  const std::string& m = bad.message();
  INFO(m);
  CHECK(contains(m, "w.safetensors"));
  CHECK(contains(m, "the file says arch=advanced"));
  CHECK(contains(m, "2 missing: conv2.bias (64), tconv1_bn.running_mean (32)"));
  CHECK(contains(m, "1 extra (not in the model): head.weight (2x2)"));
  CHECK(contains(m, "conv1.weight is 32x11x3x3, expected 32x11x4x4"));
  CHECK(contains(m, "conv1_bn.running_var is I64, expected F32 or F16"));
  CHECK(contains(m, "conv2_bn.num_batches_tracked is F32, expected I64 or I32"));
}

TEST_CASE("num_batches_tracked: I64 or I32, kept for round trips") {
  const Graph graph = builtin("basic");
  SafeTensors file = state_dict_of(random_model(graph, 3));
  const int32_t count = 1234;
  StoredTensor i32{DType::I32, {}, {}};
  i32.bytes.resize(4);
  std::memcpy(i32.bytes.data(), &count, 4);
  file.put_stored("conv1_bn.num_batches_tracked", i32);
  auto model = model_from_safetensors(graph, file, "w");
  REQUIRE_MESSAGE(model.ok(), (model.ok() ? std::string() : model.message()));
  CHECK(model->num_batches_tracked == 1234);
}

TEST_CASE("save_model -> load_model round trip") {
  TempDir dir;
  const Graph graph = builtin("advanced");
  Model model = random_model(graph, 11);
  model.num_batches_tracked = 42;

  const std::string f32 = dir.file("advanced.safetensors");
  REQUIRE(save_model(model, f32).ok());
  auto raw = read_safetensors(f32);
  REQUIRE(raw.ok());
  CHECK(raw->metadata().at("format") == "pt");
  CHECK(raw->metadata().at("arch") == "advanced");
  CHECK(raw->tensors().at("conv1_bn.num_batches_tracked").dtype == DType::I64);
  CHECK(raw->tensors().at("conv1_bn.num_batches_tracked").shape.empty());
  auto back = load_model(graph, f32);
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.message()));
  CHECK(back->num_batches_tracked == 42);
  for (const auto& [name, tensor] : model.weights)
    CHECK_MESSAGE(back->weight(name).values() == tensor.values(), name);

  const std::string f16 = dir.file("advanced_f16.safetensors");
  REQUIRE(save_model(model, f16, DType::F16).ok());
  auto half = load_model(graph, f16);
  REQUIRE_MESSAGE(half.ok(), (half.ok() ? std::string() : half.message()));
  for (const auto& [name, tensor] : model.weights)
    CHECK_MESSAGE(relative_error(half->weight(name), tensor) <= 1e-3f, name);

  CHECK_FALSE(save_model(model, dir.file("x.safetensors"), DType::I64).ok());
  auto wrong_arch = load_model(builtin("basic"), f32);
  REQUIRE_FALSE(wrong_arch.ok());
  CHECK(contains(wrong_arch.message(), "the file says arch=advanced"));
  CHECK_FALSE(load_model(graph, dir.file("missing.safetensors")).ok());
}

}  // namespace
}  // namespace convlab
