// The CPU reference ops against PyTorch (tests/golden/make_ops_golden.py):
// every numbered case in each golden file, relative error <= 1e-5.
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/ops/pool.h"
#include "core/ops/reference.h"
#include "test_support.h"

using namespace convlab;
using convlab::testing::check_close;
using convlab::testing::golden_tensor;
using convlab::testing::load_golden;

namespace {

constexpr float kTolerance = 1e-5f;

std::string case_key(int index, const std::string& tensor) {
  return "case" + std::to_string(index) + "." + tensor;
}

std::vector<int64_t> golden_ints(const SafeTensors& file, const std::string& name) {
  auto values = file.get_ints(name);
  REQUIRE_MESSAGE(values.ok(), name << ": " << (values.ok() ? std::string() : values.message()));
  return *values;
}

std::optional<Tensor> optional_tensor(const SafeTensors& file, const std::string& name) {
  if (!file.contains(name)) return std::nullopt;
  return golden_tensor(file, name);
}

int count_cases(const SafeTensors& file) {
  int count = 0;
  while (file.contains(case_key(count, "input"))) ++count;
  return count;
}

// "input 1x3x7x7 weight 4x3x3x3 bias yes": the part of every case description that names tensors.
std::string tensors_text(const Tensor& input, const Tensor& weight, bool bias) {
  return "input " + shape_to_string(input.shape()) + " weight " + shape_to_string(weight.shape()) + " bias " +
         (bias ? "yes" : "no");
}

}  // namespace

TEST_CASE("conv2d matches PyTorch (asymmetric padding, stride, dilation, bias)") {
  const SafeTensors file = load_golden("ops_conv2d.safetensors");
  const int cases = count_cases(file);
  CHECK(cases >= 40);
  for (int i = 0; i < cases; ++i) {
    const Tensor input = golden_tensor(file, case_key(i, "input"));
    const Tensor weight = golden_tensor(file, case_key(i, "weight"));
    const std::optional<Tensor> bias = optional_tensor(file, case_key(i, "bias"));
    const std::vector<int64_t> v = golden_ints(file, case_key(i, "params"));
    REQUIRE(v.size() == 8);
    Conv2dParams p;
    p.stride_h = int(v[0]), p.stride_w = int(v[1]);
    p.padding = {int(v[2]), int(v[3]), int(v[4]), int(v[5])};
    p.dilation_h = int(v[6]), p.dilation_w = int(v[7]);
    std::ostringstream what;
    what << "conv2d case " << i << ": " << tensors_text(input, weight, bias.has_value()) << " stride " << v[0]
         << "x" << v[1] << " padding t" << v[2] << " b" << v[3] << " l" << v[4] << " r" << v[5]
         << " dilation " << v[6] << "x" << v[7];
    auto output = reference::conv2d(input, weight, bias ? &*bias : nullptr, p);
    REQUIRE_MESSAGE(output.ok(), what.str() << ": " << (output.ok() ? "" : output.message()));
    check_close(*output, golden_tensor(file, case_key(i, "output")), kTolerance, what.str());
  }
}

TEST_CASE("same padding at stride 1 matches PyTorch's padding='same'") {
  const SafeTensors file = load_golden("ops_conv_same.safetensors");
  const int cases = count_cases(file);
  CHECK(cases >= 10);
  for (int i = 0; i < cases; ++i) {
    const Tensor input = golden_tensor(file, case_key(i, "input"));
    const Tensor weight = golden_tensor(file, case_key(i, "weight"));
    const Tensor bias = golden_tensor(file, case_key(i, "bias"));
    const std::vector<int64_t> dil = golden_ints(file, case_key(i, "params"));
    const std::vector<int64_t> torch_pad = golden_ints(file, case_key(i, "padding"));
    std::ostringstream what;
    what << "same case " << i << ": " << tensors_text(input, weight, true) << " dilation " << dil[0] << "x"
         << dil[1];
    INFO(what.str());
    auto pad = resolve_padding(PaddingPreset::Same, {int(input.h()), int(input.w())},
                               {int(weight.h()), int(weight.w())}, 1, 1, int(dil[0]), int(dil[1]));
    REQUIRE(pad.ok());
    CHECK(*pad == Padding2d{int(torch_pad[0]), int(torch_pad[1]), int(torch_pad[2]), int(torch_pad[3])});
    auto output = reference::conv2d(input, weight, &bias, Conv2dParams{1, 1, *pad, int(dil[0]), int(dil[1])});
    REQUIRE(output.ok());
    CHECK(output->h() == input.h());
    CHECK(output->w() == input.w());
    check_close(*output, golden_tensor(file, case_key(i, "output")), kTolerance, what.str());
  }
}

