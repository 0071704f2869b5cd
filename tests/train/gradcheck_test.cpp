// Every op's backward against central differences of its forward (the
// reference ops of core/ops, in float): the probe loss sum(output * R) makes
// R the incoming gradient.
//
// Tolerances (max|analytic - numeric| / max|numeric|): the convolutions,
// concat, embedding and the probe loss are linear in the perturbed value, so
// the difference quotient is exact up to the float rounding of the forward
// (~1e-7 relative per output, divided by the step 0.25); measured <= 7e-7,
// checked at 1e-5. Batch norm and the MSE are not linear: with step 1e-2 the
// truncation error is O(h^2) and rounding adds more; measured <= 5e-5,
// checked at 1e-3.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <vector>

#include "core/ops/reference.h"
#include "core/train/backward.h"
#include "core/train/forward.h"
#include "core/train/loss.h"
#include "core/train/reference_backward.h"
#include "train_test_support.h"

namespace convlab {
namespace {

using testing::check_relative;
using testing::numeric_gradient;
using testing::probe_loss;
using testing::random_tensor;

constexpr float kLinearTolerance = 1e-5f;
constexpr float kNonlinearTolerance = 1e-3f;
constexpr double kLinearStep = 0.25;
constexpr double kNonlinearStep = 1e-2;

struct ConvCase {
  const char* what;
  Shape input;  // N, C, H, W
  int64_t out_channels;
  int kh, kw;
  Conv2dParams params;
};

std::string describe(const ConvCase& c) {
  std::ostringstream out;
  const Conv2dParams& p = c.params;
  out << c.what << ": input " << shape_to_string(c.input) << " out " << c.out_channels << " kernel " << c.kh
      << "x" << c.kw << " stride " << p.stride_h << "," << p.stride_w << " padding t" << p.padding.top << " b"
      << p.padding.bottom << " l" << p.padding.left << " r" << p.padding.right << " dilation " << p.dilation_h
      << "," << p.dilation_w;
  return out.str();
}

TEST_CASE("conv2d backward matches central differences: stride 2-3, dilation 2, asymmetric padding") {
  const std::vector<ConvCase> cases = {
      {"plain 3x3", {2, 3, 6, 5}, 4, 3, 3, {1, 1, {1, 1, 1, 1}, 1, 1}},
      {"ECNN-like 4x4 stride 2", {2, 3, 8, 6}, 2, 4, 4, {2, 2, {1, 1, 1, 1}, 1, 1}},
      {"stride 2x3, asymmetric padding", {2, 2, 7, 8}, 3, 3, 2, {2, 3, {1, 0, 2, 1}, 1, 1}},
      {"dilation 2, asymmetric padding", {1, 3, 7, 7}, 2, 3, 3, {1, 1, {2, 1, 0, 2}, 2, 2}},
      {"stride 3, dilation 2x1", {2, 2, 9, 8}, 3, 2, 3, {3, 3, {0, 2, 1, 0}, 2, 1}},
      {"dilated 4x4 like ECNN's bottleneck", {2, 2, 3, 3}, 2, 4, 4, {1, 1, {3, 3, 3, 3}, 2, 2}},
  };
  std::mt19937 rng(11);
  for (const ConvCase& c : cases) {
    const std::string what = describe(c);
    Tensor x = random_tensor(c.input, rng);
    Tensor w = random_tensor({c.out_channels, c.input[1], c.kh, c.kw}, rng);
    Tensor b = random_tensor({c.out_channels}, rng);
    auto y = reference::conv2d(x, w, &b, c.params);
    REQUIRE_MESSAGE(y.ok(), what << ": " << (y.ok() ? "" : y.message()));
    const Tensor r = random_tensor(y->shape(), rng);
    auto fast = train::conv2d_backward(x, w, r, c.params);
    auto plain = train::reference::conv2d_backward(x, w, r, c.params);
    REQUIRE(fast.ok());
    REQUIRE(plain.ok());
    const auto loss = [&] { return probe_loss(reference::conv2d(x, w, &b, c.params).value(), r); };
    const Tensor dx = numeric_gradient(x, kLinearStep, loss);
    const Tensor dw = numeric_gradient(w, kLinearStep, loss);
    const Tensor db = numeric_gradient(b, kLinearStep, loss);
    for (const auto* grads : {&fast.value(), &plain.value()}) {
      const std::string path = what + (grads == &fast.value() ? " (fast)" : " (plain loops)");
      check_relative(grads->input, dx, kLinearTolerance, path + " grad input");
      check_relative(grads->weight, dw, kLinearTolerance, path + " grad weight");
      check_relative(grads->bias, db, kLinearTolerance, path + " grad bias");
    }
  }
}

struct TransposedCase {
  const char* what;
  Shape input;
  int64_t out_channels;
  int kh, kw;
  ConvTranspose2dParams params;
};

std::string describe(const TransposedCase& c) {
  std::ostringstream out;
  const ConvTranspose2dParams& p = c.params;
  out << c.what << ": input " << shape_to_string(c.input) << " out " << c.out_channels << " kernel " << c.kh
      << "x" << c.kw << " stride " << p.stride_h << "," << p.stride_w << " padding " << p.padding_h << ","
      << p.padding_w << " output_padding " << p.output_padding_h << "," << p.output_padding_w << " dilation "
      << p.dilation_h << "," << p.dilation_w;
  return out.str();
}

TEST_CASE("conv_transpose2d backward matches central differences: stride 2-3, dilation 2, output_padding") {
  const std::vector<TransposedCase> cases = {
      {"ECNN 4x4 stride 2 padding 1", {2, 3, 3, 4}, 2, 4, 4, {2, 2, 1, 1, 0, 0, 1, 1}},
      {"stride 3, output_padding 2x1", {2, 2, 3, 3}, 3, 3, 3, {3, 3, 1, 1, 2, 1, 1, 1}},
      {"stride 2, dilation 2, output_padding 1", {1, 3, 3, 2}, 2, 3, 3, {2, 2, 2, 2, 1, 1, 2, 2}},
      {"stride 1x2, dilation 2x1, kernel 2x3", {2, 2, 4, 3}, 3, 2, 3, {1, 2, 0, 1, 1, 0, 2, 1}},
      {"plain stride 1", {1, 2, 4, 4}, 2, 3, 3, {1, 1, 1, 1, 0, 0, 1, 1}},
  };
  std::mt19937 rng(12);
  for (const TransposedCase& c : cases) {
    const std::string what = describe(c);
    Tensor x = random_tensor(c.input, rng);
    Tensor w = random_tensor({c.input[1], c.out_channels, c.kh, c.kw}, rng);
    Tensor b = random_tensor({c.out_channels}, rng);
    auto y = reference::conv_transpose2d(x, w, &b, c.params);
    REQUIRE_MESSAGE(y.ok(), what << ": " << (y.ok() ? "" : y.message()));
    const Tensor r = random_tensor(y->shape(), rng);
    auto fast = train::conv_transpose2d_backward(x, w, r, c.params);
    auto plain = train::reference::conv_transpose2d_backward(x, w, r, c.params);
    REQUIRE(fast.ok());
    REQUIRE(plain.ok());
    const auto loss = [&] { return probe_loss(reference::conv_transpose2d(x, w, &b, c.params).value(), r); };
    const Tensor dx = numeric_gradient(x, kLinearStep, loss);
    const Tensor dw = numeric_gradient(w, kLinearStep, loss);
    const Tensor db = numeric_gradient(b, kLinearStep, loss);
    for (const auto* grads : {&fast.value(), &plain.value()}) {
      const std::string path = what + (grads == &fast.value() ? " (fast)" : " (plain loops)");
      check_relative(grads->input, dx, kLinearTolerance, path + " grad input");
      check_relative(grads->weight, dw, kLinearTolerance, path + " grad weight");
      check_relative(grads->bias, db, kLinearTolerance, path + " grad bias");
    }
  }
}

TEST_CASE(
    "batch norm (training) backward matches central differences, and the fused ReLU is relu's backward") {
  std::mt19937 rng(13);
  for (const Shape& shape : {Shape{3, 4, 3, 5}, Shape{2, 3, 1, 2}, Shape{1, 2, 4, 3}}) {
    const std::string what = "batch norm input " + shape_to_string(shape);
    Tensor x = random_tensor(shape, rng, -1.0f, 2.0f);
    Tensor gamma = random_tensor({shape[1]}, rng, 0.5f, 1.5f);
    Tensor beta = random_tensor({shape[1]}, rng, -0.5f, 0.5f);
    Tensor running_mean({shape[1]}), running_var({shape[1]}, 1.0f);
    auto forward = train::batch_norm2d_train(x, gamma, beta, running_mean, running_var, {});
    REQUIRE(forward.ok());
    const Tensor r = random_tensor(shape, rng);
    auto grads = train::batch_norm2d_backward(x, gamma, forward->saved, r);
    REQUIRE(grads.ok());
    const auto loss = [&] {
      Tensor mean({shape[1]}), var({shape[1]}, 1.0f);  // train mode ignores and updates them
      return probe_loss(reference::batch_norm2d(x, gamma, beta, mean, var, {true, 0.1f, 1e-5f}).value(), r);
    };
    check_relative(grads->input, numeric_gradient(x, kNonlinearStep, loss), kNonlinearTolerance,
                   what + " grad input");
    check_relative(grads->weight, numeric_gradient(gamma, kNonlinearStep, loss), kNonlinearTolerance,
                   what + " grad gamma");
    check_relative(grads->bias, numeric_gradient(beta, kNonlinearStep, loss), kNonlinearTolerance,
                   what + " grad beta");

    // Fused with a ReLU: the same as relu's backward followed by batch norm's.
    Tensor mean2({shape[1]}), var2({shape[1]}, 1.0f);
    auto fused = train::batch_norm2d_train(x, gamma, beta, mean2, var2, {0.1f, 1e-5f, true});
    REQUIRE(fused.ok());
    CHECK(fused->output.values() == reference::relu(forward->output).values());
    auto masked = train::relu_backward(fused->output, r);
    REQUIRE(masked.ok());
    auto composed = train::batch_norm2d_backward(x, gamma, forward->saved, *masked);
    auto together = train::batch_norm2d_backward(x, gamma, fused->saved, r, &fused->output);
    REQUIRE(composed.ok());
    REQUIRE(together.ok());
    CHECK(together->input.values() == composed->input.values());
    CHECK(together->weight.values() == composed->weight.values());
    CHECK(together->bias.values() == composed->bias.values());
  }
}

TEST_CASE("relu backward matches central differences away from the kink") {
  std::mt19937 rng(14);
  Tensor x = random_tensor({2, 3, 4, 5}, rng);
  for (float& v : x.values())
    if (v > -0.1f && v < 0.1f) v += v >= 0.0f ? 0.2f : -0.2f;  // a step of 1e-2 must not cross 0
  const Tensor r = random_tensor(x.shape(), rng);
  auto grad = train::relu_backward(reference::relu(x), r);
  REQUIRE(grad.ok());
  const auto loss = [&] { return probe_loss(reference::relu(x), r); };
  check_relative(*grad, numeric_gradient(x, 1e-2, loss), kLinearTolerance, "relu");
}

TEST_CASE("concat backward splits the gradient; matches central differences") {
  std::mt19937 rng(15);
  Tensor a = random_tensor({2, 1, 3, 4}, rng);
  Tensor b = random_tensor({2, 3, 3, 4}, rng);
  Tensor c = random_tensor({2, 2, 3, 4}, rng);
  const auto join = [&] {
    const Tensor* parts[] = {&a, &b, &c};
    return reference::concat_channels(parts).value();
  };
  const Tensor r = random_tensor(join().shape(), rng);
  const std::vector<int64_t> channels = {1, 3, 2};
  auto grads = train::concat_channels_backward(r, channels);
  REQUIRE(grads.ok());
  REQUIRE(grads->size() == 3);
  const auto loss = [&] { return probe_loss(join(), r); };
  check_relative((*grads)[0], numeric_gradient(a, kLinearStep, loss), kLinearTolerance, "concat part 0");
  check_relative((*grads)[1], numeric_gradient(b, kLinearStep, loss), kLinearTolerance, "concat part 1");
  check_relative((*grads)[2], numeric_gradient(c, kLinearStep, loss), kLinearTolerance, "concat part 2");
}

TEST_CASE("embedding broadcast backward: shared rows add up, unused rows get zero") {
  std::mt19937 rng(16);
  Tensor table = random_tensor({5, 3}, rng);
  const std::vector<int64_t> categories = {2, 0, 2};  // row 2 twice, rows 1, 3, 4 unused
  const auto broadcast = [&] { return reference::embed_broadcast(table, categories, 3, 4).value(); };
  const Tensor r = random_tensor(broadcast().shape(), rng);
  auto grad = train::embed_broadcast_backward(r, categories, 5);
  REQUIRE(grad.ok());
  const auto loss = [&] { return probe_loss(broadcast(), r); };
  check_relative(*grad, numeric_gradient(table, kLinearStep, loss), kLinearTolerance, "embedding table");
  for (int64_t row : {1, 3, 4})
    for (int64_t d = 0; d < 3; ++d) CHECK((*grad)[row * 3 + d] == 0.0f);
}

TEST_CASE("mse loss: PyTorch's mean reduction, and its gradient matches central differences") {
  std::mt19937 rng(17);
  Tensor a = random_tensor({2, 2, 3, 3}, rng);
  const Tensor b = random_tensor({2, 2, 3, 3}, rng);
  auto loss = train::mse_loss(a, b);
  REQUIRE(loss.ok());
  double expected = 0.0;
  for (int64_t i = 0; i < a.numel(); ++i) expected += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  expected /= static_cast<double>(a.numel());
  CHECK(*loss == doctest::Approx(expected).epsilon(1e-6));
  auto grad = train::mse_loss_backward(a, b);
  REQUIRE(grad.ok());
  const auto value = [&] { return static_cast<double>(train::mse_loss(a, b).value()); };
  check_relative(*grad, numeric_gradient(a, kNonlinearStep, value), kNonlinearTolerance, "mse gradient");
  // Scaling by the incoming gradient.
  auto scaled = train::mse_loss_backward(a, b, 3.0f);
  REQUIRE(scaled.ok());
  for (int64_t i = 0; i < a.numel(); ++i) CHECK((*scaled)[i] == doctest::Approx(3.0 * (*grad)[i]));
}

TEST_CASE("chroma-weighted loss: PyTorch's numbers, central differences, and plain MSE at weight 0") {
  // p = torch.tensor([[[[1., 2.]], [[3., 4.]]]], requires_grad=True)
  // t = torch.tensor([[[[30., 0.]], [[40., -20.]]]]); k = 2.0
  // w = 1 + k * t.norm(dim=1, keepdim=True) / 100        -> [2.0, 1.4]
  // loss = (w * (p - t) ** 2).sum() / w.expand_as(p).sum()  -> 769.4117431640625
  // loss.backward(); p.grad -> [-17.0588226, 0.8235294, -21.7647037, 9.8823528]
  const Tensor p = Tensor::from_data({1, 2, 1, 2}, {1, 2, 3, 4}).value();
  const Tensor t = Tensor::from_data({1, 2, 1, 2}, {30, 0, 40, -20}).value();
  auto loss = train::chroma_weighted_loss(p, t, 2.0f);
  REQUIRE(loss.ok());
  CHECK(*loss == doctest::Approx(769.4117431640625).epsilon(1e-6));
  auto grad = train::chroma_weighted_loss_backward(p, t, 2.0f);
  REQUIRE(grad.ok());
  const float expected[] = {-17.058822631835938f, 0.8235293626785278f, -21.76470375061035f,
                            9.882352828979492f};
  for (int64_t i = 0; i < 4; ++i) CHECK((*grad)[i] == doctest::Approx(expected[i]).epsilon(1e-6));

  // Random batches: the gradient against central differences.
  std::mt19937 rng(23);
  Tensor a = random_tensor({2, 2, 3, 3}, rng);
  Tensor b = random_tensor({2, 2, 3, 3}, rng);
  for (float& v : b.values()) v *= 40.0f;  // chroma of tens, as in Lab
  auto g = train::chroma_weighted_loss_backward(a, b, 3.0f);
  REQUIRE(g.ok());
  const auto value = [&] { return static_cast<double>(train::chroma_weighted_loss(a, b, 3.0f).value()); };
  check_relative(*g, numeric_gradient(a, kNonlinearStep, value), kNonlinearTolerance,
                 "chroma-weighted gradient");

  // Weight 0 is the plain mean squared error.
  CHECK(train::chroma_weighted_loss(a, b, 0.0f).value() == doctest::Approx(train::mse_loss(a, b).value()));
  // Refused: a target that is not (N, 2, H, W), a negative or non-finite weight.
  const Tensor three({1, 3, 2, 2});
  auto channels = train::chroma_weighted_loss(three, three, 1.0f);
  REQUIRE_FALSE(channels.ok());
  CHECK(channels.message().find("(N, 2, H, W)") != std::string::npos);
  CHECK_FALSE(train::chroma_weighted_loss(a, b, -1.0f).ok());
  CHECK_FALSE(train::chroma_weighted_loss_backward(a, b, std::nanf("")).ok());
}

}  // namespace
}  // namespace convlab
