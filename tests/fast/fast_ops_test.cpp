// The fast path against the reference ops: random shapes from fixed seeds
// (so a failure reproduces), the ECNN layers, the fused epilogue, output
// slots with guard channels, and the errors bad input must give.
#include "core/fast/fast_ops.h"

#include <doctest/doctest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/fast/winograd.h"
#include "core/ops/reference.h"
#include "test_support.h"

namespace convlab {
namespace {

// Written around the slot; a changed guard means an out-of-bounds write.
constexpr float kGuard = -7777.0f;
constexpr float kTolerance = 1e-5f;

Tensor random_tensor(Shape shape, std::mt19937& rng) {
  Tensor t(std::move(shape));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.values()) v = dist(rng);
  return t;
}

std::vector<float> random_vector(int64_t n, float lo, float hi, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

struct EpilogueCase {
  bool bias = false;
  bool scale = false;
  bool shift = false;
  bool relu = false;
};

// What the fast epilogue promises, written plainly: act((x) * scale + shift),
// x already including the bias.
Tensor apply_reference_epilogue(Tensor t, const fast::Epilogue& e) {
  const int64_t plane = t.h() * t.w();
  for (int64_t n = 0; n < t.n(); ++n) {
    for (int64_t c = 0; c < t.c(); ++c) {
      float* p = t.data() + t.offset(n, c, 0, 0);
      for (int64_t i = 0; i < plane; ++i) {
        float v = p[i];
        if (!e.scale.empty()) v *= e.scale[static_cast<size_t>(c)];
        if (!e.shift.empty()) v += e.shift[static_cast<size_t>(c)];
        if (e.relu && v < 0.0f) v = 0.0f;
        p[i] = v;
      }
    }
  }
  return t;
}

// Copies channels [offset, offset + c) of `slot` into a tensor of its own.
Tensor slice_channels(const Tensor& slot, int64_t offset, int64_t c) {
  Tensor out({slot.n(), c, slot.h(), slot.w()});
  const int64_t plane = slot.h() * slot.w();
  for (int64_t n = 0; n < slot.n(); ++n) {
    for (int64_t ch = 0; ch < c; ++ch) {
      const float* src = slot.data() + slot.offset(n, offset + ch, 0, 0);
      std::copy(src, src + plane, out.data() + out.offset(n, ch, 0, 0));
    }
  }
  return out;
}

// Counts guard values that changed outside channels [offset, offset + c).
int64_t damaged_guards(const Tensor& slot, int64_t offset, int64_t c) {
  int64_t damaged = 0;
  const int64_t plane = slot.h() * slot.w();
  for (int64_t n = 0; n < slot.n(); ++n) {
    for (int64_t ch = 0; ch < slot.c(); ++ch) {
      if (ch >= offset && ch < offset + c) continue;
      const float* p = slot.data() + slot.offset(n, ch, 0, 0);
      for (int64_t i = 0; i < plane; ++i) damaged += p[i] != kGuard ? 1 : 0;
    }
  }
  return damaged;
}

struct Common {
  int64_t n = 1, c = 1, h = 1, w = 1, o = 1, kh = 1, kw = 1;
  EpilogueCase epilogue;
  int64_t guard_before = 0, guard_after = 0;  // extra slot channels
};

std::string describe(const Common& k) {
  std::ostringstream s;
  s << "N=" << k.n << " C=" << k.c << " H=" << k.h << " W=" << k.w << " O=" << k.o << " K=" << k.kh << "x"
    << k.kw << " bias=" << k.epilogue.bias << " scale=" << k.epilogue.scale << " shift=" << k.epilogue.shift
    << " relu=" << k.epilogue.relu << " slot guards=" << k.guard_before << "+" << k.guard_after;
  return s.str();
}

std::string describe(const Conv2dParams& p) {
  std::ostringstream s;
  s << " stride=" << p.stride_h << "," << p.stride_w << " pad(t,b,l,r)=" << p.padding.top << ","
    << p.padding.bottom << "," << p.padding.left << "," << p.padding.right << " dilation=" << p.dilation_h
    << "," << p.dilation_w << " groups=" << p.groups;
  return s.str();
}

std::string describe(const ConvTranspose2dParams& p) {
  std::ostringstream s;
  s << " stride=" << p.stride_h << "," << p.stride_w << " pad=" << p.padding_h << "," << p.padding_w
    << " output_padding=" << p.output_padding_h << "," << p.output_padding_w << " dilation=" << p.dilation_h
    << "," << p.dilation_w << " groups=" << p.groups;
  return s.str();
}

// Holds the epilogue's vectors alive for the fast::Epilogue spans.
struct EpilogueData {
  std::vector<float> scale, shift;
  fast::Epilogue view;
};

EpilogueData make_epilogue(const EpilogueCase& e, int64_t o, std::mt19937& rng) {
  EpilogueData d;
  if (e.scale) d.scale = random_vector(o, -2.0f, 2.0f, rng);
  if (e.shift) d.shift = random_vector(o, -0.5f, 0.5f, rng);
  d.view.scale = d.scale;
  d.view.shift = d.shift;
  d.view.relu = e.relu;
  return d;
}

// Runs the fast op into a guarded slot and compares with the reference.
template <class Params, class FastInto, class Reference>
void check_case(const Common& k, const Params& params, const Shape& weight_shape, uint32_t seed,
                FastInto fast_into, Reference reference_op) {
  const std::string what = describe(k) + describe(params) + " seed=" + std::to_string(seed);
  INFO(what);
  std::mt19937 rng(seed);
  const Tensor input = random_tensor({k.n, k.c, k.h, k.w}, rng);
  const Tensor weight = random_tensor(weight_shape, rng);
  const Tensor bias = random_tensor({k.o}, rng);
  const Tensor* bias_ptr = k.epilogue.bias ? &bias : nullptr;
  const EpilogueData epilogue = make_epilogue(k.epilogue, k.o, rng);

  auto expected = reference_op(input, weight, bias_ptr, params);
  REQUIRE_MESSAGE(expected.ok(), (expected.ok() ? std::string() : expected.message()));
  const Tensor reference = apply_reference_epilogue(*expected, epilogue.view);

  Tensor slot({k.n, k.guard_before + k.o + k.guard_after, reference.h(), reference.w()}, kGuard);
  const auto status = fast_into(input, weight, bias_ptr, params, epilogue.view,
                                fast::OutputSlot{&slot, static_cast<int>(k.guard_before)});
  REQUIRE_MESSAGE(status.ok(), (status.ok() ? std::string() : status.message()));
  testing::check_close(slice_channels(slot, k.guard_before, k.o), reference, kTolerance, what);
  CHECK_MESSAGE(damaged_guards(slot, k.guard_before, k.o) == 0, "guard channels were written");
}

// Weights (O, C/groups, KH, KW) and, transposed, (C, O/groups, KH, KW).
void check_conv2d(const Common& k, const Conv2dParams& p, uint32_t seed) {
  check_case(k, p, {k.o, k.c / p.groups, k.kh, k.kw}, seed, fast::conv2d_into, reference::conv2d);
}

void check_conv_transpose2d(const Common& k, const ConvTranspose2dParams& p, uint32_t seed) {
  check_case(k, p, {k.c, k.o / p.groups, k.kh, k.kw}, seed, fast::conv_transpose2d_into,
             reference::conv_transpose2d);
}

template <class T>
T pick(std::mt19937& rng, std::initializer_list<T> values) {
  std::uniform_int_distribution<size_t> dist(0, values.size() - 1);
  return *(values.begin() + dist(rng));
}

Common random_common(std::mt19937& rng) {
  Common k;
  k.n = pick<int64_t>(rng, {1, 1, 2, 3});
  k.c = pick<int64_t>(rng, {1, 2, 3, 5, 16, 33});
  k.o = pick<int64_t>(rng, {1, 2, 4, 7, 32});
  k.h = pick<int64_t>(rng, {1, 2, 7, 13, 16, 21});
  k.w = pick<int64_t>(rng, {1, 3, 7, 13, 16, 24});
  k.kh = pick<int64_t>(rng, {1, 2, 3, 4, 7});
  k.kw = pick<int64_t>(rng, {1, 3, 4, 5});
  k.epilogue = {pick(rng, {false, true}), pick(rng, {false, true}), pick(rng, {false, true}),
                pick(rng, {false, true})};
  k.guard_before = pick<int64_t>(rng, {0, 0, 1, 3});
  k.guard_after = pick<int64_t>(rng, {0, 0, 2});
  return k;
}

Conv2dParams conv2d_params(int s, int p, int d, int groups = 1) {
  Conv2dParams params;
  params.stride_h = params.stride_w = s;
  params.padding = {p, p, p, p};
  params.dilation_h = params.dilation_w = d;
  params.groups = groups;
  return params;
}

ConvTranspose2dParams transposed_params(int s, int p, int d, int output_padding = 0, int groups = 1) {
  ConvTranspose2dParams params;
  params.stride_h = params.stride_w = s;
  params.padding_h = params.padding_w = p;
  params.dilation_h = params.dilation_w = d;
  params.output_padding_h = params.output_padding_w = output_padding;
  params.groups = groups;
  return params;
}

TEST_CASE("fast conv2d matches the reference on random shapes") {
  int checked = 0;
  for (uint32_t seed = 1; checked < 150 && seed < 2000; ++seed) {
    std::mt19937 rng(seed);
    const Common k = random_common(rng);
    Conv2dParams p;
    p.stride_h = pick(rng, {1, 1, 2, 3});
    p.stride_w = pick(rng, {1, 2, 3});
    p.dilation_h = pick(rng, {1, 1, 2, 3});
    p.dilation_w = pick(rng, {1, 2});
    p.padding = {pick(rng, {0, 1, 2}), pick(rng, {0, 1, 3}), pick(rng, {0, 1}), pick(rng, {0, 2})};
    const Size2d in{static_cast<int>(k.h), static_cast<int>(k.w)};
    if (!conv2d_output_size(in, {static_cast<int>(k.kh), static_cast<int>(k.kw)}, p).ok()) continue;
    check_conv2d(k, p, seed);
    ++checked;
  }
  CHECK(checked == 150);
}

TEST_CASE("fast conv_transpose2d matches the reference on random shapes") {
  int checked = 0;
  for (uint32_t seed = 1; checked < 150 && seed < 2000; ++seed) {
    std::mt19937 rng(seed + 100000);
    const Common k = random_common(rng);
    ConvTranspose2dParams p;
    p.stride_h = pick(rng, {1, 2, 2, 3});
    p.stride_w = pick(rng, {1, 2, 3});
    p.dilation_h = pick(rng, {1, 1, 2, 3});
    p.dilation_w = pick(rng, {1, 2});
    p.padding_h = pick(rng, {0, 1, 2});
    p.padding_w = pick(rng, {0, 1, 3});
    p.output_padding_h = pick(rng, {0, 0, 1, 2});
    p.output_padding_w = pick(rng, {0, 1});
    const Size2d in{static_cast<int>(k.h), static_cast<int>(k.w)};
    if (!conv_transpose2d_output_size(in, {static_cast<int>(k.kh), static_cast<int>(k.kw)}, p).ok()) continue;
    check_conv_transpose2d(k, p, seed + 100000);
    ++checked;
  }
  CHECK(checked == 150);
}

TEST_CASE("fast conv2d: special shapes") {
  const EpilogueCase full{true, true, true, true};
  SUBCASE("1x1 stride 1 (no im2col), batch 2, slot offset") {
    check_conv2d({2, 33, 7, 13, 5, 1, 1, full, 2, 1}, conv2d_params(1, 0, 1), 11);
  }
  SUBCASE("1x1 with padding and stride") {
    check_conv2d({1, 4, 7, 7, 3, 1, 1, full, 0, 0}, conv2d_params(2, 1, 1), 12);
  }
  SUBCASE("7x7 kernel, odd size") {
    check_conv2d({1, 3, 13, 13, 8, 7, 7, {true}, 0, 0}, conv2d_params(2, 3, 1), 13);
  }
  SUBCASE("1x1 image") { check_conv2d({3, 2, 1, 1, 4, 3, 3, full, 1, 1}, conv2d_params(1, 1, 1), 14); }
  SUBCASE("kernel as large as the padded input") {
    check_conv2d({1, 2, 3, 3, 2, 5, 5, {}, 0, 0}, conv2d_params(1, 1, 1), 15);
  }
  SUBCASE("asymmetric padding") {
    Conv2dParams p;
    p.padding = {0, 2, 3, 1};
    check_conv2d({2, 3, 7, 9, 4, 3, 3, full, 0, 3}, p, 16);
  }
  SUBCASE("ECNN conv1 at 32x32") {
    check_conv2d({1, 11, 32, 32, 32, 4, 4, full, 0, 0}, conv2d_params(2, 1, 1), 17);
  }
  SUBCASE("ECNN dilated conv at 4x4") {
    check_conv2d({1, 256, 4, 4, 256, 4, 4, full, 0, 10}, conv2d_params(1, 3, 2), 18);
  }
  SUBCASE("ECNN final conv at 16x16") {
    check_conv2d({1, 3, 16, 16, 2, 3, 3, {true}, 0, 0}, conv2d_params(1, 1, 1), 19);
  }
}

TEST_CASE("fast conv_transpose2d: special shapes") {
  const EpilogueCase full{true, true, true, true};
  SUBCASE("ECNN tconv3 into a concat slot") {
    check_conv_transpose2d({1, 266, 2, 2, 128, 4, 4, full, 0, 128}, transposed_params(2, 1, 1), 21);
  }
  SUBCASE("ECNN tconv0, batch 2") {
    check_conv_transpose2d({2, 64, 16, 16, 2, 4, 4, full, 0, 1}, transposed_params(2, 1, 1), 22);
  }
  SUBCASE("1x1 kernel") {
    check_conv_transpose2d({1, 5, 7, 7, 3, 1, 1, full, 1, 0}, transposed_params(1, 0, 1), 23);
  }
  SUBCASE("7x7 kernel, stride 3, output padding 2") {
    check_conv_transpose2d({1, 3, 13, 7, 4, 7, 7, {true}, 0, 0}, transposed_params(3, 2, 1, 2), 24);
  }
  SUBCASE("padding crops most of the output") {
    check_conv_transpose2d({1, 2, 3, 3, 2, 3, 3, {true}, 0, 0}, transposed_params(1, 2, 1), 25);
  }
  SUBCASE("output padding reaches past every tap (bias only there)") {
    check_conv_transpose2d({1, 2, 1, 1, 3, 1, 1, full, 0, 0}, transposed_params(3, 0, 1, 2), 26);
  }
  SUBCASE("dilation 3 with output padding") {
    check_conv_transpose2d({2, 4, 5, 6, 3, 3, 2, full, 2, 2}, transposed_params(1, 1, 3, 2), 27);
  }
}

// Grouped convs: groups dividing both channel counts, 1 input channel per
// group (depthwise) up to 3, with random epilogues and guarded slots.
Common random_grouped_common(std::mt19937& rng, int64_t& groups) {
  Common k = random_common(rng);
  groups = pick<int64_t>(rng, {2, 3, 4, 8, 16});
  k.c = groups * pick<int64_t>(rng, {1, 1, 2, 3});
  k.o = groups * pick<int64_t>(rng, {1, 1, 2, 3});
  return k;
}

TEST_CASE("fast grouped conv2d matches the reference on random shapes") {
  int checked = 0, depthwise = 0;
  for (uint32_t seed = 1; checked < 100 && seed < 2000; ++seed) {
    std::mt19937 rng(seed + 200000);
    int64_t groups = 1;
    const Common k = random_grouped_common(rng, groups);
    Conv2dParams p;
    p.groups = static_cast<int>(groups);
    p.stride_h = pick(rng, {1, 1, 2, 3});
    p.stride_w = pick(rng, {1, 2, 3});
    p.dilation_h = pick(rng, {1, 1, 2, 3});
    p.dilation_w = pick(rng, {1, 2});
    p.padding = {pick(rng, {0, 1, 2}), pick(rng, {0, 1, 3}), pick(rng, {0, 1}), pick(rng, {0, 2})};
    const Size2d in{static_cast<int>(k.h), static_cast<int>(k.w)};
    if (!conv2d_output_size(in, {static_cast<int>(k.kh), static_cast<int>(k.kw)}, p).ok()) continue;
    check_conv2d(k, p, seed + 200000);
    ++checked;
    depthwise += k.c == groups ? 1 : 0;
  }
  CHECK(checked == 100);
  CHECK(depthwise >= 20);  // both the direct loops and the per-group products ran
  CHECK(depthwise <= 80);
}

TEST_CASE("fast grouped conv_transpose2d matches the reference on random shapes") {
  int checked = 0;
  for (uint32_t seed = 1; checked < 100 && seed < 2000; ++seed) {
    std::mt19937 rng(seed + 300000);
    int64_t groups = 1;
    const Common k = random_grouped_common(rng, groups);
    ConvTranspose2dParams p;
    p.groups = static_cast<int>(groups);
    p.stride_h = pick(rng, {1, 2, 2, 3});
    p.stride_w = pick(rng, {1, 2, 3});
    p.dilation_h = pick(rng, {1, 1, 2, 3});
    p.dilation_w = pick(rng, {1, 2});
    p.padding_h = pick(rng, {0, 1, 2});
    p.padding_w = pick(rng, {0, 1, 3});
    p.output_padding_h = pick(rng, {0, 0, 1, 2});
    p.output_padding_w = pick(rng, {0, 1});
    const Size2d in{static_cast<int>(k.h), static_cast<int>(k.w)};
    if (!conv_transpose2d_output_size(in, {static_cast<int>(k.kh), static_cast<int>(k.kw)}, p).ok()) continue;
    check_conv_transpose2d(k, p, seed + 300000);
    ++checked;
  }
  CHECK(checked == 100);
}

TEST_CASE("fast grouped convs: epilogue and output slot") {
  const EpilogueCase full{true, true, true, true};
  SUBCASE("depthwise 3x3 (MobileNet), batch 2, slot between guards") {
    check_conv2d({2, 8, 13, 11, 8, 3, 3, full, 2, 1}, conv2d_params(1, 1, 1, 8), 61);
  }
  SUBCASE("depthwise, scale and shift without bias or ReLU") {
    check_conv2d({1, 6, 9, 9, 6, 3, 3, {false, true, true, false}, 1, 0}, conv2d_params(2, 1, 1, 6), 62);
  }
  SUBCASE("depthwise with channel multiplier 2, strided, dilated, asymmetric padding") {
    Conv2dParams p = conv2d_params(2, 0, 2, 5);
    p.padding = {2, 1, 1, 2};
    check_conv2d({2, 5, 13, 11, 10, 3, 3, full, 3, 2}, p, 63);
  }
  SUBCASE("depthwise, stride 3 (the runtime-stride loop)") {
    check_conv2d({1, 4, 17, 19, 4, 5, 5, full, 0, 1}, conv2d_params(3, 2, 1, 4), 64);
  }
  SUBCASE("2 groups, C4 -> O6") {
    check_conv2d({2, 4, 9, 7, 6, 3, 3, full, 1, 2}, conv2d_params(1, 1, 1, 2), 65);
  }
  SUBCASE("3 groups of 1x1 (pointwise products per group)") {
    check_conv2d({1, 6, 7, 8, 9, 1, 1, full, 2, 2}, conv2d_params(1, 0, 1, 3), 66);
  }
  SUBCASE("transposed, 2 groups, into a slot") {
    check_conv_transpose2d({2, 4, 5, 6, 6, 4, 4, full, 1, 3}, transposed_params(2, 1, 1, 0, 2), 67);
  }
  SUBCASE("transposed depthwise") {
    check_conv_transpose2d({1, 6, 7, 5, 6, 3, 3, full, 0, 2}, transposed_params(2, 1, 1, 1, 6), 68);
  }
}

// Restores the thread count and tile budget when a test ends, even on failure.
struct TuningGuard {
  int threads = fast::threads();
  int64_t budget = fast::set_tile_budget_for_testing(0);
  TuningGuard() { fast::set_tile_budget_for_testing(budget); }
  ~TuningGuard() {
    fast::set_threads(threads);
    fast::set_tile_budget_for_testing(budget);
  }
};

// Big images take other paths: threads share bands of output rows instead
// of channels, and the im2col / col buffers are cut into tiles.
TEST_CASE("fast ops: banded and tiled paths match the reference") {
  const TuningGuard guard;
  const EpilogueCase full{true, true, true, true};
  for (const int threads : {1, 2, 3}) {
    for (const int64_t budget : {int64_t{0}, int64_t{700}, int64_t{1}}) {
      CAPTURE(threads);
      CAPTURE(budget);
      fast::set_threads(threads);
      fast::set_tile_budget_for_testing(budget);
      check_conv2d({2, 3, 131, 97, 5, 3, 3, full, 1, 1}, conv2d_params(1, 1, 1), 51);
      check_conv2d({1, 11, 130, 130, 6, 4, 4, full, 0, 2}, conv2d_params(2, 1, 1), 52);
      check_conv2d({1, 4, 100, 100, 3, 1, 1, full, 2, 0}, conv2d_params(1, 0, 1), 53);
      check_conv_transpose2d({2, 3, 67, 65, 2, 4, 4, full, 0, 1}, transposed_params(2, 1, 1), 54);
      check_conv_transpose2d({1, 2, 70, 70, 3, 3, 3, full, 1, 0}, transposed_params(1, 2, 2, 1), 55);
      // Grouped: fewer groups than threads (each group shared by the
      // threads, banded) and more (whole groups per thread).
      check_conv2d({1, 4, 90, 90, 6, 3, 3, full, 1, 1}, conv2d_params(1, 1, 1, 2), 56);
      check_conv2d({2, 6, 67, 71, 6, 3, 3, full, 0, 1}, conv2d_params(1, 1, 1, 3), 57);
      check_conv2d({1, 3, 80, 80, 6, 3, 3, full, 1, 0}, conv2d_params(2, 1, 1, 3), 58);
      check_conv_transpose2d({1, 4, 60, 60, 4, 4, 4, full, 0, 1}, transposed_params(2, 1, 1, 0, 2), 59);
      check_conv_transpose2d({1, 6, 40, 40, 3, 3, 3, full, 1, 0}, transposed_params(1, 1, 1, 0, 3), 60);
    }
  }
}

TEST_CASE("fast ops: the one-call forms allocate the output") {
  std::mt19937 rng(31);
  const Tensor x = random_tensor({1, 3, 9, 9}, rng);
  const Tensor w = random_tensor({4, 3, 3, 3}, rng);
  const Tensor wt = random_tensor({3, 4, 3, 3}, rng);
  const Tensor b = random_tensor({4}, rng);
  auto fast_out = fast::conv2d(x, w, &b, conv2d_params(2, 1, 1));
  auto ref_out = reference::conv2d(x, w, &b, conv2d_params(2, 1, 1));
  REQUIRE(fast_out.ok());
  REQUIRE(ref_out.ok());
  testing::check_close(*fast_out, *ref_out, kTolerance, "conv2d");
  auto fast_t = fast::conv_transpose2d(x, wt, &b, transposed_params(2, 1, 1, 1));
  auto ref_t = reference::conv_transpose2d(x, wt, &b, transposed_params(2, 1, 1, 1));
  REQUIRE(fast_t.ok());
  REQUIRE(ref_t.ok());
  testing::check_close(*fast_t, *ref_t, kTolerance, "conv_transpose2d");
}

TEST_CASE("fast ops: results do not depend on the thread count") {
  std::mt19937 rng(41);
  const Tensor x = random_tensor({2, 16, 24, 24}, rng);
  const Tensor w = random_tensor({32, 16, 4, 4}, rng);
  const Tensor wt = random_tensor({16, 32, 4, 4}, rng);
  const int before = fast::threads();
  CHECK(before >= 1);
  fast::set_threads(1);
  CHECK(fast::threads() == 1);
  auto one = fast::conv2d(x, w, nullptr, conv2d_params(2, 1, 1));
  auto one_t = fast::conv_transpose2d(x, wt, nullptr, transposed_params(2, 1, 1));
  fast::set_threads(2);
  auto two = fast::conv2d(x, w, nullptr, conv2d_params(2, 1, 1));
  auto two_t = fast::conv_transpose2d(x, wt, nullptr, transposed_params(2, 1, 1));
  fast::set_threads(before);
  REQUIRE(one.ok());
  REQUIRE(two.ok());
  REQUIRE(one_t.ok());
  REQUIRE(two_t.ok());
  testing::check_close(*two, *one, kTolerance, "conv2d, 1 vs 2 threads");
  testing::check_close(*two_t, *one_t, kTolerance, "conv_transpose2d, 1 vs 2 threads");
}

// ---- Winograd F(4x4, 3x3) (winograd.h) ----

using fast::detail::WinogradUse;

// Sets when Winograd runs and its chunk size for one test; restored after.
struct WinogradGuard {
  WinogradUse use;
  int64_t chunk;
  explicit WinogradGuard(WinogradUse u, int64_t chunk_floats = 0)
      : use(fast::detail::set_winograd_use_for_testing(u)),
        chunk(fast::detail::set_winograd_chunk_for_testing(chunk_floats)) {}
  ~WinogradGuard() {
    fast::detail::set_winograd_use_for_testing(use);
    fast::detail::set_winograd_chunk_for_testing(chunk);
  }
};

// Every 3x3 stride-1 shape runs as Winograd here, however small: images
// narrower than a tile, partial tiles at the right and bottom edges, any
// padding (asymmetric too), one channel, the epilogue, guarded slots, one
// and two threads, and chunks of one tile row each.
TEST_CASE("fast conv2d by Winograd matches the reference on random shapes") {
  const TuningGuard tuning;
  for (const int threads : {1, 2}) {
    for (const int64_t chunk : {int64_t{0}, int64_t{1}}) {
      CAPTURE(threads);
      CAPTURE(chunk);
      const WinogradGuard winograd(WinogradUse::Always, chunk);
      fast::set_threads(threads);
      int checked = 0;
      for (uint32_t seed = 1; checked < 40 && seed < 500; ++seed) {
        std::mt19937 rng(seed + 300000);
        Common k = random_common(rng);
        k.kh = k.kw = 3;
        k.n = pick<int64_t>(rng, {1, 2});
        k.h = pick<int64_t>(rng, {1, 2, 4, 5, 9, 13, 30});
        k.w = pick<int64_t>(rng, {1, 3, 4, 8, 9, 17, 31});
        Conv2dParams p;
        p.padding = {pick(rng, {0, 1, 2}), pick(rng, {0, 1}), pick(rng, {0, 1, 3}), pick(rng, {0, 1})};
        const Size2d in{static_cast<int>(k.h), static_cast<int>(k.w)};
        if (!conv2d_output_size(in, {3, 3}, p).ok()) continue;
        check_conv2d(k, p, seed);
        ++checked;
      }
      CHECK(checked == 40);
    }
  }
}

TEST_CASE("fast conv2d: ResNet-sized layers take Winograd and match the reference") {
  const WinogradGuard winograd(WinogradUse::Auto);
  const EpilogueCase full{true, true, true, true};
  // ResNet-18's first two stages (a ReLU after a folded batch norm), and an
  // ECNN-like layer on a 64x48 image.
  const Common stage1{1, 64, 56, 56, 64, 3, 3, full, 0, 0};
  const Common stage2{1, 128, 28, 28, 128, 3, 3, full, 2, 1};
  const Common ecnn{2, 32, 48, 64, 16, 3, 3, {true, false, false, true}, 0, 3};
  for (const Common& k : {stage1, stage2, ecnn}) {
    const fast::detail::ConvShape shape{k.n, k.c, k.h, k.w, k.o, 3, 3, k.h, k.w, 1};
    CHECK(fast::detail::use_winograd(shape, conv2d_params(1, 1, 1)));
    check_conv2d(k, conv2d_params(1, 1, 1), 61);
  }
}

TEST_CASE("Winograd is chosen for 3x3 stride-1 layers big enough to pay, and only those") {
  using fast::detail::ConvShape;
  using fast::detail::use_winograd;
  const WinogradGuard winograd(WinogradUse::Auto);
  const ConvShape resnet{1, 64, 56, 56, 64, 3, 3, 56, 56, 1};
  CHECK(use_winograd(resnet, conv2d_params(1, 1, 1)));
  CHECK(use_winograd(resnet, conv2d_params(1, 0, 1)));
  ConvShape small = resnet;
  small.oh = small.ow = 14;  // ResNet-18's third stage: im2col is as fast
  CHECK_FALSE(use_winograd(small, conv2d_params(1, 1, 1)));
  ConvShape thin = resnet;
  thin.c = 8;  // too few channels for the transforms to pay
  CHECK_FALSE(use_winograd(thin, conv2d_params(1, 1, 1)));
  CHECK_FALSE(use_winograd(resnet, conv2d_params(2, 1, 1)));     // strided
  CHECK_FALSE(use_winograd(resnet, conv2d_params(1, 2, 2)));     // dilated
  CHECK_FALSE(use_winograd(resnet, conv2d_params(1, 1, 1, 2)));  // grouped
  ConvShape five = resnet;
  five.kh = five.kw = 5;
  CHECK_FALSE(use_winograd(five, conv2d_params(1, 2, 1)));
  {
    const WinogradGuard always(WinogradUse::Always);
    CHECK(use_winograd(small, conv2d_params(1, 1, 1)));
    CHECK(use_winograd(thin, conv2d_params(1, 1, 1)));
    CHECK_FALSE(use_winograd(five, conv2d_params(1, 2, 1)));
  }
  const WinogradGuard never(WinogradUse::Never);
  CHECK_FALSE(use_winograd(resnet, conv2d_params(1, 1, 1)));
}

// The cache of transformed filters: a second call reuses them; weights
// rewritten in place (as a training step does) are transformed again, so
// the result follows the new weights.
TEST_CASE("Winograd filters are transformed once per weight tensor, and again when its values change") {
  const WinogradGuard winograd(WinogradUse::Always);
  std::mt19937 rng(71);
  const Tensor x = random_tensor({1, 8, 12, 12}, rng);
  Tensor w = random_tensor({6, 8, 3, 3}, rng);
  const Conv2dParams p = conv2d_params(1, 1, 1);
  const auto run_and_check = [&](const char* what) {
    auto got = fast::conv2d(x, w, nullptr, p);
    auto want = reference::conv2d(x, w, nullptr, p);
    REQUIRE(got.ok());
    REQUIRE(want.ok());
    testing::check_close(*got, *want, kTolerance, what);
  };
  const int64_t before = fast::detail::winograd_cache_stats().transforms;
  run_and_check("first call");
  CHECK(fast::detail::winograd_cache_stats().transforms == before + 1);
  run_and_check("second call");
  CHECK(fast::detail::winograd_cache_stats().transforms == before + 1);
  w[37] += 0.5f;  // one value changed in place
  run_and_check("after an in-place change");
  CHECK(fast::detail::winograd_cache_stats().transforms == before + 2);
  const Tensor copy = w;  // same values, another tensor: an entry of its own
  auto from_copy = fast::conv2d(x, copy, nullptr, p);
  REQUIRE(from_copy.ok());
  CHECK(fast::detail::winograd_cache_stats().transforms == before + 3);
  CHECK(fast::detail::winograd_cache_stats().entries >= 2);
}

// Expects an error whose message contains `needle`.
void check_error(const Status& status, const std::string& needle) {
  REQUIRE_FALSE(status.ok());
  INFO(status.message());
  CHECK(status.message().find(needle) != std::string::npos);
}

TEST_CASE("fast conv2d: bad input gives errors") {
  const Tensor x({1, 3, 8, 8}, 1.0f);
  const Tensor w({4, 3, 3, 3}, 1.0f);
  const Conv2dParams p = conv2d_params(1, 1, 1);
  Tensor out({1, 4, 8, 8});
  const fast::OutputSlot slot{&out, 0};
  check_error(fast::conv2d_into(Tensor({3, 8, 8}), w, nullptr, p, {}, slot), "rank 4");
  check_error(fast::conv2d_into(x, Tensor({4, 3, 3}), nullptr, p, {}, slot), "rank 4");
  check_error(fast::conv2d_into(x, Tensor({4, 2, 3, 3}), nullptr, p, {}, slot), "input channels");
  const Tensor bad_bias({5});
  check_error(fast::conv2d_into(x, w, &bad_bias, p, {}, slot), "bias");
  const std::vector<float> three(3, 1.0f);
  check_error(fast::conv2d_into(x, w, nullptr, p, {three, {}, false}, slot), "scale");
  check_error(fast::conv2d_into(x, w, nullptr, p, {{}, three, false}, slot), "shift");
  check_error(fast::conv2d_into(x, w, nullptr, p, {}, {nullptr, 0}), "no tensor");
  Tensor wrong_size({1, 4, 7, 8});
  check_error(fast::conv2d_into(x, w, nullptr, p, {}, {&wrong_size, 0}), "expected");
  Tensor wrong_batch({2, 4, 8, 8});
  check_error(fast::conv2d_into(x, w, nullptr, p, {}, {&wrong_batch, 0}), "expected");
  check_error(fast::conv2d_into(x, w, nullptr, p, {}, {&out, 1}), "do not fit");
  check_error(fast::conv2d_into(x, w, nullptr, p, {}, {&out, -1}), "do not fit");
  Tensor same({1, 4, 8, 8});
  check_error(fast::conv2d_into(same, Tensor({4, 4, 3, 3}), nullptr, p, {}, {&same, 0}), "shares memory");
  check_error(fast::conv2d_into(x, Tensor({4, 3, 11, 11}), nullptr, p, {}, slot), "conv2d");
  Conv2dParams zero_stride = p;
  zero_stride.stride_h = 0;
  CHECK_FALSE(fast::conv2d(x, w, nullptr, zero_stride).ok());
  CHECK_FALSE(fast::conv2d(Tensor({1, 0, 8, 8}), Tensor({4, 0, 3, 3}), nullptr, p).ok());
  const Tensor x4({1, 4, 8, 8}, 1.0f);
  check_error(fast::conv2d_into(x4, Tensor({4, 1, 3, 3}), nullptr, conv2d_params(1, 1, 1, 2), {}, slot),
              "input channels");
  check_error(fast::conv2d_into(x4, Tensor({3, 2, 3, 3}), nullptr, conv2d_params(1, 1, 1, 2), {}, slot),
              "divide");
  check_error(fast::conv2d_into(x, w, nullptr, conv2d_params(1, 1, 1, 0), {}, slot), "groups");
}

TEST_CASE("fast conv_transpose2d: bad input gives errors") {
  const Tensor x({1, 3, 4, 4}, 1.0f);
  const Tensor w({3, 2, 4, 4}, 1.0f);
  const ConvTranspose2dParams p = transposed_params(2, 1, 1);
  Tensor out({1, 2, 8, 8});
  check_error(fast::conv_transpose2d_into(x, Tensor({2, 2, 4, 4}), nullptr, p, {}, {&out, 0}),
              "input channels");
  const Tensor bad_bias({3});
  check_error(fast::conv_transpose2d_into(x, w, &bad_bias, p, {}, {&out, 0}), "bias");
  Tensor small({1, 2, 7, 8});
  check_error(fast::conv_transpose2d_into(x, w, nullptr, p, {}, {&small, 0}), "expected");
  check_error(fast::conv_transpose2d_into(x, w, nullptr, p, {}, {&out, 1}), "do not fit");
  check_error(fast::conv_transpose2d_into(x, Tensor({3, 1, 4, 4}), nullptr, transposed_params(2, 1, 1, 0, 2),
                                          {}, {&out, 0}),
              "divide");
  check_error(fast::conv_transpose2d_into(x, w, nullptr, transposed_params(2, 1, 1, 0, 0), {}, {&out, 0}),
              "groups");
  ConvTranspose2dParams too_much = p;
  too_much.output_padding_h = 2;
  CHECK_FALSE(fast::conv_transpose2d(x, w, nullptr, too_much).ok());
}

}  // namespace
}  // namespace convlab
