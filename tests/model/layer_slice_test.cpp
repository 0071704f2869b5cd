// A real layer cut down for the teaching panels: the crop, the kernel and
// the layer's own settings come from the model and the run, and where the
// slice holds every channel its cells compute exactly the layer's output.
#include "core/model/layer_slice.h"

#include <doctest/doctest.h>

#include <random>

#include "core/ops/reference.h"

using namespace convlab;

namespace {

struct Run {
  Model model;
  Activations acts;
};

Run random_run(int64_t h, int64_t w) {
  auto graph = Graph::builtin("advanced");
  REQUIRE(graph.ok());
  Run run{random_model(*graph, 5), {}};
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> lightness(0.0f, 100.0f);
  Tensor gray({1, 1, h, w});
  for (float& v : gray.values()) v = lightness(rng);
  const int64_t category = 4;
  auto acts =
      run_model_cpu(run.model, gray, std::span<const int64_t>(&category, 1), CpuPath::Reference, true);
  REQUIRE(acts.ok());
  run.acts = std::move(acts).value();
  return run;
}

// The slice's own convolution, with the reference op.
Tensor slice_output(const LayerSlice& s) {
  const Tensor input = *Tensor::from_data({1, s.channels_shown, s.crop_h, s.crop_w}, s.input);
  const float bias = s.channel == kAllChannels ? s.layer_bias : 0.0f;
  const Tensor b = *Tensor::from_data({1}, std::vector<float>{bias});
  if (s.transposed) {
    const Tensor w = *Tensor::from_data({s.channels_shown, 1, s.kernel_h, s.kernel_w}, s.weight);
    return *reference::conv_transpose2d(input, w, &b, s.tconv);
  }
  const Tensor w = *Tensor::from_data({1, s.channels_shown, s.kernel_h, s.kernel_w}, s.weight);
  return *reference::conv2d(input, w, &b, s.conv);
}

}  // namespace

TEST_CASE("conv1 slice: the real kernel, input crop and settings (4, stride 2, padding 1)") {
  const Run run = random_run(64, 48);
  auto slice = slice_layer(run.model, run.acts, "conv1", 5, 0, 16, 3);
  REQUIRE_MESSAGE(slice.ok(), (slice.ok() ? "" : slice.message()));
  CHECK(slice->input_name == "x0");
  CHECK(slice->layer_in_channels == 11);
  CHECK(slice->kernel_h == 4);
  CHECK(slice->conv.stride_h == 2);
  CHECK(slice->conv.padding.top == 1);
  CHECK(slice->conv.padding.right == 1);
  CHECK(slice->crop_h == 16);
  CHECK(slice->crop_w == 16);
  CHECK(slice->full_input == Shape{1, 11, 64, 48});
  CHECK(slice->full_output == Shape{1, 32, 32, 24});
  CHECK(slice->out_h == 8);
  CHECK(slice->out_w == 8);
  // Channel 0 of x0 is L; the kernel is conv1.weight[5][0].
  const Tensor& x0 = run.acts.values.at("x0");
  const Tensor& w = run.model.weight("conv1.weight");
  CHECK(slice->input[3 * 16 + 7] == x0.at(0, 0, 3, 7));
  CHECK(slice->weight[2 * 4 + 1] == w.at(5, 0, 2, 1));
  CHECK(slice->layer_bias == run.model.weight("conv1.bias")[5]);
  CHECK(slice->real_output[0] == run.acts.values.at("conv1").at(0, 5, 0, 0));
  CHECK(slice->describe().find("conv1 filter 6") != std::string::npos);
}

TEST_CASE("dilat1 slice: kernel 4, stride 1, padding 3, dilation 2") {
  const Run run = random_run(64, 64);
  auto slice = slice_layer(run.model, run.acts, "dilat1", 0, 7, 16, 3);
  REQUIRE(slice.ok());
  CHECK(slice->kernel_h == 4);
  CHECK(slice->conv.stride_h == 1);
  CHECK(slice->conv.padding.top == 3);
  CHECK(slice->conv.dilation_h == 2);
  CHECK(slice->crop_h == 4);                 // c4 is 4x4 for a 64x64 photo: the whole map
  CHECK(slice->exact_rows == slice->out_h);  // no crop edge: every cell is the layer's
}

