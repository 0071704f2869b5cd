// `convlab trace`: tables with the expected numbers and JSON with values
// worked out by hand for tiny inputs.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/run_convlab.h"
#include "core/io/safetensors.h"
#include "core/ops/reference.h"

using namespace convlab::cli_test;
using nlohmann::json;

namespace {

json trace_json(const std::vector<std::string>& args) {
  auto r = run_convlab(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

}  // namespace

// Input 3x3 ramp  0 1 2 / 3 4 5 / 6 7 8, kernel 2x2 of ones, bias 0.5:
// out = [0+1+3+4, 1+2+4+5; 3+4+6+7, 4+5+7+8] + 0.5 = [8.5, 12.5; 20.5, 24.5].
TEST_CASE("trace conv table shows taps, running sums, bias and result") {
  auto r = run_convlab({"trace", "conv", "--input", "3x3", "--kernel", "2", "--bias", "0.5"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "step 0: out[n=0, o=0, y=0, x=0]"));
  CHECK(contains(r.out, "step 3: out[n=0, o=0, y=1, x=1]"));
  CHECK(contains(r.out, "4 * 1"));
  CHECK(contains(r.out, "result = sum 8 + bias 0.5 = 8.5"));
  CHECK(contains(r.out, "result = sum 24 + bias 0.5 = 24.5"));
  CHECK(contains(r.out, "20.5"));
}

TEST_CASE("trace conv --json has every field and the hand-computed result") {
  json j = trace_json({"trace", "conv", "--input", "3x3", "--kernel", "2", "--bias", "0.5", "--json"});
  CHECK(j["op"] == "conv2d");
  CHECK(j["output_shape"] == json({1, 1, 2, 2}));
  CHECK(j["step_count"] == 4);
  REQUIRE(j["steps"].size() == 4);
  const json& first = j["steps"][0];
  CHECK(first["result"].get<float>() == 8.5f);
  CHECK(first["bias"].get<float>() == 0.5f);
  REQUIRE(first["taps"].size() == 4);
  CHECK(first["taps"][3]["running_sum"].get<float>() == 8.0f);
  CHECK(first["taps"][3]["input"].get<float>() == 4.0f);
  for (const char* field : {"channel", "ky", "kx", "padded_y", "padded_x", "input_y", "input_x", "on_padding",
                            "input", "weight", "product", "running_sum"})
    CHECK(first["taps"][0].contains(field));
  CHECK(j["steps"][3]["result"].get<float>() == 24.5f);
  CHECK(j["output"]["values"] == json({8.5, 12.5, 20.5, 24.5}));
  CHECK(j["params"]["stride_h"] == 1);
  CHECK(j["padded"]["h"] == 3);
}

TEST_CASE("trace conv with padding marks the taps on the zero frame") {
  // Same ramp, 3x3 ones, padding 1: corner (0,0) sees 0+1+3+4 = 8; 5 taps on padding.
  json j = trace_json({"trace", "conv", "--input", "3x3", "--kernel", "3", "--padding", "same", "--json"});
  CHECK(j["output_shape"] == json({1, 1, 3, 3}));
  const json& corner = j["steps"][0];
  CHECK(corner["result"].get<float>() == 8.0f);
  int on_padding = 0;
  for (const json& tap : corner["taps"]) on_padding += tap["on_padding"].get<bool>() ? 1 : 0;
  CHECK(on_padding == 5);
  CHECK(j["steps"][4]["result"].get<float>() == 36.0f);  // centre: 0+...+8
}

TEST_CASE("trace conv from a safetensors file matches reference::conv2d") {
  TempDir dir;
  convlab::Tensor input({1, 2, 4, 5}), weight({3, 2, 2, 3}), bias({3});
  for (int64_t i = 0; i < input.numel(); ++i) input[i] = static_cast<float>((i * 7) % 11) - 5.0f;
  for (int64_t i = 0; i < weight.numel(); ++i) weight[i] = static_cast<float>((i * 5) % 9) * 0.25f - 1.0f;
  for (int64_t i = 0; i < bias.numel(); ++i) bias[i] = 0.1f * static_cast<float>(i);
  convlab::SafeTensors file;
  file.put_float("input", input);
  file.put_float("weight", weight);
  file.put_float("bias", bias);
  REQUIRE(convlab::write_safetensors(dir.file("t.safetensors"), file).ok());

  json j = trace_json({"trace", "conv", "--in", dir.file("t.safetensors"), "--stride", "2", "--padding", "1",
                       "--dilation", "1,2", "--json"});
  convlab::Conv2dParams params;
  params.stride_h = params.stride_w = 2;
  params.padding = {1, 1, 1, 1};
  params.dilation_w = 2;
  auto expected = convlab::reference::conv2d(input, weight, &bias, params);
  REQUIRE(expected.ok());
  CHECK(j["output"]["shape"] == json(expected->shape()));
  CHECK(j["output"]["values"].get<std::vector<float>>() == expected->values());
}

// The seed's picture: input [0 1; 2 3], kernel [0 1; 2 3], stride 1 ->
// 4 intermediates of 3x3 summing to [0 0 1; 0 4 6; 4 12 9].
TEST_CASE("trace tconv: the seed's 2x2 example") {
  const std::vector<std::string> base = {"trace",           "tconv",   "--input",  "2x2",
                                         "--input-values",  "0,1,2,3", "--kernel", "2",
                                         "--kernel-values", "0,1,2,3"};
  auto r = run_convlab(base);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "4 intermediates"));
  CHECK(contains(r.out, "intermediate 3: input[n=0, c=0, y=1, x=1] = 3"));
  CHECK(contains(r.out, "3x3"));

