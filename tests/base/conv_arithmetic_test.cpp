// Conv arithmetic: output sizes, padding presets, every impossible setting
// (with the message a person would read) and the formula strings.
#include "core/base/conv_arithmetic.h"

#include <string>

#include "test_support.h"

using namespace convlab;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Conv2dParams conv_params(int stride, int pad, int dilation) {
  Conv2dParams p;
  p.stride_h = p.stride_w = stride;
  p.padding = {pad, pad, pad, pad};
  p.dilation_h = p.dilation_w = dilation;
  return p;
}

ConvTranspose2dParams tconv_params(int stride, int pad, int output_padding, int dilation) {
  ConvTranspose2dParams p;
  p.stride_h = p.stride_w = stride;
  p.padding_h = p.padding_w = pad;
  p.output_padding_h = p.output_padding_w = output_padding;
  p.dilation_h = p.dilation_w = dilation;
  return p;
}

// Counts kernel placements by walking them: the definition the formula must agree with.
int count_positions(int input, int kernel, int stride, int pad_before, int pad_after, int dilation) {
  const int padded = input + pad_before + pad_after;
  int count = 0;
  for (int start = 0; start + dilation * (kernel - 1) < padded; start += stride) ++count;
  return count;
}

// The error message of a conv2d_output_size call that must fail.
std::string conv_error(Size2d input, Size2d kernel, const Conv2dParams& params) {
  auto result = conv2d_output_size(input, kernel, params);
  REQUIRE_FALSE(result.ok());
  return result.message();
}

std::string tconv_error(Size2d input, Size2d kernel, const ConvTranspose2dParams& params) {
  auto result = conv_transpose2d_output_size(input, kernel, params);
  REQUIRE_FALSE(result.ok());
  return result.message();
}

}  // namespace

TEST_CASE("dilated kernel extent is d*(k-1)+1") {
  CHECK(dilated_kernel_extent(3, 1) == 3);
  CHECK(dilated_kernel_extent(3, 2) == 5);  // the seed: a 3x3 kernel, dilation 2, covers 5x5
  CHECK(dilated_kernel_extent(4, 2) == 7);
  CHECK(dilated_kernel_extent(1, 5) == 1);
}

TEST_CASE("padding preset names parse case-insensitively and round-trip") {
  for (PaddingPreset preset :
       {PaddingPreset::Valid, PaddingPreset::Same, PaddingPreset::Full, PaddingPreset::Custom}) {
    auto parsed = parse_padding_preset(padding_preset_name(preset));
    REQUIRE(parsed.ok());
    CHECK(*parsed == preset);
  }
  CHECK(*parse_padding_preset("SAME") == PaddingPreset::Same);
  CHECK(*parse_padding_preset("Valid") == PaddingPreset::Valid);
  auto bad = parse_padding_preset("half");
  REQUIRE_FALSE(bad.ok());
  CHECK(contains(bad.message(), "'half'"));
  CHECK(contains(bad.message(), "valid"));
  CHECK(contains(bad.message(), "same"));
  CHECK(contains(bad.message(), "full"));
}

TEST_CASE("valid and full presets") {
  auto valid = resolve_padding(PaddingPreset::Valid, {7, 7}, {3, 3}, 1, 1, 1, 1);
  REQUIRE(valid.ok());
  CHECK(*valid == Padding2d{0, 0, 0, 0});
  // Full: every partial overlap is an output; for kernel 4 that is 3 (the seed's note).
  auto full = resolve_padding(PaddingPreset::Full, {5, 6}, {4, 3}, 1, 1, 1, 2);
  REQUIRE(full.ok());
  CHECK(*full == Padding2d{3, 3, 4, 4});
  auto size = conv2d_output_size({5, 6}, {4, 3}, Conv2dParams{1, 1, *full, 1, 2});
  REQUIRE(size.ok());
  CHECK(*size == Size2d{5 + 4 - 1, 6 + 5 - 1});
}

TEST_CASE("same padding at stride 1 is PyTorch's split: extra row/column at bottom/right") {
  // PyTorch: total = d*(k-1), left = total/2, right = total - left.
  struct Case {
    int kernel, dilation, before, after;
  };
  for (Case c : {Case{1, 1, 0, 0}, Case{2, 1, 0, 1}, Case{3, 1, 1, 1}, Case{4, 1, 1, 2}, Case{5, 1, 2, 2},
                 Case{6, 1, 2, 3}, Case{7, 1, 3, 3}, Case{2, 3, 1, 2}, Case{4, 3, 4, 5}, Case{3, 2, 2, 2}}) {
    CAPTURE(c.kernel);
    CAPTURE(c.dilation);
    auto pad =
        resolve_padding(PaddingPreset::Same, {9, 10}, {c.kernel, c.kernel}, 1, 1, c.dilation, c.dilation);
    REQUIRE(pad.ok());
    CHECK(*pad == Padding2d{c.before, c.after, c.before, c.after});
  }
}

