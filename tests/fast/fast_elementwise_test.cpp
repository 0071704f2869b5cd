// The fast path's ReLU and same-shape elementwise ops against the one
// definition (reference::binary, reference::relu): bit for bit, NaN, signed
// zeros and infinities included, with and without the fused ReLU.
#include "core/fast/fast_elementwise.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/ops/reference.h"
#include "core/ops/tensor_ops.h"
#include "test_support.h"

namespace convlab {
namespace {

Tensor numbers(Shape shape, uint32_t seed) {
  Tensor t = testing::sequence_tensor(std::move(shape), seed);
  // The awkward values, at places the two operands do not share.
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(), -0.0f, 0.0f,
                            std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  for (int k = 0; k < 5; ++k) t[(seed * 7 + static_cast<uint32_t>(k) * 13) % t.numel()] = specials[k];
  return t;
}

int64_t differing_bits(const Tensor& a, const Tensor& b) {
  int64_t differ = 0;
  for (int64_t i = 0; i < a.numel(); ++i) differ += testing::same_bits(a[i], b[i]) ? 0 : 1;
  return differ;
}

TEST_CASE("fast elementwise ops give the reference's values bit for bit, with the ReLU fused or not") {
  // Big enough (2 x 64 x 24 x 24) to be shared between the threads.
  const Tensor a = numbers({2, 64, 24, 24}, 11);
  const Tensor b = numbers({2, 64, 24, 24}, 5);
  using reference::BinaryOp;
  for (BinaryOp op : {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::PRelu})
    for (bool relu : {false, true}) {
      CAPTURE(reference::binary_op_name(op));
      CAPTURE(relu);
      auto want = reference::binary(op, a, b);
      REQUIRE(want.ok());
      const Tensor expected = relu ? reference::relu(*want) : *want;
      auto got = fast::binary_same_shape(op, a, b, relu);
      REQUIRE(got.ok());
      REQUIRE(got->shape() == expected.shape());
      CHECK(differing_bits(*got, expected) == 0);
    }
}

TEST_CASE("fast ReLU is the reference's, NaN and -0 passing through") {
  const Tensor x = numbers({1, 3, 50, 70}, 9);
  const Tensor got = fast::relu(x);
  CHECK(differing_bits(got, reference::relu(x)) == 0);
  int64_t negative = 0;
  for (float v : got.values()) negative += v < 0.0f ? 1 : 0;
  CHECK(negative == 0);
}

TEST_CASE("the fast elementwise path names both shapes when they differ") {
  auto r = fast::binary_same_shape(reference::BinaryOp::Add, Tensor({1, 2, 3, 3}), Tensor({1, 2, 1, 1}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("1x2x3x3") != std::string::npos);
  CHECK(r.error().message.find("1x2x1x1") != std::string::npos);
}

}  // namespace
}  // namespace convlab
