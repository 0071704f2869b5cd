// `convlab op`: round trips through safetensors files made here, compared
// with the core functions called directly; and the file errors.
#include <doctest/doctest.h>

#include "cli/run_convlab.h"
#include "core/io/safetensors.h"
#include "core/model/graph.h"
#include "core/model/runner.h"
#include "core/ops/reference.h"

using namespace convlab::cli_test;
using convlab::Tensor;

namespace {

Tensor pattern(convlab::Shape shape, int mul, float scale) {
  Tensor t(std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = static_cast<float>((i * mul) % 13 - 6) * scale;
  return t;
}

void write(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& tensors) {
  convlab::SafeTensors file;
  for (const auto& [name, t] : tensors) file.put_float(name, t);
  REQUIRE(convlab::write_safetensors(path, file).ok());
}

Tensor read(const std::string& path, const std::string& name) {
  auto file = convlab::read_safetensors(path);
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.message()));
  auto t = file->get_float(name);
  REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.message()));
  return std::move(t).value();
}

void check_close(const Tensor& actual, const Tensor& expected, float tolerance) {
  REQUIRE(actual.shape() == expected.shape());
  CHECK(convlab::relative_error(actual, expected) <= tolerance);
}

}  // namespace

TEST_CASE("op conv2d round trip matches reference::conv2d on both CPU paths and the GPU") {
  TempDir dir;
  const Tensor input = pattern({2, 3, 7, 6}, 7, 0.25f), weight = pattern({4, 3, 3, 3}, 5, 0.1f),
               bias = pattern({4}, 3, 0.5f);
  write(dir.file("in.safetensors"), {{"input", input}, {"weight", weight}, {"bias", bias}});

  struct Case {
    std::vector<std::string> flags;
    convlab::Conv2dParams params;
  };
  std::vector<Case> cases(3);
  cases[0].flags = {"--stride", "2", "--padding", "1"};
  cases[0].params.stride_h = cases[0].params.stride_w = 2;
  cases[0].params.padding = {1, 1, 1, 1};
  cases[1].flags = {"--padding", "0,1,2,1", "--dilation", "2"};
  cases[1].params.padding = {0, 1, 2, 1};
  cases[1].params.dilation_h = cases[1].params.dilation_w = 2;
  cases[2].flags = {"--stride", "1,2", "--padding", "2,0"};
  cases[2].params.stride_w = 2;
  cases[2].params.padding = {2, 2, 0, 0};

  for (const Case& c : cases) {
    auto expected = convlab::reference::conv2d(input, weight, &bias, c.params);
    REQUIRE(expected.ok());
    for (const std::string path : {"fast", "reference", "gpu"}) {
      std::vector<std::string> args = {
          "op", "conv2d", "--in", dir.file("in.safetensors"), "-o", dir.file("out.safetensors")};
      if (path == "gpu")
        args.insert(args.end(), {"--backend", "gpu"});
      else
        args.insert(args.end(), {"--path", path});
      args.insert(args.end(), c.flags.begin(), c.flags.end());
      auto r = run_convlab(args);
      INFO(path << " " << c.flags[1] << "\n" << r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(contains(r.out, "wrote output"));
      check_close(read(dir.file("out.safetensors"), "output"), *expected, path == "gpu" ? 1e-4f : 1e-5f);
    }
  }
}

TEST_CASE("op conv_transpose2d with output padding matches the reference") {
  TempDir dir;
  const Tensor input = pattern({1, 3, 4, 5}, 7, 0.25f), weight = pattern({3, 2, 4, 4}, 5, 0.1f);
  write(dir.file("in.safetensors"), {{"input", input}, {"weight", weight}});
  convlab::ConvTranspose2dParams params;
  params.stride_h = params.stride_w = 2;
  params.padding_h = params.padding_w = 1;
  params.output_padding_h = params.output_padding_w = 1;
  auto expected = convlab::reference::conv_transpose2d(input, weight, nullptr, params);
  REQUIRE(expected.ok());
  auto r =
      run_convlab({"op", "conv_transpose2d", "--in", dir.file("in.safetensors"), "-o",
                   dir.file("out.safetensors"), "--stride", "2", "--padding", "1", "--output-padding", "1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_close(read(dir.file("out.safetensors"), "output"), *expected, 1e-5f);
}

TEST_CASE("op batch_norm in training writes the output and updated running stats") {
  TempDir dir;
  const Tensor input = pattern({2, 3, 3, 4}, 7, 0.5f);
  Tensor gamma({3}, 1.5f), beta({3}, -0.25f), mean({3}, 0.1f), var({3}, 2.0f);
  write(dir.file("in.safetensors"),
        {{"input", input}, {"weight", gamma}, {"bias", beta}, {"running_mean", mean}, {"running_var", var}});
  convlab::reference::BatchNormParams params;
  params.training = true;
  params.momentum = 0.2f;
  auto expected = convlab::reference::batch_norm2d(input, gamma, beta, mean, var, params);
  REQUIRE(expected.ok());
  auto r = run_convlab({"op", "batch_norm", "--in", dir.file("in.safetensors"), "-o",
                        dir.file("out.safetensors"), "--train", "--momentum", "0.2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_close(read(dir.file("out.safetensors"), "output"), *expected, 1e-6f);
  check_close(read(dir.file("out.safetensors"), "running_mean"), mean, 1e-6f);
  check_close(read(dir.file("out.safetensors"), "running_var"), var, 1e-6f);
}

TEST_CASE("op relu and the model with random weights") {
  TempDir dir;
  const Tensor x = pattern({1, 2, 3, 3}, 7, 1.0f);
  write(dir.file("x.safetensors"), {{"input", x}});
  auto r = run_convlab({"op", "relu", "--in", dir.file("x.safetensors"), "-o", dir.file("y.safetensors")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(read(dir.file("y.safetensors"), "output").values() == convlab::reference::relu(x).values());

  Tensor gray({1, 1, 16, 16});
  for (int64_t i = 0; i < gray.numel(); ++i) gray[i] = static_cast<float>(i % 101);
  convlab::SafeTensors file;
  file.put_float("gray", gray);
  const std::vector<int64_t> category = {2};
  file.put_ints("category", {1}, category);
  REQUIRE(convlab::write_safetensors(dir.file("m.safetensors"), file).ok());
  auto m = run_convlab({"op", "model", "--in", dir.file("m.safetensors"), "-o", dir.file("ab.safetensors"),
                        "--arch", "basic", "--random-weights", "5"});
  INFO(m.err);
  REQUIRE(m.exit_code == 0);
  auto graph = convlab::Graph::builtin("basic");
  REQUIRE(graph.ok());
  const convlab::Model model = convlab::random_model(*graph, 5);
  auto expected = convlab::run_model_cpu(model, gray, category);
  REQUIRE(expected.ok());
  check_close(read(dir.file("ab.safetensors"), "ab"), expected->output(model.graph), 1e-5f);

  auto no_weights =
      run_convlab({"op", "model", "--in", dir.file("m.safetensors"), "-o", dir.file("ab.safetensors")});
  CHECK(no_weights.exit_code == 2);
  CHECK(contains(no_weights.err, "--random-weights"));
}

TEST_CASE("op errors: missing tensor, corrupt file, missing file, bad op, gpu") {
  TempDir dir;
  write(dir.file("only_input.safetensors"), {{"input", pattern({1, 1, 3, 3}, 1, 1.0f)}});
  auto missing_tensor = run_convlab(
      {"op", "conv2d", "--in", dir.file("only_input.safetensors"), "-o", dir.file("out.safetensors")});
  CHECK(missing_tensor.exit_code == 1);
  CHECK(contains(missing_tensor.err, "'weight'"));
  CHECK(contains(missing_tensor.err, "the file has: input"));
  CHECK(contains(missing_tensor.err, "only_input.safetensors"));
  CHECK_FALSE(fs::exists(dir.file("out.safetensors")));

  write_bytes(dir.file("corrupt.safetensors"), "this is not a safetensors file at all");
  auto corrupt =
      run_convlab({"op", "relu", "--in", dir.file("corrupt.safetensors"), "-o", dir.file("o.safetensors")});
  CHECK(corrupt.exit_code == 1);
  CHECK(contains(corrupt.err, "corrupt.safetensors"));

  auto absent =
      run_convlab({"op", "relu", "--in", dir.file("absent.safetensors"), "-o", dir.file("o.safetensors")});
  CHECK(absent.exit_code == 1);
  CHECK(contains(absent.err, "absent.safetensors"));

  auto bad_op =
      run_convlab({"op", "maxpool", "--in", dir.file("only_input.safetensors"), "-o", dir.file("o")});
  CHECK(bad_op.exit_code == 2);
  CHECK(contains(bad_op.err, "conv_transpose2d"));

  auto tpu = run_convlab(
      {"op", "relu", "--in", dir.file("only_input.safetensors"), "-o", dir.file("o"), "--backend", "tpu"});
  CHECK(tpu.exit_code == 2);
  CHECK(contains(tpu.err, "valid: cpu, gpu"));
  auto shader_dir_on_cpu = run_convlab({"op", "relu", "--in", dir.file("only_input.safetensors"), "-o",
                                        dir.file("o"), "--shader-dir", dir.path()});
  CHECK(shader_dir_on_cpu.exit_code == 2);
  CHECK(contains(shader_dir_on_cpu.err, "--backend gpu"));

  auto shapes = run_convlab({"op", "conv2d", "--in", dir.file("only_input.safetensors"), "-o", dir.file("o"),
                             "--padding", "same", "--output-padding", "1"});
  CHECK(shapes.exit_code != 0);
}