TEST_CASE("same padding keeps ceil(input/stride) outputs for every kernel, stride 1-3 and dilation") {
  for (int input = 1; input <= 14; ++input)
    for (int kernel = 1; kernel <= 7; ++kernel)
      for (int stride = 1; stride <= 3; ++stride)
        for (int dilation = 1; dilation <= 3; ++dilation) {
          CAPTURE(input);
          CAPTURE(kernel);
          CAPTURE(stride);
          CAPTURE(dilation);
          auto pad = resolve_padding(PaddingPreset::Same, {input, input + 1}, {kernel, kernel}, stride,
                                     stride, dilation, dilation);
          REQUIRE(pad.ok());
          // The odd padding row/column goes to the bottom/right.
          CHECK(pad->bottom - pad->top >= 0);
          CHECK(pad->bottom - pad->top <= 1);
          CHECK(pad->right - pad->left >= 0);
          CHECK(pad->right - pad->left <= 1);
          auto size = conv2d_output_size({input, input + 1}, {kernel, kernel},
                                         Conv2dParams{stride, stride, *pad, dilation, dilation});
          REQUIRE(size.ok());
          CHECK(size->h == (input + stride - 1) / stride);
          CHECK(size->w == (input + 1 + stride - 1) / stride);
          if (stride == 1) CHECK(pad->top + pad->bottom == dilation * (kernel - 1));
        }
}

TEST_CASE("same padding at stride 2 and 3, worked examples") {
  // in 5, k 3, s 2: 3 outputs need (3-1)*2+3 = 7 rows, so 2 padding rows, 1 + 1.
  CHECK(*resolve_padding(PaddingPreset::Same, {5, 5}, {3, 3}, 2, 2, 1, 1) == Padding2d{1, 1, 1, 1});
  // in 6, k 3, s 2: 3 outputs need 7 rows, 1 padding row, at the bottom.
  CHECK(*resolve_padding(PaddingPreset::Same, {6, 6}, {3, 3}, 2, 2, 1, 1) == Padding2d{0, 1, 0, 1});
  // in 7, k 4, s 3: 3 outputs need (3-1)*3+4 = 10 rows, 3 padding rows, 1 + 2.
  CHECK(*resolve_padding(PaddingPreset::Same, {7, 7}, {4, 4}, 3, 3, 1, 1) == Padding2d{1, 2, 1, 2});
  // in 8, k 1, s 3: the kernel already fits; no padding.
  CHECK(*resolve_padding(PaddingPreset::Same, {8, 8}, {1, 1}, 3, 3, 1, 1) == Padding2d{0, 0, 0, 0});
}

TEST_CASE("resolve_padding refuses what it cannot resolve") {
  auto custom = resolve_padding(PaddingPreset::Custom, {5, 5}, {3, 3}, 1, 1, 1, 1);
  REQUIRE_FALSE(custom.ok());
  CHECK(contains(custom.message(), "custom"));
  CHECK(contains(custom.message(), "padding top"));
  auto stride0 = resolve_padding(PaddingPreset::Same, {5, 5}, {3, 3}, 1, 0, 1, 1);
  REQUIRE_FALSE(stride0.ok());
  CHECK(contains(stride0.message(), "stride (width) is 0"));
  auto dilation0 = resolve_padding(PaddingPreset::Full, {5, 5}, {3, 3}, 1, 1, 0, 1);
  REQUIRE_FALSE(dilation0.ok());
  CHECK(contains(dilation0.message(), "dilation (height) is 0"));
  auto kernel0 = resolve_padding(PaddingPreset::Valid, {5, 5}, {3, 0}, 1, 1, 1, 1);
  REQUIRE_FALSE(kernel0.ok());
  CHECK(contains(kernel0.message(), "kernel size (width)"));
}

TEST_CASE("conv2d output size: the seed's layers") {
  // ECNN conv1..4: Conv(k=4, s=2, p=1) halves the size.
  for (int input : {256, 128, 64, 32, 16}) {
    auto size = conv2d_output_size({input, input}, {4, 4}, conv_params(2, 1, 1));
    REQUIRE(size.ok());
    CHECK(*size == Size2d{input / 2, input / 2});
  }
  // dilat1/2: Conv(k=4, s=1, p=3, d=2) keeps it.
  auto dilated = conv2d_output_size({16, 16}, {4, 4}, conv_params(1, 3, 2));
  REQUIRE(dilated.ok());
  CHECK(*dilated == Size2d{16, 16});
  // tconv_out: Conv(k=3, s=1, p=1) keeps it.
  CHECK(*conv2d_output_size({256, 200}, {3, 3}, conv_params(1, 1, 1)) == Size2d{256, 200});
}