TEST_CASE("conv_transpose2d matches PyTorch (stride, padding, output_padding, dilation, bias)") {
  const SafeTensors file = load_golden("ops_conv_transpose2d.safetensors");
  const int cases = count_cases(file);
  CHECK(cases >= 40);
  for (int i = 0; i < cases; ++i) {
    const Tensor input = golden_tensor(file, case_key(i, "input"));
    const Tensor weight = golden_tensor(file, case_key(i, "weight"));
    const std::optional<Tensor> bias = optional_tensor(file, case_key(i, "bias"));
    const std::vector<int64_t> v = golden_ints(file, case_key(i, "params"));
    REQUIRE(v.size() == 8);
    ConvTranspose2dParams p;
    p.stride_h = int(v[0]), p.stride_w = int(v[1]);
    p.padding_h = int(v[2]), p.padding_w = int(v[3]);
    p.output_padding_h = int(v[4]), p.output_padding_w = int(v[5]);
    p.dilation_h = int(v[6]), p.dilation_w = int(v[7]);
    std::ostringstream what;
    what << "conv_transpose2d case " << i << ": " << tensors_text(input, weight, bias.has_value())
         << " stride " << v[0] << "x" << v[1] << " padding " << v[2] << "x" << v[3] << " output_padding "
         << v[4] << "x" << v[5] << " dilation " << v[6] << "x" << v[7];
    auto output = reference::conv_transpose2d(input, weight, bias ? &*bias : nullptr, p);
    REQUIRE_MESSAGE(output.ok(), what.str() << ": " << (output.ok() ? "" : output.message()));
    check_close(*output, golden_tensor(file, case_key(i, "output")), kTolerance, what.str());
  }
}

TEST_CASE("batch_norm2d matches PyTorch in training (output and running stats) and eval") {
  const SafeTensors file = load_golden("ops_batch_norm.safetensors");
  const int cases = count_cases(file);
  CHECK(cases >= 18);
  int training_cases = 0;
  for (int i = 0; i < cases; ++i) {
    const Tensor input = golden_tensor(file, case_key(i, "input"));
    const Tensor settings = golden_tensor(file, case_key(i, "params"));
    reference::BatchNormParams p;
    p.training = settings[0] != 0.0f;
    p.momentum = settings[1];
    p.eps = settings[2];
    training_cases += p.training ? 1 : 0;
    std::ostringstream what;
    what << "batch_norm case " << i << ": input " << shape_to_string(input.shape())
         << (p.training ? " training" : " eval") << " momentum " << p.momentum << " eps " << p.eps;
    Tensor running_mean = golden_tensor(file, case_key(i, "running_mean"));
    Tensor running_var = golden_tensor(file, case_key(i, "running_var"));
    auto output =
        reference::batch_norm2d(input, golden_tensor(file, case_key(i, "weight")),
                                golden_tensor(file, case_key(i, "bias")), running_mean, running_var, p);
    REQUIRE_MESSAGE(output.ok(), what.str() << ": " << (output.ok() ? "" : output.message()));
    check_close(*output, golden_tensor(file, case_key(i, "output")), kTolerance, what.str());
    check_close(running_mean, golden_tensor(file, case_key(i, "running_mean_after")), kTolerance,
                what.str() + " running_mean");
    check_close(running_var, golden_tensor(file, case_key(i, "running_var_after")), kTolerance,
                what.str() + " running_var");
  }
  CHECK(training_cases > 0);
  CHECK(training_cases < cases);
}

TEST_CASE("relu matches PyTorch") {
  const SafeTensors file = load_golden("ops_misc.safetensors");
  const Tensor output = reference::relu(golden_tensor(file, "relu.input"));
  check_close(output, golden_tensor(file, "relu.output"), 0.0f, "relu");
}

