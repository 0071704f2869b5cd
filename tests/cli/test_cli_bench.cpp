// `convlab bench`: the line format shared with tools/bench_pytorch.py.
#include <doctest/doctest.h>

#include <regex>

#include "cli/run_convlab.h"

using namespace convlab::cli_test;

TEST_CASE("bench prints one line per size in the shared format") {
  auto r = run_convlab({"bench", "--size", "16,32", "--runs", "1", "--warmup", "0", "--arch", "basic"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::regex line(
      R"(size=(16|32) median_ms=[0-9]+\.[0-9]{3} runs=1 threads=[0-9]+ backend=cpu arch=basic( .*)?)");
  std::istringstream lines(r.out);
  std::string text;
  int count = 0;
  while (std::getline(lines, text)) {
    CHECK_MESSAGE(std::regex_match(text, line), text);
    ++count;
  }
  CHECK(count == 2);
  CHECK(r.out.rfind("size=16 ", 0) == 0);
}

TEST_CASE("bench on the advanced model with a thread count") {
  auto r = run_convlab({"bench", "--size", "16", "--runs", "1", "--warmup", "1", "--threads", "1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "size=16 median_ms="));
  CHECK(contains(r.out, "threads=1 backend=cpu arch=advanced"));
}

TEST_CASE("bench errors: sizes the model cannot take, bad counts, gpu") {
  auto size = run_convlab({"bench", "--size", "100", "--runs", "1"});
  CHECK(size.exit_code == 2);
  CHECK(contains(size.err, "multiples of 16"));
  auto runs = run_convlab({"bench", "--size", "16", "--runs", "0"});
  CHECK(runs.exit_code == 2);
  CHECK(contains(runs.err, "--runs"));
  auto list = run_convlab({"bench", "--size", "16,abc"});
  CHECK(list.exit_code == 2);
  CHECK(contains(list.err, "--size"));
  auto tpu = run_convlab({"bench", "--backend", "tpu"});
  CHECK(tpu.exit_code == 2);
  CHECK(contains(tpu.err, "valid: cpu, gpu"));
  auto layers = run_convlab({"bench", "--size", "16", "--runs", "1", "--layers"});
  CHECK(layers.exit_code == 2);
  CHECK(contains(layers.err, "--backend gpu"));
}

TEST_CASE("bench on the GPU prints the device, GPU time and each layer") {
  auto gpu =
      run_convlab({"bench", "--backend", "gpu", "--size", "16", "--runs", "1", "--warmup", "0", "--layers"});
  REQUIRE_MESSAGE(gpu.exit_code == 0, gpu.err);
  CHECK(contains(gpu.out, "backend=gpu"));
  CHECK(contains(gpu.out, "gpu_ms="));
  CHECK(contains(gpu.out, "device="));
  CHECK(contains(gpu.out, "layer=c1 median_ms="));
}