TEST_CASE("conv2d output size agrees with counting kernel placements") {
  for (int input = 1; input <= 12; ++input)
    for (int kernel = 1; kernel <= 5; ++kernel)
      for (int stride = 1; stride <= 3; ++stride)
        for (int dilation = 1; dilation <= 3; ++dilation)
          for (int before = 0; before <= 2; ++before)
            for (int after = 0; after <= 3; ++after) {
              Conv2dParams p;
              p.stride_h = stride;
              p.dilation_h = dilation;
              p.padding = {before, after, 0, 0};
              const int expected = count_positions(input, kernel, stride, before, after, dilation);
              auto size = conv2d_output_size({input, 1}, {kernel, 1}, p);
              CAPTURE(input);
              CAPTURE(kernel);
              CAPTURE(stride);
              CAPTURE(dilation);
              CAPTURE(before);
              CAPTURE(after);
              CHECK(size.ok() == (expected > 0));
              if (size.ok()) CHECK(size->h == expected);
              if (expected > 0)
                CHECK(conv2d_output_extent(input, kernel, stride, before, after, dilation) == expected);
            }
}

TEST_CASE("conv2d errors name the setting and what would be valid") {
  SUBCASE("stride 0") {
    Conv2dParams p;
    p.stride_h = 0;
    const std::string msg = conv_error({5, 5}, {3, 3}, p);
    CHECK(contains(msg, "stride"));
    CHECK(contains(msg, "height"));
    CHECK(contains(msg, ">= 1"));
  }
  SUBCASE("negative stride") {
    Conv2dParams p;
    p.stride_w = -2;
    const std::string msg = conv_error({5, 5}, {3, 3}, p);
    CHECK(contains(msg, "stride (width) is -2"));
  }
  SUBCASE("dilation 0") {
    Conv2dParams p;
    p.dilation_w = 0;
    const std::string msg = conv_error({5, 5}, {3, 3}, p);
    CHECK(contains(msg, "dilation (width) is 0"));
    CHECK(contains(msg, "dilation 1"));
  }
  SUBCASE("negative padding, each side named") {
    const char* names[] = {"padding top", "padding bottom", "padding left", "padding right"};
    for (int side = 0; side < 4; ++side) {
      Conv2dParams p;
      int* sides[] = {&p.padding.top, &p.padding.bottom, &p.padding.left, &p.padding.right};
      *sides[side] = -1;
      const std::string msg = conv_error({5, 5}, {3, 3}, p);
      CAPTURE(msg);
      CHECK(contains(msg, names[side]));
      CHECK(contains(msg, "-1"));
      CHECK(contains(msg, ">= 0"));
    }
  }
  SUBCASE("kernel size 0 and input size 0") {
    CHECK(contains(conv_error({5, 5}, {0, 3}, {}), "kernel size (height) is 0"));
    CHECK(contains(conv_error({5, 0}, {3, 3}, {}), "input size (width) is 0"));
  }
  SUBCASE("dilated kernel larger than the padded input") {
    // The header's example: kernel 4, dilation 2 covers 7 rows; 3 + 1 + 1 = 5.
    const std::string msg = conv_error({3, 9}, {4, 4}, conv_params(1, 1, 2));
    CAPTURE(msg);
    CHECK(contains(msg, "covers 7 rows"));
    CHECK(contains(msg, "height"));
    CHECK(contains(msg, "only 5"));
    CHECK(contains(msg, "padding top + bottom >= 4"));
    CHECK(contains(msg, "2 per side"));
    CHECK(contains(msg, "dilation <= 1"));
    CHECK(contains(msg, "kernel <= 3"));
  }
  SUBCASE("kernel wider than the input, width axis") {
    const std::string msg = conv_error({9, 2}, {3, 5}, {});
    CAPTURE(msg);
    CHECK(contains(msg, "covers 5 columns"));
    CHECK(contains(msg, "width"));
    CHECK(contains(msg, "only 2"));
    CHECK(contains(msg, "padding left + right >= 3"));
    CHECK(contains(msg, "kernel <= 2"));
  }
  SUBCASE("when no dilation can help it is not suggested") {
    const std::string msg = conv_error({1, 1}, {3, 3}, {});
    CAPTURE(msg);
    CHECK_FALSE(contains(msg, "dilation <="));
    CHECK(contains(msg, "kernel <= 1"));
  }
  SUBCASE("absurd sizes give an error, not an overflow") {
    Conv2dParams p;
    p.dilation_h = 1 << 30;
    const std::string msg = conv_error({5, 5}, {8, 3}, p);
    CHECK(contains(msg, "covers"));
  }
}