TEST_CASE("concat_channels matches torch.cat(dim=1)") {
  const SafeTensors file = load_golden("ops_misc.safetensors");
  std::vector<Tensor> parts;
  while (file.contains("concat.input" + std::to_string(parts.size())))
    parts.push_back(golden_tensor(file, "concat.input" + std::to_string(parts.size())));
  REQUIRE(parts.size() == 3);
  const std::vector<const Tensor*> inputs = {&parts[0], &parts[1], &parts[2]};
  auto output = reference::concat_channels(inputs);
  REQUIRE(output.ok());
  check_close(*output, golden_tensor(file, "concat.output"), 0.0f, "concat of 2x1x5x7, 2x3x5x7, 2x2x5x7");
}

TEST_CASE("embed_broadcast matches embedding + expand") {
  const SafeTensors file = load_golden("ops_misc.safetensors");
  const std::vector<int64_t> categories = golden_ints(file, "embed.categories");
  const std::vector<int64_t> size = golden_ints(file, "embed.params");
  auto output = reference::embed_broadcast(golden_tensor(file, "embed.table"), categories, size[0], size[1]);
  REQUIRE(output.ok());
  check_close(*output, golden_tensor(file, "embed.output"), 0.0f, "embed of categories 3, 0, 7 to 4x6");
}

TEST_CASE("upsample_bilinear matches F.interpolate(bilinear, align_corners=False)") {
  const SafeTensors file = load_golden("ops_misc.safetensors");
  int cases = 0;
  for (; file.contains("upsample" + std::to_string(cases) + ".input"); ++cases) {
    const std::string key = "upsample" + std::to_string(cases) + ".";
    const Tensor input = golden_tensor(file, key + "input");
    const std::vector<int64_t> size = golden_ints(file, key + "params");
    const std::string what = "upsample case " + std::to_string(cases) + ": " +
                             shape_to_string(input.shape()) + " to " + std::to_string(size[0]) + "x" +
                             std::to_string(size[1]);
    auto output = reference::upsample_bilinear(input, size[0], size[1]);
    REQUIRE_MESSAGE(output.ok(), what << ": " << (output.ok() ? "" : output.message()));
    check_close(*output, golden_tensor(file, key + "output"), kTolerance, what);
  }
  CHECK(cases >= 10);
}

TEST_CASE("max and average pooling match PyTorch (padding, ceil_mode, count_include_pad, dilation)") {
  const SafeTensors file = load_golden("ops_pool2d.safetensors");
  const int cases = count_cases(file);
  CHECK(cases >= 40);
  int max_cases = 0, average_cases = 0;
  for (int i = 0; i < cases; ++i) {
    const Tensor input = golden_tensor(file, case_key(i, "input"));
    const std::vector<int64_t> v = golden_ints(file, case_key(i, "params"));
    REQUIRE(v.size() == 13);
    PoolOptions o;
    o.kind = v[0] == 0 ? PoolKind::Max : PoolKind::Average;
    o.kernel = {int(v[1]), int(v[2])};
    Conv2dParams& w = o.params.window;
    w.stride_h = int(v[3]), w.stride_w = int(v[4]);
    w.padding = {int(v[5]), int(v[6]), int(v[7]), int(v[8])};
    w.dilation_h = int(v[9]), w.dilation_w = int(v[10]);
    o.params.ceil_mode = v[11] != 0;
    o.count_include_pad = v[12] != 0;
    (o.kind == PoolKind::Max ? max_cases : average_cases) += 1;
    std::ostringstream what;
    what << pool_kind_name(o.kind) << " pool case " << i << ": input " << shape_to_string(input.shape())
         << " kernel " << v[1] << "x" << v[2] << " stride " << v[3] << "x" << v[4] << " padding t" << v[5]
         << " b" << v[6] << " l" << v[7] << " r" << v[8] << " dilation " << v[9] << "x" << v[10] << " ceil "
         << v[11] << " count_include_pad " << v[12];
    auto output = reference::pool2d(input, o);
    REQUIRE_MESSAGE(output.ok(), what.str() << ": " << (output.ok() ? "" : output.message()));
    check_close(*output, golden_tensor(file, case_key(i, "output")), kTolerance, what.str());
  }
  CHECK(max_cases >= 15);
  CHECK(average_cases >= 15);
}
