// `convlab model info`: the layer table of an ONNX model PyTorch exported
// (tests/data/onnx/tiny_vgg.onnx), and files that are not models.
#include <doctest/doctest.h>

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