TEST_CASE("unchecked extents never divide by zero") {
  CHECK(conv2d_output_extent(5, 3, 0, 0, 0, 1) == 0);
  // floor, not truncation, for a kernel that does not fit: floor((2 - 3) / 2) + 1 = 0.
  CHECK(conv2d_output_extent(2, 4, 2, 0, 0, 1) == 0);
}

TEST_CASE("conv_transpose2d output size") {
  // The seed's picture: 2x2 input, 2x2 kernel, stride 1 -> 3x3.
  CHECK(*conv_transpose2d_output_size({2, 2}, {2, 2}, tconv_params(1, 0, 0, 1)) == Size2d{3, 3});
  // ECNN tconv: k 4, s 2, p 1 doubles the size.
  for (int input : {16, 32, 64, 128})
    CHECK(*conv_transpose2d_output_size({input, input}, {4, 4}, tconv_params(2, 1, 0, 1)) ==
          Size2d{2 * input, 2 * input});
  // k 3, s 2, p 1, output_padding 1 doubles it too.
  CHECK(*conv_transpose2d_output_size({7, 5}, {3, 3}, tconv_params(2, 1, 1, 1)) == Size2d{14, 10});
  // output_padding below dilation is allowed at stride 1.
  CHECK(*conv_transpose2d_output_size({5, 5}, {3, 3}, tconv_params(1, 0, 1, 2)) == Size2d{10, 10});
  ConvTranspose2dParams mixed;
  mixed.stride_h = 3;
  mixed.padding_w = 2;
  mixed.output_padding_h = 2;
  mixed.dilation_w = 2;
  // H: (4-1)*3 - 0 + 1*(2-1) + 2 + 1 = 13; W: (6-1)*1 - 4 + 2*(5-1) + 0 + 1 = 10.
  CHECK(*conv_transpose2d_output_size({4, 6}, {2, 5}, mixed) == Size2d{13, 10});
  CHECK(conv_transpose2d_output_extent(4, 2, 3, 0, 2, 1) == 13);
}

TEST_CASE("conv_transpose2d errors name the setting and what would be valid") {
  SUBCASE("output_padding not below stride or dilation") {
    const std::string msg = tconv_error({4, 4}, {3, 3}, tconv_params(2, 1, 2, 1));
    CAPTURE(msg);
    CHECK(contains(msg, "output_padding"));
    CHECK(contains(msg, "stride 2"));
    CHECK(contains(msg, "dilation 1"));
    CHECK(contains(msg, "output_padding <= 1"));
  }
  SUBCASE("output_padding at stride 1, dilation 1") {
    const std::string msg = tconv_error({4, 4}, {3, 3}, tconv_params(1, 0, 1, 1));
    CHECK(contains(msg, "output_padding <= 0"));
  }
  SUBCASE("negative padding and output_padding") {
    CHECK(contains(tconv_error({4, 4}, {3, 3}, tconv_params(1, -1, 0, 1)), "padding (height) is -1"));
    ConvTranspose2dParams p;
    p.output_padding_w = -1;
    CHECK(contains(tconv_error({4, 4}, {3, 3}, p), "output_padding (width) is -1"));
  }
  SUBCASE("stride, dilation, kernel and input must be >= 1") {
    CHECK(contains(tconv_error({4, 4}, {3, 3}, tconv_params(0, 0, 0, 1)), "stride"));
    CHECK(contains(tconv_error({4, 4}, {3, 3}, tconv_params(1, 0, 0, 0)), "dilation"));
    CHECK(contains(tconv_error({4, 4}, {3, -1}, {}), "kernel size (width)"));
    CHECK(contains(tconv_error({0, 4}, {3, 3}, {}), "input size (height)"));
  }
  SUBCASE("padding that crops everything") {
    // Input 1, kernel 1: the uncropped output is 1 row; padding 1 crops 2.
    const std::string msg = tconv_error({1, 1}, {1, 1}, tconv_params(1, 1, 0, 1));
    CAPTURE(msg);
    CHECK(contains(msg, "padding (height) 1 crops 2 rows"));
    CHECK(contains(msg, "has only 1"));
    CHECK(contains(msg, "padding <= 0"));
  }
  SUBCASE("padding that crops everything, width") {
    ConvTranspose2dParams p;
    p.padding_w = 3;
    const std::string msg = tconv_error({2, 2}, {2, 2}, p);  // uncropped 3 columns
    CAPTURE(msg);
    CHECK(contains(msg, "width"));
    CHECK(contains(msg, "columns"));
    CHECK(contains(msg, "padding <= 1"));
  }
}

