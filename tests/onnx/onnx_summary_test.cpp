// `convlab model info`'s numbers (core/onnx/onnx_summary.h) on models
// PyTorch exported (tests/golden/make_onnx_models.py), worked out by hand,
// and the refusals of files that are not usable models.
#include "core/onnx/onnx_summary.h"

#include <doctest/doctest.h>
#include <onnx/onnx_pb.h>

#include <fstream>
#include <random>
#include <sstream>

#include "test_support.h"

using namespace convlab;
using convlab::testing::data_path;

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const onnx_model::LayerInfo& layer(const onnx_model::ModelSummary& s, const std::string& op, int nth = 0) {
  for (const auto& l : s.layers)
    if (l.op == op && nth-- == 0) return l;
  FAIL("no layer ", op);
  return s.layers.front();
}

}  // namespace

TEST_CASE("ONNX summary: TinyVGG's layers, shapes, parameters and multiply-adds") {
  auto s = onnx_model::summarize_file(data_path("onnx/tiny_vgg.onnx"));
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.message()));
  CHECK(s->opset == 17);
  CHECK(s->producer.rfind("pytorch", 0) == 0);
  REQUIRE(s->inputs.size() == 1);
  CHECK(s->inputs[0].name == "image");
  CHECK(s->inputs[0].shape == "1x3x16x16");
  REQUIRE(s->outputs.size() == 1);
  CHECK(s->outputs[0].shape == "1x7");
  const auto& conv1 = layer(*s, "Conv", 0);
  CHECK(conv1.settings == "3 -> 8, 3x3 p1");
  CHECK(conv1.output == "1x8x16x16");
  CHECK(conv1.parameters == 3 * 8 * 9 + 8);
  CHECK(conv1.multiply_adds == 8 * 16 * 16 * (3 * 9));
  const auto& conv2 = layer(*s, "Conv", 1);
  CHECK(conv2.parameters == 8 * 8 * 9 + 8);
  CHECK(conv2.multiply_adds == 8 * 16 * 16 * (8 * 9));
  const auto& pool = layer(*s, "MaxPool");
  CHECK(pool.settings == "2x2 /2");
  CHECK(pool.output == "1x8x8x8");
  const auto& linear = layer(*s, "Gemm");
  CHECK(linear.settings == "512 -> 7");
  CHECK(linear.parameters == 512 * 7 + 7);
  CHECK(linear.multiply_adds == 512 * 7);
  CHECK(s->parameters == 224 + 584 + 3591);
  CHECK(s->multiply_adds == 8 * 256 * 27 + 8 * 256 * 72 + 512 * 7);
}

TEST_CASE("ONNX summary: stride, dilation, groups, transposed conv and a ceil_mode pool (opset 11)") {
  auto s = onnx_model::summarize_file(data_path("onnx/features.onnx"));
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.message()));
  CHECK(s->opset == 11);
  const auto& down = layer(*s, "Conv", 0);
  CHECK(down.settings == "3 -> 6, 3x3 /2 p1");
  CHECK(down.output == "1x6x8x8");
  const auto& depthwise = layer(*s, "Conv", 1);
  CHECK(depthwise.settings == "6 -> 6, 3x3 p2 d2 g6");
  CHECK(depthwise.parameters == 6 * 9 + 6);
  CHECK(depthwise.multiply_adds == 6 * 8 * 8 * 9);  // each output reads one channel
  const auto& up = layer(*s, "ConvTranspose");
  CHECK(up.settings == "6 -> 4, 3x3 /2 p1 op1");
  CHECK(up.output == "1x4x16x16");
  CHECK(up.multiply_adds == (6 * 8 * 8) * (4 * 9));  // each input value meets 4 kernels of 9 taps
  const auto& pool = layer(*s, "AveragePool");
  CHECK(pool.settings.find("3x3 /2") == 0);
  CHECK(pool.settings.find("ceil") != std::string::npos);
  CHECK(layer(*s, "Concat").settings == "axis 1");
}

TEST_CASE("ONNX summary: files that are not usable models are refused, naming the file") {
  const std::string good = file_bytes(data_path("onnx/tiny_vgg.onnx"));
  auto truncated = onnx_model::summarize_bytes(good.substr(0, good.size() / 3), "cut.onnx");
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.message().rfind("cut.onnx ", 0) == 0);
  std::mt19937 rng(3);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  auto random = onnx_model::summarize_bytes(noise, "noise.onnx");
  REQUIRE_FALSE(random.ok());
  CHECK(random.message().rfind("noise.onnx ", 0) == 0);
  auto empty = onnx_model::summarize_bytes("", "empty.onnx");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.message() ==
        "empty.onnx is not an ONNX model: its bytes do not parse as an ONNX ModelProto (the file is empty)");
  // Opset 18: refused with the range that is read.
  onnx::ModelProto model;
  REQUIRE(model.ParseFromString(good));
  for (auto& opset : *model.mutable_opset_import())
    if (opset.domain().empty()) opset.set_version(18);
  auto newer = onnx_model::summarize_bytes(model.SerializeAsString(), "new.onnx");
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.message().find("uses ONNX opset 18; ConvLab reads opsets 6 to 17") != std::string::npos);
  auto missing = onnx_model::summarize_file(data_path("onnx/no_such_model.onnx"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("no_such_model.onnx: cannot open file") != std::string::npos);
}
