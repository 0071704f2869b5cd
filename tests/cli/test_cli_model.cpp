// `convlab model info`: the layer table of an ONNX model PyTorch exported
// (tests/data/onnx/tiny_vgg.onnx), and files that are not models;
// `convlab model run` against PyTorch's own output, and `model test`.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "cli/run_convlab.h"

using namespace convlab::cli_test;

namespace {

const std::string kTinyVgg = std::string(CONVLAB_TEST_DATA_DIR) + "/onnx/tiny_vgg.onnx";

}  // namespace

TEST_CASE("model info prints the layer table with totals, like torchinfo") {
  auto r = run_convlab({"model", "info", kTinyVgg});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "ONNX opset 17, made by pytorch"));
  CHECK(contains(r.out, "input   image  1x3x16x16"));
  CHECK(contains(r.out, "3 -> 8, 3x3 p1"));
  CHECK(contains(r.out, "1x8x16x16"));
  CHECK(contains(r.out, "55,296"));  // conv1: 8*16*16 outputs x 27 taps
  CHECK(contains(r.out, "512 -> 7"));
  CHECK(contains(r.out, "total: 7 layers, 4,399 parameters, 206,336 multiply-adds per forward pass"));
  CHECK(contains(r.out, "output  output  1x7"));
}

TEST_CASE("model info refuses what is not a model, naming the file, exit 1") {
  TempDir dir;
  write_bytes(dir.path() / "half.onnx", read_text(kTinyVgg).substr(0, 4000));
  auto truncated = run_convlab({"model", "info", dir.file("half.onnx")});
  CHECK(truncated.exit_code == 1);
  CHECK(contains(truncated.err, "half.onnx"));
  CHECK(contains(truncated.err, "is not an ONNX model"));
  write_bytes(dir.path() / "notes.onnx", "these are notes, not a network\n");
  auto text = run_convlab({"model", "info", dir.file("notes.onnx")});
  CHECK(text.exit_code == 1);
  CHECK(contains(text.err, "notes.onnx"));
  auto missing = run_convlab({"model", "info", dir.file("none.onnx")});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "none.onnx: cannot open file"));
  auto usage = run_convlab({"model"});
  CHECK(usage.exit_code == 2);
}

namespace {

const std::string kZoo = std::string(CONVLAB_TEST_DATA_DIR) + "/onnx/zoo";

// float32 values of a .pb file PyTorch's test data or `model run` wrote (raw_data, field 9).
std::vector<float> pb_floats(const std::string& bytes) {
  // Walk the top-level fields; field 9 (raw_data) is length-delimited.
  size_t i = 0;
  const auto varint = [&] {
    uint64_t v = 0;
    for (int shift = 0; i < bytes.size(); shift += 7) {
      const auto b = static_cast<unsigned char>(bytes[i++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  };
  while (i < bytes.size()) {
    const uint64_t key = varint();
    const uint64_t field = key >> 3, wire = key & 7;
    if (wire == 0) {
      varint();
    } else if (wire == 2) {
      const uint64_t length = varint();
      if (field == 9) {
        std::vector<float> values(length / 4);
        std::memcpy(values.data(), bytes.data() + i, values.size() * 4);
        return values;
      }
      i += length;
    } else {
      break;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("model run writes PyTorch's output for an exported TinyVGG, on the CPU and the GPU") {
  TempDir dir;
  const std::string case_dir = kZoo + "/tinyvgg_opset17";
  const std::vector<float> expected = pb_floats(read_text(case_dir + "/test_data_set_0/output_0.pb"));
  REQUIRE(expected.size() == 7);
  for (const char* backend : {"cpu", "gpu"}) {
    CAPTURE(backend);
    const std::string out = dir.file(std::string("out_") + backend);
    auto r = run_convlab({"model", "run", case_dir + "/model.onnx", case_dir + "/test_data_set_0/input_0.pb",
                          "--out", out, "--backend", backend});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "output_0.pb: output 1x7"));
    const std::vector<float> got = pb_floats(read_text(out + "/output_0.pb"));
    REQUIRE(got.size() == expected.size());
    float largest = 0;
    for (float v : expected) largest = std::max(largest, std::fabs(v));
    for (size_t k = 0; k < got.size(); ++k) CHECK(std::fabs(got[k] - expected[k]) <= 1e-4f * largest);
  }
}

TEST_CASE("model run refuses wrong inputs with what the model takes") {
  TempDir dir;
  const std::string model = kZoo + "/tinyvgg_opset17/model.onnx";
  auto none = run_convlab({"model", "run", model, "--out", dir.file("o")});
  CHECK(none.exit_code == 2);
  auto two = run_convlab({"model", "run", model, model, model, "--out", dir.file("o")});
  CHECK(two.exit_code == 2);
  CHECK(contains(two.err, "takes 1 input (input 1x3x64x64) but 2 files were given"));
  write_bytes(dir.path() / "x.txt", "1 2 3");
  auto kind = run_convlab({"model", "run", model, dir.file("x.txt"), "--out", dir.file("o")});
  CHECK(kind.exit_code == 1);
  CHECK(contains(kind.err, "x.txt: unknown input file type \".txt\""));
  auto shape = run_convlab(
      {"model", "run", model, kZoo + "/lenet5_opset17/test_data_set_0/input_0.pb", "--out", dir.file("o")});
  CHECK(shape.exit_code == 1);
  CHECK(contains(shape.err, "input input has shape 1x1x32x32; the model takes 1x3x64x64"));
  auto backend = run_convlab({"model", "run", model, model, "--out", dir.file("o"), "--backend", "tpu"});
  CHECK(backend.exit_code == 2);
}

TEST_CASE("model test: one line per case and the counts; a failing case exits 1") {
  TempDir dir;
  auto ok = run_convlab({"model", "test", kZoo + "/lenet5_opset11", kZoo + "/unet_opset17"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(contains(ok.out, "pass lenet5_opset11 max_abs_err="));
  CHECK(contains(ok.out, "pass unet_opset17 max_abs_err="));
  CHECK(contains(ok.out, "2 passed, 0 failed, 0 unsupported"));
  // The same case with a wrong expected output: it fails, with the error.
  const fs::path wrong = dir.path() / "wrong";
  fs::create_directories(wrong / "test_data_set_0");
  fs::copy_file(kZoo + "/lenet5_opset11/model.onnx", wrong / "model.onnx");
  fs::copy_file(kZoo + "/lenet5_opset11/test_data_set_0/input_0.pb", wrong / "test_data_set_0/input_0.pb");
  fs::copy_file(kZoo + "/unet_opset17/test_data_set_0/output_0.pb", wrong / "test_data_set_0/output_0.pb");
  auto bad = run_convlab({"model", "test", wrong.string()});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.out, "fail wrong"));
  CHECK(contains(bad.out, "0 passed, 1 failed, 0 unsupported"));
}
