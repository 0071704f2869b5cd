// The training convolutions (batched im2col / col2im + sgemm) against plain
// loops: random shapes from fixed seeds (a failure names its seed and
// shape), on 1 and 2 threads, with the default scratch budget (several
// images per matrix product) and tiny ones (one grid row per product).
// Also the train-mode batch norm against reference.h's.
//
// Tolerance 1e-5 relative to the largest value: float sums of at most a few
// hundred products against double ones (measured ~1e-7).
#include <doctest/doctest.h>

#include <sstream>
#include <tuple>
#include <vector>

#include "core/fast/fast_ops.h"
#include "core/ops/reference.h"
#include "core/train/backward.h"
#include "core/train/conv_matrix.h"
#include "core/train/forward.h"
#include "core/train/reference_backward.h"
#include "train_test_support.h"

namespace convlab {
namespace {

using testing::check_relative;
using testing::random_tensor;

constexpr float kTolerance = 1e-5f;

// Restores the pool size and the scratch budget at the end of a test.
struct Settings {
  int threads = fast::threads();
  ~Settings() {
    fast::set_threads(threads);
    train::detail::set_scratch_budget_for_testing(0);
  }
};

struct Setting {
  int threads;
  int64_t budget;  // 0: default
};
const Setting kSettings[] = {{1, 0}, {2, 0}, {2, 1}, {1, 300}, {2, 300}};

int pick(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

TEST_CASE("conv2d forward and backward: batched matrices vs plain loops on random shapes") {
  Settings restore;
  int checked = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    const int64_t n = pick(rng, 1, 5), c = pick(rng, 1, 5), o = pick(rng, 1, 6);
    const int64_t h = pick(rng, 1, 12), w = pick(rng, 1, 12);
    const int kh = pick(rng, 1, 4), kw = pick(rng, 1, 4);
    Conv2dParams p;
    p.stride_h = pick(rng, 1, 3);
    p.stride_w = pick(rng, 1, 3);
    p.dilation_h = pick(rng, 1, 2);
    p.dilation_w = pick(rng, 1, 2);
    p.padding = {pick(rng, 0, 2), pick(rng, 0, 2), pick(rng, 0, 2), pick(rng, 0, 2)};
    if (!conv2d_output_size({int(h), int(w)}, {kh, kw}, p).ok()) continue;
    std::ostringstream what;
    what << "seed " << seed << ": input " << n << "x" << c << "x" << h << "x" << w << " out " << o
         << " kernel " << kh << "x" << kw << " stride " << p.stride_h << "," << p.stride_w << " padding t"
         << p.padding.top << " b" << p.padding.bottom << " l" << p.padding.left << " r" << p.padding.right
         << " dilation " << p.dilation_h << "," << p.dilation_w;
    const Tensor x = random_tensor({n, c, h, w}, rng);
    const Tensor weight = random_tensor({o, c, kh, kw}, rng);
    const Tensor bias = random_tensor({o}, rng);
    const Tensor y = reference::conv2d(x, weight, &bias, p).value();
    const Tensor dy = random_tensor(y.shape(), rng);
    const train::ConvGrads expected = train::reference::conv2d_backward(x, weight, dy, p).value();
    for (const Setting& s : kSettings) {
      fast::set_threads(s.threads);
      train::detail::set_scratch_budget_for_testing(s.budget);
      const std::string where =
          what.str() + " threads " + std::to_string(s.threads) + " budget " + std::to_string(s.budget);
      auto forward = train::conv2d(x, weight, &bias, p);
      auto grads = train::conv2d_backward(x, weight, dy, p);
      REQUIRE_MESSAGE(forward.ok(), where);
      REQUIRE_MESSAGE(grads.ok(), where);
      check_relative(*forward, y, kTolerance, where + " forward");
      check_relative(grads->input, expected.input, kTolerance, where + " grad input");
      check_relative(grads->weight, expected.weight, kTolerance, where + " grad weight");
      check_relative(grads->bias, expected.bias, kTolerance, where + " grad bias");
    }
    ++checked;
  }
  CHECK(checked >= 30);
}

TEST_CASE("conv_transpose2d forward and backward: batched matrices vs plain loops on random shapes") {
  Settings restore;
  int checked = 0;
  for (uint32_t seed = 101; seed <= 160; ++seed) {
    std::mt19937 rng(seed);
    const int64_t n = pick(rng, 1, 5), c = pick(rng, 1, 5), o = pick(rng, 1, 6);
    const int64_t h = pick(rng, 1, 7), w = pick(rng, 1, 7);
    const int kh = pick(rng, 1, 4), kw = pick(rng, 1, 4);
    ConvTranspose2dParams p;
    p.stride_h = pick(rng, 1, 3);
    p.stride_w = pick(rng, 1, 3);
    p.dilation_h = pick(rng, 1, 2);
    p.dilation_w = pick(rng, 1, 2);
    p.padding_h = pick(rng, 0, 2);
    p.padding_w = pick(rng, 0, 2);
    p.output_padding_h = pick(rng, 0, std::max(p.stride_h, p.dilation_h) - 1);
    p.output_padding_w = pick(rng, 0, std::max(p.stride_w, p.dilation_w) - 1);
    if (!conv_transpose2d_output_size({int(h), int(w)}, {kh, kw}, p).ok()) continue;
    std::ostringstream what;
    what << "seed " << seed << ": input " << n << "x" << c << "x" << h << "x" << w << " out " << o
         << " kernel " << kh << "x" << kw << " stride " << p.stride_h << "," << p.stride_w << " padding "
         << p.padding_h << "," << p.padding_w << " output_padding " << p.output_padding_h << ","
         << p.output_padding_w << " dilation " << p.dilation_h << "," << p.dilation_w;
    const Tensor x = random_tensor({n, c, h, w}, rng);
    const Tensor weight = random_tensor({c, o, kh, kw}, rng);
    const Tensor bias = random_tensor({o}, rng);
    const Tensor y = reference::conv_transpose2d(x, weight, &bias, p).value();
    const Tensor dy = random_tensor(y.shape(), rng);
    const train::ConvGrads expected = train::reference::conv_transpose2d_backward(x, weight, dy, p).value();
    for (const Setting& s : kSettings) {
      fast::set_threads(s.threads);
      train::detail::set_scratch_budget_for_testing(s.budget);
      const std::string where =
          what.str() + " threads " + std::to_string(s.threads) + " budget " + std::to_string(s.budget);
      auto forward = train::conv_transpose2d(x, weight, &bias, p);
      auto grads = train::conv_transpose2d_backward(x, weight, dy, p);
      REQUIRE_MESSAGE(forward.ok(), where);
      REQUIRE_MESSAGE(grads.ok(), where);
      check_relative(*forward, y, kTolerance, where + " forward");
      check_relative(grads->input, expected.input, kTolerance, where + " grad input");
      check_relative(grads->weight, expected.weight, kTolerance, where + " grad weight");
      check_relative(grads->bias, expected.bias, kTolerance, where + " grad bias");
    }
    ++checked;
  }
  CHECK(checked >= 30);
}

TEST_CASE("ECNN's layers at batch 4: batched matrices vs plain loops") {
  Settings restore;
  std::mt19937 rng(7);
  // conv 4x4 stride 2 padding 1, the dilated bottleneck conv, the 4x4 stride 2 transposed conv.
  const Tensor x1 = random_tensor({4, 11, 16, 16}, rng);
  const Tensor w1 = random_tensor({32, 11, 4, 4}, rng);
  const Conv2dParams down{2, 2, {1, 1, 1, 1}, 1, 1};
  const Tensor x2 = random_tensor({4, 24, 4, 4}, rng);
  const Tensor w2 = random_tensor({24, 24, 4, 4}, rng);
  const Conv2dParams dilated{1, 1, {3, 3, 3, 3}, 2, 2};
  const Tensor x3 = random_tensor({4, 26, 4, 4}, rng);
  const Tensor w3 = random_tensor({26, 12, 4, 4}, rng);
  const ConvTranspose2dParams up{2, 2, 1, 1, 0, 0, 1, 1};
  for (int threads : {1, 2}) {
    fast::set_threads(threads);
    const std::string t = " threads " + std::to_string(threads);
    for (const auto& [x, w, p, what] :
         {std::tuple{&x1, &w1, down, "conv1"}, std::tuple{&x2, &w2, dilated, "dilat"}}) {
      const Tensor dy = random_tensor(reference::conv2d(*x, *w, nullptr, p).value().shape(), rng);
      const auto expected = train::reference::conv2d_backward(*x, *w, dy, p).value();
      const auto grads = train::conv2d_backward(*x, *w, dy, p).value();
      check_relative(grads.input, expected.input, kTolerance, std::string(what) + t + " grad input");
      check_relative(grads.weight, expected.weight, kTolerance, std::string(what) + t + " grad weight");
    }
    const Tensor dy = random_tensor(reference::conv_transpose2d(x3, w3, nullptr, up).value().shape(), rng);
    const auto expected = train::reference::conv_transpose2d_backward(x3, w3, dy, up).value();
    const auto grads = train::conv_transpose2d_backward(x3, w3, dy, up).value();
    check_relative(grads.input, expected.input, kTolerance, "tconv" + t + " grad input");
    check_relative(grads.weight, expected.weight, kTolerance, "tconv" + t + " grad weight");
  }
}

TEST_CASE("without want_input the conv backward skips the input gradient and keeps the others") {
  std::mt19937 rng(8);
  const Tensor x = random_tensor({2, 3, 6, 6}, rng);
  const Tensor w = random_tensor({4, 3, 3, 3}, rng);
  const Conv2dParams p{1, 1, {1, 1, 1, 1}, 1, 1};
  const Tensor dy = random_tensor({2, 4, 6, 6}, rng);
  const auto all = train::conv2d_backward(x, w, dy, p).value();
  const auto params_only = train::conv2d_backward(x, w, dy, p, false).value();
  CHECK(params_only.input.empty());
  CHECK(params_only.weight.values() == all.weight.values());
  CHECK(params_only.bias.values() == all.bias.values());
}

TEST_CASE("batch norm training forward matches reference.h: output and running statistics") {
  Settings restore;
  std::mt19937 rng(9);
  for (const Shape& shape :
       {Shape{4, 6, 5, 7}, Shape{2, 40, 2, 2}, Shape{1, 3, 1, 2}, Shape{8, 64, 16, 16}}) {
    for (int threads : {1, 2}) {
      fast::set_threads(threads);
      const std::string what = "input " + shape_to_string(shape) + " threads " + std::to_string(threads);
      const Tensor x = random_tensor(shape, rng, -1.0f, 3.0f);
      const Tensor gamma = random_tensor({shape[1]}, rng, 0.5f, 1.5f);
      const Tensor beta = random_tensor({shape[1]}, rng);
      Tensor mean = random_tensor({shape[1]}, rng), var = random_tensor({shape[1]}, rng, 0.5f, 1.5f);
      Tensor ref_mean = mean, ref_var = var;
      auto ours = train::batch_norm2d_train(x, gamma, beta, mean, var, {0.1f, 1e-5f, false});
      auto ref = reference::batch_norm2d(x, gamma, beta, ref_mean, ref_var, {true, 0.1f, 1e-5f});
      REQUIRE(ours.ok());
      REQUIRE(ref.ok());
      check_relative(ours->output, *ref, kTolerance, what + " output");
      CHECK_MESSAGE(max_abs_difference(mean, ref_mean) <= 1e-6f, what);
      CHECK_MESSAGE(max_abs_difference(var, ref_var) <= 1e-6f, what);
      const auto stats = reference::batch_norm_statistics(x).value();
      for (int64_t c = 0; c < shape[1]; ++c) {
        CHECK(ours->saved.mean[static_cast<size_t>(c)] ==
              doctest::Approx(stats.mean[static_cast<size_t>(c)]));
        CHECK(
            ours->saved.inv_std[static_cast<size_t>(c)] ==
            doctest::Approx(reference::batch_norm_inv_std(stats.biased_var[static_cast<size_t>(c)], 1e-5f)));
      }
    }
  }
}

}  // namespace
}  // namespace convlab