  auto args = base;
  args.push_back("--json");
  json j = trace_json(args);
  REQUIRE(j["intermediates"].size() == 4);
  CHECK(j["intermediates"][0]["contribution"]["shape"] == json({3, 3}));
  CHECK(j["intermediates"][3]["contribution"]["values"] == json({0, 0, 0, 0, 0, 3, 0, 6, 9}));
  CHECK(j["full"]["h"] == 3);
  CHECK(j["output"]["values"] == json({0, 0, 1, 0, 4, 6, 4, 12, 9}));
  CHECK(j["crop_top"] == 0);
}

TEST_CASE("trace tconv with stride and padding crops the sum") {
  json j = trace_json(
      {"trace", "tconv", "--input", "2x2", "--kernel", "4", "--stride", "2", "--padding", "1", "--json"});
  CHECK(j["output_shape"] == json({1, 1, 4, 4}));
  CHECK(j["full"]["h"] == 6);
  CHECK(j["crop_top"] == 1);
  CHECK(j["crop_left"] == 1);
}

// Input ramp 0 1 2 3 (one channel): mean 1.5, biased var 1.25, unbiased 5/3;
// running mean 0 -> 0.15, running var 1 -> 0.9 + 0.1*5/3.
TEST_CASE("trace bn in training: statistics and running stats") {
  json j = trace_json({"trace", "bn", "--input", "2x2", "--train", "--json"});
  REQUIRE(j["channels"].size() == 1);
  const json& c = j["channels"][0];
  CHECK(c["count"] == 4);
  CHECK(c["mean"].get<float>() == doctest::Approx(1.5));
  CHECK(c["biased_var"].get<float>() == doctest::Approx(1.25));
  CHECK(c["unbiased_var"].get<float>() == doctest::Approx(5.0 / 3.0));
  CHECK(c["inv_std"].get<float>() == doctest::Approx(1.0 / std::sqrt(1.25 + 1e-5)));
  CHECK(c["running_mean_after"].get<float>() == doctest::Approx(0.15));
  CHECK(c["running_var_after"].get<float>() == doctest::Approx(0.9 + 0.1 * 5.0 / 3.0));
  CHECK(j["output"]["values"][0].get<float>() == doctest::Approx(-1.5 / std::sqrt(1.25 + 1e-5)));

  auto r =
      run_convlab({"trace", "bn", "--input", "2x2", "--channels", "2", "--gamma", "1,2", "--beta", "0.5"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "inv_std"));
  CHECK(contains(r.out, "eval"));
  CHECK(contains(r.out, "normalized [n=0, c=1]"));
}

TEST_CASE("trace refuses long tables without --steps, and --steps limits them") {
  auto r = run_convlab({"trace", "conv", "--input", "64x64", "--kernel", "1"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "4096"));
  CHECK(contains(r.err, "--steps"));

  auto some = run_convlab({"trace", "conv", "--input", "64x64", "--kernel", "1", "--steps", "0:2"});
  INFO(some.err);
  REQUIRE(some.exit_code == 0);
  CHECK(contains(some.out, "step 1:"));
  CHECK_FALSE(contains(some.out, "step 2:"));
}

