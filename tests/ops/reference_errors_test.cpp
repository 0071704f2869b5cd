// Bad shapes and settings give Errors that name the tensor, its shape and
// the shape that would be valid; nothing aborts.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/ops/reference.h"
#include "core/ops/trace.h"
#include "test_support.h"

using namespace convlab;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

template <class T>
std::string error_of(const Result<T>& result) {
  REQUIRE_FALSE(result.ok());
  return result.message();
}

}  // namespace

TEST_CASE("conv2d shape errors") {
  const Tensor input({1, 3, 5, 5});
  SUBCASE("input not rank 4") {
    const std::string msg = error_of(reference::conv2d(Tensor({3, 5, 5}), Tensor({2, 3, 3, 3}), nullptr, {}));
    CHECK(contains(msg, "conv2d input"));
    CHECK(contains(msg, "3x5x5"));
    CHECK(contains(msg, "4 dimensions"));
  }
  SUBCASE("weight channels differ from the input") {
    const std::string msg = error_of(reference::conv2d(input, Tensor({2, 4, 3, 3}), nullptr, {}));
    CAPTURE(msg);
    CHECK(contains(msg, "conv2d weight"));
    CHECK(contains(msg, "2x4x3x3"));
    CHECK(contains(msg, "3 channels"));
    CHECK(contains(msg, "expected shape 2x3x3x3"));
  }
  SUBCASE("bias of the wrong length") {
    const Tensor bias({3});
    const std::string msg = error_of(reference::conv2d(input, Tensor({2, 3, 3, 3}), &bias, {}));
    CHECK(contains(msg, "conv2d bias"));
    CHECK(contains(msg, "shape 2 "));
  }
  SUBCASE("an empty dimension") {
    const std::string msg =
        error_of(reference::conv2d(Tensor({1, 3, 0, 5}), Tensor({2, 3, 3, 3}), nullptr, {}));
    CHECK(contains(msg, "1x3x0x5"));
  }
  SUBCASE("impossible settings come from the conv arithmetic, prefixed with the op") {
    Conv2dParams p;
    p.stride_h = 0;
    const std::string msg = error_of(reference::conv2d(input, Tensor({2, 3, 3, 3}), nullptr, p));
    CHECK(contains(msg, "conv2d: stride (height) is 0"));
    const std::string big = error_of(reference::conv2d(input, Tensor({2, 3, 7, 3}), nullptr, {}));
    CHECK(contains(big, "covers 7 rows"));
  }
  SUBCASE("the trace gives the same errors") {
    const std::string msg = error_of(trace_conv2d(input, Tensor({2, 4, 3, 3}), nullptr, {}));
    CHECK(contains(msg, "expected shape 2x3x3x3"));
  }
}

TEST_CASE("conv_transpose2d shape errors") {
  const Tensor input({1, 3, 4, 4});
  SUBCASE("weight in channels differ from the input") {
    // A conv-style (out, in) weight is the classic mistake.
    const std::string msg = error_of(reference::conv_transpose2d(input, Tensor({2, 3, 4, 4}), nullptr, {}));
    CAPTURE(msg);
    CHECK(contains(msg, "conv_transpose2d weight"));
    CHECK(contains(msg, "2x3x4x4"));
    CHECK(contains(msg, "expected shape 3x3x4x4"));
    CHECK(contains(msg, "in channels x out channels"));
  }
  SUBCASE("bias of the wrong length") {
    const Tensor bias({3});
    const std::string msg = error_of(reference::conv_transpose2d(input, Tensor({3, 2, 4, 4}), &bias, {}));
    CHECK(contains(msg, "conv_transpose2d bias"));
  }
  SUBCASE("weight not rank 4") {
    const std::string msg = error_of(reference::conv_transpose2d(input, Tensor({3, 2, 4}), nullptr, {}));
    CHECK(contains(msg, "conv_transpose2d weight"));
    CHECK(contains(msg, "3x2x4"));
  }
  SUBCASE("output_padding too large") {
    ConvTranspose2dParams p;
    p.output_padding_h = 1;
    const std::string msg = error_of(reference::conv_transpose2d(input, Tensor({3, 2, 4, 4}), nullptr, p));
    CHECK(contains(msg, "conv_transpose2d: output_padding (height)"));
  }
  SUBCASE("the trace gives the same errors") {
    const std::string msg = error_of(trace_conv_transpose2d(input, Tensor({2, 3, 4, 4}), nullptr, {}));
    CHECK(contains(msg, "expected shape 3x3x4x4"));
  }
}

