// The colorizer pipeline: category names, working sizes, and a whole run on
// a small synthetic picture.
#include "core/model/colorize.h"

#include <doctest/doctest.h>

#include <string>

#include "test_support.h"

namespace convlab {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

RgbImage gradient(int width, int height) {
  RgbImage image{width, height, std::vector<uint8_t>(static_cast<size_t>(width * height * 3))};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[static_cast<size_t>((y * width + x) * 3)];
      p[0] = static_cast<uint8_t>(255 * x / width);
      p[1] = static_cast<uint8_t>(255 * y / height);
      p[2] = static_cast<uint8_t>((x * y) % 256);
    }
  return image;
}

TEST_CASE("parse_category: numbers and English / Portuguese names") {
  const std::vector<std::pair<std::string, int>> good = {
      {"0", 0},
      {"7", 7},
      {"none", 0},
      {"nenhuma", 0},
      {"Uncategorized", 0},
      {"food", 1},
      {"ALIMENTOS", 1},
      {"animals", 2},
      {"animais", 2},
      {"people", 3},
      {"pessoas", 3},
      {"objects", 4},
      {"objetos", 4},
      {"vehicles", 5},
      {"veiculos", 5},
      {"veículos", 5},
      {"VEÍCULOS", 5},
      {"indoor", 6},
      {"internos", 6},
      {"ambientes internos", 6},
      {"Ambientes_Internos", 6},
      {"outdoor", 7},
      {"externos", 7},
      {" ambientes  externos ", 7},
  };
  for (const auto& [text, id] : good) {
    auto parsed = parse_category(text);
    REQUIRE_MESSAGE(parsed.ok(), text << ": " << (parsed.ok() ? std::string() : parsed.message()));
    CHECK_MESSAGE(*parsed == id, text);
  }
  for (const std::string bad : {"8", "-1", "cats", "", "12345678901234567890"}) {
    auto parsed = parse_category(bad);
    REQUIRE_FALSE_MESSAGE(parsed.ok(), bad);
    CHECK_MESSAGE(contains(parsed.message(), "food/alimentos"), parsed.message());
  }
  CHECK(std::string(category_name_en(5)) == "vehicles");
  CHECK(std::string(category_name_pt(6)) == "ambientes internos");
  CHECK(std::string(category_name_en(9)) == "unknown");
}

TEST_CASE("working_resolution: long side = working size, the other in proportion") {
  struct Case {
    int width, height, working, multiple;
    Size2d expect;
  };
  const std::vector<Case> cases = {
      {400, 400, 256, 16, {256, 256}}, {800, 600, 256, 16, {192, 256}}, {600, 800, 256, 16, {256, 192}},
      {1000, 10, 256, 16, {16, 256}},  {640, 480, 250, 16, {192, 256}}, {1920, 1080, 512, 16, {288, 512}},
      {100, 50, 64, 4, {32, 64}},      {7, 5, 16, 16, {16, 16}},
  };
  for (const auto& c : cases) {
    auto size = working_resolution(c.width, c.height, c.working, c.multiple);
    REQUIRE(size.ok());
    CHECK_MESSAGE(*size == c.expect,
                  c.width << "x" << c.height << " at " << c.working << ": got " << size->h << "x" << size->w);
  }
  auto small = working_resolution(100, 100, 8, 16);
  REQUIRE_FALSE(small.ok());
  CHECK(contains(small.message(), "between 16"));
  auto huge = working_resolution(100, 100, 5000, 16);
  REQUIRE_FALSE(huge.ok());
  CHECK(contains(huge.message(), "4096"));
  CHECK_FALSE(working_resolution(0, 100, 256, 16).ok());
}

TEST_CASE("colorize_cpu: any size in, same size out") {
  auto graph = Graph::builtin("advanced");
  REQUIRE(graph.ok());
  const Model model = random_model(*graph, 9);
  const RgbImage image = gradient(45, 30);
  for (CpuPath path : {CpuPath::Fast, CpuPath::Reference}) {
    auto colored = colorize_cpu(model, image, {3, 32, path});
    REQUIRE_MESSAGE(colored.ok(), (colored.ok() ? std::string() : colored.message()));
    CHECK(colored->width == 45);
    CHECK(colored->height == 30);
    CHECK(colored->pixels.size() == image.pixels.size());
  }
  // The same at the image's own size (no resizing), fast path against reference.
  const RgbImage square = gradient(32, 32);
  auto fast = colorize_cpu(model, square, {2, 32, CpuPath::Fast});
  auto ref = colorize_cpu(model, square, {2, 32, CpuPath::Reference});
  REQUIRE(fast.ok());
  REQUIRE(ref.ok());
  int far = 0;
  for (size_t i = 0; i < fast->pixels.size(); ++i) far += std::abs(fast->pixels[i] - ref->pixels[i]) > 1;
  CHECK(far == 0);

  auto bad_category = colorize_cpu(model, image, {8, 32, CpuPath::Fast});
  REQUIRE_FALSE(bad_category.ok());
  CHECK(contains(bad_category.message(), "category 8"));
  auto empty = colorize_cpu(model, RgbImage{}, {});
  REQUIRE_FALSE(empty.ok());
  CHECK(contains(empty.message(), "empty"));
}

}  // namespace
}  // namespace convlab
