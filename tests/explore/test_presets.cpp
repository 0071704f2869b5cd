// Presets produce exactly the values their header documents.
#include <doctest/doctest.h>

#include <vector>

#include "core/explore/presets.h"

using namespace convlab;
using namespace convlab::explore;

TEST_CASE("input presets: numbers, ramp, checkerboard, random") {
  CHECK(make_input_preset(InputPreset::Numbers, 2, 2, 3, 1) ==
        std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  CHECK(make_input_preset(InputPreset::Ramp, 1, 2, 5, 1) ==
        std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1, 0, 0.25f, 0.5f, 0.75f, 1});
  CHECK(make_input_preset(InputPreset::Ramp, 1, 2, 1, 1) == std::vector<float>{0, 0});
  CHECK(make_input_preset(InputPreset::Checkerboard, 2, 2, 2, 1) ==
        std::vector<float>{0, 1, 1, 0, 1, 0, 0, 1});
  const auto a = make_input_preset(InputPreset::Random, 3, 8, 8, 42);
  CHECK(a == make_input_preset(InputPreset::Random, 3, 8, 8, 42));  // seeded: reproducible
  CHECK(a != make_input_preset(InputPreset::Random, 3, 8, 8, 43));
  for (float v : a) {
    CHECK(v >= 0);
    CHECK(v <= 9);
    CHECK(v == static_cast<float>(static_cast<int>(v)));
  }
}

TEST_CASE("kernel presets: documented values and valid sizes") {
  CHECK(*make_kernel_preset(KernelPreset::Identity, 3, 3, 0) ==
        std::vector<float>{0, 0, 0, 0, 1, 0, 0, 0, 0});
  CHECK(*make_kernel_preset(KernelPreset::Identity, 2, 4, 0) == std::vector<float>{0, 1, 0, 0, 0, 0, 0, 0});
  CHECK(*make_kernel_preset(KernelPreset::Box, 2, 2, 0) == std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f});
  CHECK(*make_kernel_preset(KernelPreset::Gaussian, 3, 3, 0) ==
        std::vector<float>{1 / 16.f, 2 / 16.f, 1 / 16.f, 2 / 16.f, 4 / 16.f, 2 / 16.f, 1 / 16.f, 2 / 16.f,
                           1 / 16.f});
  CHECK(*make_kernel_preset(KernelPreset::Gaussian, 1, 5, 0) ==
        std::vector<float>{1 / 16.f, 4 / 16.f, 6 / 16.f, 4 / 16.f, 1 / 16.f});
  CHECK(*make_kernel_preset(KernelPreset::Sharpen, 3, 3, 0) ==
        std::vector<float>{0, -1, 0, -1, 5, -1, 0, -1, 0});
  CHECK(*make_kernel_preset(KernelPreset::SobelX, 3, 3, 0) ==
        std::vector<float>{-1, 0, 1, -2, 0, 2, -1, 0, 1});
  CHECK(*make_kernel_preset(KernelPreset::SobelY, 3, 3, 0) ==
        std::vector<float>{-1, -2, -1, 0, 0, 0, 1, 2, 1});
  CHECK(*make_kernel_preset(KernelPreset::Laplacian, 3, 3, 0) ==
        std::vector<float>{0, 1, 0, 1, -4, 1, 0, 1, 0});
  for (int k = 1; k <= 7; ++k) {
    for (auto preset :
         {KernelPreset::Identity, KernelPreset::Box, KernelPreset::Gaussian, KernelPreset::Random}) {
      auto values = make_kernel_preset(preset, k, 8 - k, 5);
      REQUIRE(values.ok());
      CHECK(values->size() == static_cast<size_t>(k * (8 - k)));
      if (preset == KernelPreset::Box || preset == KernelPreset::Gaussian) {
        double sum = 0;
        for (float v : *values) sum += v;
        CHECK(sum == doctest::Approx(1.0));
      }
    }
  }
  auto wrong = make_kernel_preset(KernelPreset::SobelX, 5, 5, 0);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.message().find("sobel_x") != std::string::npos);
  CHECK(wrong.message().find("only for 3x3") != std::string::npos);
  CHECK(wrong.message().find("5x5") != std::string::npos);
}

TEST_CASE("preset names parse case-insensitively; unknown names list the valid ones") {
  CHECK(*parse_input_preset("Checkerboard") == InputPreset::Checkerboard);
  CHECK(*parse_kernel_preset("SOBEL_Y") == KernelPreset::SobelY);
  auto bad = parse_kernel_preset("emboss");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("emboss") != std::string::npos);
  CHECK(bad.message().find("laplacian") != std::string::npos);
  for (int i = 0; i < 4; ++i)
    CHECK(*parse_input_preset(input_preset_name(static_cast<InputPreset>(i))) == static_cast<InputPreset>(i));
  for (int i = 0; i < 8; ++i)
    CHECK(*parse_kernel_preset(kernel_preset_name(static_cast<KernelPreset>(i))) ==
          static_cast<KernelPreset>(i));
}

TEST_CASE("photo patch: Rec. 709 luma of the crop, bytes or unit") {
  RgbImage image;
  image.width = 4;
  image.height = 3;
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 4; ++x) {
      const bool white = x == 2 && y == 1;
      const bool green = x == 1 && y == 1;
      image.pixels.push_back(white ? 255 : 0);
      image.pixels.push_back(white || green ? 255 : 0);
      image.pixels.push_back(white ? 255 : 0);
    }
  auto bytes = photo_patch(image, {1, 1, 2, 2}, LumaRange::Byte, 32);
  REQUIRE(bytes.ok());
  CHECK(*bytes == std::vector<float>{182, 255, 0, 0});  // green: round(0.7152*255) = 182
  auto unit = photo_patch(image, {2, 1, 1, 1}, LumaRange::Unit, 32);
  REQUIRE(unit.ok());
  CHECK(*unit == std::vector<float>{1.0f});
  auto outside = photo_patch(image, {3, 0, 2, 2}, LumaRange::Byte, 32);
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.message().find("inside the 4x3 image") != std::string::npos);
  CHECK_FALSE(photo_patch(image, {0, 0, 0, 1}, LumaRange::Byte, 32).ok());
}