TEST_CASE("batch_norm2d shape and setting errors") {
  const Tensor input({2, 3, 4, 4});
  const Tensor good({3});
  Tensor mean({3}), var({3}, 1.0f);
  reference::BatchNormParams train;
  train.training = true;
  SUBCASE("each vector is named") {
    const Tensor bad({4});
    Tensor bad_mean({4});
    CHECK(contains(error_of(reference::batch_norm2d(input, bad, good, mean, var, {})), "weight (gamma)"));
    CHECK(contains(error_of(reference::batch_norm2d(input, good, bad, mean, var, {})), "bias (beta)"));
    const std::string msg = error_of(reference::batch_norm2d(input, good, good, bad_mean, var, {}));
    CHECK(contains(msg, "running_mean"));
    CHECK(contains(msg, "must have shape 3 but has 4"));
    CHECK(contains(error_of(reference::batch_norm2d(input, good, good, mean, bad_mean, {})), "running_var"));
  }
  SUBCASE("input not rank 4") {
    CHECK(contains(error_of(reference::batch_norm2d(Tensor({3, 4}), good, good, mean, var, {})),
                   "batch_norm input"));
  }
  SUBCASE("training needs more than one value per channel, as in PyTorch") {
    const std::string msg =
        error_of(reference::batch_norm2d(Tensor({1, 3, 1, 1}), good, good, mean, var, train));
    CHECK(contains(msg, "N*H*W = 1"));
    CHECK(contains(msg, "eval mode"));
    // Eval is fine with one value.
    CHECK(reference::batch_norm2d(Tensor({1, 3, 1, 1}), good, good, mean, var, {}).ok());
  }
  SUBCASE("bad eps and momentum") {
    reference::BatchNormParams p;
    p.eps = -1.0f;
    CHECK(contains(error_of(reference::batch_norm2d(input, good, good, mean, var, p)), "eps"));
    p = {};
    p.momentum = 1.5f;
    CHECK(contains(error_of(reference::batch_norm2d(input, good, good, mean, var, p)), "momentum"));
  }
  SUBCASE("a failed call leaves the running statistics untouched") {
    Tensor m({3}, 0.5f), v({3}, 2.0f);
    const Tensor bad({4});
    CHECK_FALSE(reference::batch_norm2d(input, bad, good, m, v, train).ok());
    CHECK(m.values() == std::vector<float>(3, 0.5f));
    CHECK(v.values() == std::vector<float>(3, 2.0f));
  }
  SUBCASE("the trace gives the same errors") {
    const Tensor bad({4});
    CHECK(contains(error_of(trace_batch_norm2d(input, good, bad, mean, var, {})), "bias (beta)"));
  }
}

TEST_CASE("batch norm statistics") {
  auto input = Tensor::from_data({2, 1, 1, 2}, {1, 2, 3, 6});
  REQUIRE(input.ok());
  auto stats = reference::batch_norm_statistics(*input);
  REQUIRE(stats.ok());
  CHECK(stats->count == 4);
  CHECK(stats->mean[0] == 3.0f);
  CHECK(stats->biased_var[0] == 3.5f);  // (4 + 1 + 0 + 9) / 4
  CHECK(stats->unbiased_var[0] == doctest::Approx(14.0 / 3.0));
  // The running update is PyTorch's: (1 - m) * running + m * batch.
  CHECK(reference::batch_norm_running_update(1.0f, 3.0f, 0.1f) == doctest::Approx(1.2));
}

TEST_CASE("concat, embed and upsample errors") {
  SUBCASE("concat with no inputs, a null input, or mismatched N/H/W") {
    CHECK(contains(error_of(reference::concat_channels({})), "at least one"));
    const Tensor a({1, 2, 4, 4});
    const std::vector<const Tensor*> with_null = {&a, nullptr};
    CHECK(contains(error_of(reference::concat_channels(with_null)), "input 1 is missing"));
    const Tensor b({1, 3, 4, 5});
    const std::vector<const Tensor*> mismatched = {&a, &b};
    const std::string msg = error_of(reference::concat_channels(mismatched));
    CAPTURE(msg);
    CHECK(contains(msg, "concat input 1 has shape 1x3x4x5"));
    CHECK(contains(msg, "1x2x4x4"));
    CHECK(contains(msg, "expected 1x3x4x4"));
  }
  SUBCASE("embed with a category outside the table") {
    const Tensor table({8, 10});
    const std::vector<int64_t> categories = {1, 8};
    const std::string msg = error_of(reference::embed_broadcast(table, categories, 4, 4));
    CHECK(contains(msg, "category 8 (batch item 1)"));
    CHECK(contains(msg, "0..7"));
    const std::vector<int64_t> negative = {-1};
    CHECK(contains(error_of(reference::embed_broadcast(table, negative, 4, 4)), "category -1"));
    const std::vector<int64_t> fine = {0};
    CHECK(contains(error_of(reference::embed_broadcast(Tensor({8}), fine, 4, 4)), "rows x dim"));
    CHECK(contains(error_of(reference::embed_broadcast(table, fine, 0, 4)), "0x4"));
    CHECK(contains(error_of(reference::embed_broadcast(table, {}, 4, 4)), "at least one category"));
  }
  SUBCASE("upsample to an empty size or from a non-NCHW tensor") {
    CHECK(contains(error_of(reference::upsample_bilinear(Tensor({1, 1, 4, 4}), 0, 3)), "0x3"));
    CHECK(contains(error_of(reference::upsample_bilinear(Tensor({4, 4}), 3, 3)), "upsample_bilinear input"));
  }
}

TEST_CASE("relu keeps NaN and zeroes negatives") {
  auto input = Tensor::from_data({1, 1, 1, 4}, {-1.0f, 0.0f, 2.5f, std::numeric_limits<float>::quiet_NaN()});
  REQUIRE(input.ok());
  const Tensor out = reference::relu(*input);
  CHECK(out[0] == 0.0f);
  CHECK(out[1] == 0.0f);
  CHECK(out[2] == 2.5f);
  CHECK(std::isnan(out[3]));
}

TEST_CASE("upsample of the same size is the identity") {
  Tensor input({1, 2, 3, 5});
  for (int64_t i = 0; i < input.numel(); ++i) input[i] = static_cast<float>(i) * 0.37f - 2.0f;
  auto out = reference::upsample_bilinear(input, 3, 5);
  REQUIRE(out.ok());
  CHECK(out->values() == input.values());
}