TEST_CASE("formulas with the numbers put in") {
  // The header's example.
  CHECK(conv2d_formula({5, 5}, {3, 3}, conv_params(2, 1, 2)) ==
        "H, W: floor((5 + 1 + 1 - 2*(3 - 1) - 1) / 2) + 1 = 2");
  Conv2dParams asym;
  asym.padding = {0, 1, 2, 0};
  asym.stride_w = 2;
  CHECK(conv2d_formula({8, 9}, {4, 4}, asym) ==
        "H: floor((8 + 0 + 1 - 1*(4 - 1) - 1) / 1) + 1 = 6\n"
        "W: floor((9 + 2 + 0 - 1*(4 - 1) - 1) / 2) + 1 = 4");
  CHECK(conv_transpose2d_formula({2, 2}, {2, 2}, tconv_params(1, 0, 0, 1)) ==
        "H, W: (2 - 1)*1 - 2*0 + 1*(2 - 1) + 0 + 1 = 3");
  ConvTranspose2dParams t = tconv_params(2, 1, 1, 1);
  t.stride_w = 3;
  CHECK(conv_transpose2d_formula({7, 5}, {3, 3}, t) ==
        "H: (7 - 1)*2 - 2*1 + 1*(3 - 1) + 1 + 1 = 14\n"
        "W: (5 - 1)*3 - 2*1 + 1*(3 - 1) + 1 + 1 = 14");
}

TEST_CASE("formula values agree with the checked output sizes") {
  for (int input = 1; input <= 9; ++input)
    for (int kernel = 1; kernel <= 4; ++kernel)
      for (int stride = 1; stride <= 3; ++stride) {
        const Conv2dParams p = conv_params(stride, 1, 1);
        auto size = conv2d_output_size({input, input}, {kernel, kernel}, p);
        if (!size.ok()) continue;
        const std::string formula = conv2d_formula({input, input}, {kernel, kernel}, p);
        CAPTURE(formula);
        CHECK(contains(formula, "= " + std::to_string(size->h)));
      }
}

TEST_CASE("pool output size: floor as conv2d, ceil_mode keeps a last window that starts inside") {
  Pool2dParams p;
  p.window.stride_h = p.window.stride_w = 2;
  // 7 wide, window 3, stride 2, no padding: floor((7-3)/2)+1 = 3; ceil gives 3 too.
  CHECK(pool2d_output_size({7, 7}, {3, 3}, p).value() == Size2d{3, 3});
  // 8 wide: floor((8-3)/2)+1 = 3, ceil((8-3)/2)+1 = 4 (the last window starts at 6 < 8).
  CHECK(pool2d_output_size({8, 8}, {3, 3}, p).value() == Size2d{3, 3});
  p.ceil_mode = true;
  CHECK(pool2d_output_size({8, 8}, {3, 3}, p).value() == Size2d{4, 4});
  CHECK(pool2d_formula({8, 8}, {3, 3}, p) == "H, W: ceil((8 + 0 + 0 - 1*(3 - 1) - 1) / 2) + 1 = 4");
  // PyTorch's correction: 5 wide, window 2, stride 2, padding 1: ceil((5+2-2)/2)+1 = 4,
  // but the 4th window would start at 6 >= 5 + 1, so it is dropped -> 3.
  p.window.padding = {1, 1, 1, 1};
  CHECK(pool2d_output_size({5, 5}, {2, 2}, p).value() == Size2d{3, 3});
  CHECK(pool2d_formula({5, 5}, {2, 2}, p) == "H, W: ceil((5 + 1 + 1 - 1*(2 - 1) - 1) / 2) + 1 - 1 = 3");
  p.ceil_mode = false;
  CHECK(pool2d_formula({5, 5}, {2, 2}, p) == conv2d_formula({5, 5}, {2, 2}, p.window));
}

TEST_CASE("pool padding is at most half the kernel, each side") {
  Pool2dParams p;
  p.window.padding = {0, 2, 0, 0};
  auto refused = pool2d_output_size({6, 6}, {3, 3}, p);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message() ==
        "padding bottom (height) is 2 but pooling allows at most half the kernel, 1: each window must reach the "
        "input (PyTorch's rule)");
  p.window.padding = {0, 0, 2, 2};
  CHECK(pool2d_output_size({6, 6}, {4, 5}, p).value() == Size2d{3, 6});
}