TEST_CASE("trace errors: bad values, bad steps, file and flags together") {
  auto count = run_convlab({"trace", "conv", "--input", "2x2", "--input-values", "1,2,3"});
  CHECK(count.exit_code == 2);
  CHECK(contains(count.err, "--input-values"));
  CHECK(contains(count.err, "4"));

  auto pattern = run_convlab({"trace", "conv", "--input", "2x2", "--kernel-values", "gaussian"});
  CHECK(pattern.exit_code == 2);
  CHECK(contains(pattern.err, "identity"));

  auto steps = run_convlab({"trace", "conv", "--input", "3x3", "--steps", "5:2"});
  CHECK(steps.exit_code == 2);
  CHECK(contains(steps.err, "A:B"));

  auto both = run_convlab({"trace", "conv", "--in", "x.safetensors", "--input", "3x3"});
  CHECK(both.exit_code == 2);
  CHECK(contains(both.err, "one or the other"));

  auto missing = run_convlab({"trace", "conv", "--in", "/nonexistent/t.safetensors"});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "/nonexistent/t.safetensors"));

  auto op = run_convlab({"trace", "pool", "--input", "3x3"});
  CHECK(op.exit_code == 2);
  CHECK(contains(op.err, "conv, tconv, bn"));

  auto channels = run_convlab({"trace", "bn", "--input", "2x2", "--channels", "2", "--gamma", "1,2,3"});
  CHECK(channels.exit_code == 2);
  CHECK(contains(channels.err, "--gamma"));
}

// Input 4x4 ramp 0..15, 2x2 max pool: the stride defaults to the window,
// so each window is one 2x2 block: max 5, 7, 13, 15.
TEST_CASE("trace maxpool: each window's max and where it came from; the stride defaults to the window") {
  auto r = run_convlab({"trace", "maxpool", "--input", "4x4", "--kernel", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "settings: stride 2x2"));
  CHECK(contains(r.out, "max(0, 1, 4, 5) = 5, input at (1,1)"));
  CHECK(contains(r.out, "max(10, 11, 14, 15) = 15, input at (3,3)"));
  json j = trace_json({"trace", "maxpool", "--input", "4x4", "--kernel", "2", "--json"});
  CHECK(j["op"] == "max_pool2d");
  CHECK(j["output"]["values"] == json({5, 7, 13, 15}));
  CHECK(j["steps"][0]["chosen"] == 3);
  CHECK(j["steps"][0]["taps"][3]["input"] == 5);
}

// Input 3x3 ramp, 3x3 average at stride 1 with padding 1: the corner window
// holds 0, 1, 3, 4 and five padding zeros.
TEST_CASE("trace avgpool: the sum and the count, with and without the padding counted") {
  json counted = trace_json(
      {"trace", "avgpool", "--input", "3x3", "--kernel", "3", "--stride", "1", "--padding", "1", "--json"});
  CHECK(counted["params"]["count_include_pad"] == true);
  CHECK(counted["steps"][0]["sum"] == 8);
  CHECK(counted["steps"][0]["count"] == 9);
  CHECK(counted["output"]["values"][0].get<float>() == 8.0f / 9.0f);
  json excluded = trace_json({"trace", "avgpool", "--input", "3x3", "--kernel", "3", "--stride", "1",
                              "--padding", "1", "--exclude-pad", "--json"});
  CHECK(excluded["steps"][0]["count"] == 4);
  CHECK(excluded["output"]["values"] == json({2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6}));
  auto table = run_convlab({"trace", "avgpool", "--input", "3x3", "--kernel", "3", "--stride", "1",
                            "--padding", "1", "--exclude-pad", "--steps", "0"});
  REQUIRE(table.exit_code == 0);
  CHECK(contains(table.out, "(0 + 1 + 3 + 4) / 4 = 8 / 4 = 2"));
}

TEST_CASE("trace pool refuses settings that do not apply, naming them") {
  auto wide_padding = run_convlab({"trace", "maxpool", "--input", "5x5", "--kernel", "3", "--padding", "2"});
  CHECK(wide_padding.exit_code == 2);
  CHECK(contains(wide_padding.err, "pooling allows at most half the kernel, 1"));
  auto exclude_on_max = run_convlab({"trace", "maxpool", "--input", "4x4", "--kernel", "2", "--exclude-pad"});
  CHECK(exclude_on_max.exit_code == 2);
  CHECK(contains(exclude_on_max.err, "--exclude-pad applies to avgpool only"));
  auto ceil_on_conv = run_convlab({"trace", "conv", "--input", "4x4", "--ceil-mode"});
  CHECK(ceil_on_conv.exit_code == 2);
  CHECK(contains(ceil_on_conv.err, "--ceil-mode applies to pooling only"));
  auto unknown = run_convlab({"trace", "minpool", "--input", "4x4"});
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "valid: conv, tconv, bn, maxpool, avgpool"));
}