TEST_CASE("a slice with every channel computes the layer's own output where its field fits the crop") {
  const Run run = random_run(48, 48);
  // out: conv(3, 2, 3, 1, 1) over t0 (3 channels): the whole sum fits the panel.
  auto slice = slice_layer(run.model, run.acts, "out", 1, kAllChannels, 16, 3);
  REQUIRE(slice.ok());
  CHECK(slice->channels_shown == 3);
  CHECK(slice->crop_h == 16);
  CHECK(slice->exact_rows == 15);  // the last row's field reaches past the crop
  CHECK(slice->exact_cols == 15);
  const Tensor mine = slice_output(*slice);
  for (int y = 0; y < slice->exact_rows; ++y)
    for (int x = 0; x < slice->exact_cols; ++x) {
      CAPTURE(y);
      CAPTURE(x);
      CHECK(mine.at(0, 0, y, x) ==
            doctest::Approx(slice->real_output[static_cast<size_t>(y * slice->out_w + x)]).epsilon(1e-5));
    }
  // conv1 sums 11 channels: too many for a panel limited to 3.
  auto refused = slice_layer(run.model, run.acts, "conv1", 0, kAllChannels, 16, 3);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("11 input channels") != std::string::npos);
}

TEST_CASE("transposed slice: tconv2's real weights (in, out, k, k) and the cells it gets right") {
  const Run run = random_run(64, 64);
  auto slice = slice_layer(run.model, run.acts, "tconv2", 3, 10, 8, 2);
  REQUIRE(slice.ok());
  CHECK(slice->transposed);
  CHECK(slice->tconv.stride_h == 2);
  CHECK(slice->tconv.padding_h == 1);
  CHECK(slice->kernel_h == 4);
  CHECK(slice->crop_h == 8);
  CHECK(slice->out_h == 16);  // (8-1)*2 - 2 + 4 = 16
  const Tensor& w = run.model.weight("tconv2.weight");
  CHECK(slice->weight[1 * 4 + 2] == w.at(10, 3, 1, 2));
  CHECK(slice->real_output[5] == run.acts.values.at("tconv2").at(0, 3, 0, 5));
}

TEST_CASE("slices refuse what the layer does not have, naming what it has") {
  const Run run = random_run(32, 32);
  auto not_conv = slice_layer(run.model, run.acts, "c1", 0, 0, 16, 3);
  REQUIRE_FALSE(not_conv.ok());
  CHECK(not_conv.message().find("conv1") != std::string::npos);  // lists the convolutions
  auto filter = slice_layer(run.model, run.acts, "conv2", 64, 0, 16, 3);
  REQUIRE_FALSE(filter.ok());
  CHECK(filter.message().find("filters 1 to 64") != std::string::npos);
  auto channel = slice_layer(run.model, run.acts, "conv2", 0, 32, 16, 3);
  REQUIRE_FALSE(channel.ok());
  CHECK(channel.message().find("channels 1 to 32") != std::string::npos);
  CHECK(conv_layer_names(run.model.graph, true) ==
        std::vector<std::string>{"tconv3", "tconv2", "tconv1", "tconv0"});
}

TEST_CASE("a pooling layer's input crop: the top-left of one channel, row-major, never past the map") {
  Tensor map({1, 2, 3, 5});
  for (int64_t i = 0; i < map.numel(); ++i) map.data()[i] = static_cast<float>(i);
  auto crop = activation_crop(map, 1, 4);
  REQUIRE(crop.ok());
  CHECK(crop->h == 3);
  CHECK(crop->w == 4);
  REQUIRE(crop->values.size() == 12);
  CHECK(crop->values[0] == 15.0f);  // channel 1 starts at 15
  CHECK(crop->values[4] == 20.0f);  // the next row
  CHECK_FALSE(activation_crop(map, 2, 4).ok());
  CHECK_FALSE(activation_crop(Tensor({1, 7}), 0, 4).ok());
}
