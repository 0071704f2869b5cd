// The ECNN data layout: categories.csv rows, skipped rows and files, Lab planes.
#include "core/model/dataset.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/io/asset_paths.h"

using namespace convlab;

namespace {
// A fresh folder, removed at the end of the test.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    path = std::filesystem::temp_directory_path() /
           ("convlab-dataset-" + std::to_string(reinterpret_cast<uintptr_t>(this)) + "-" +
            std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};
}  // namespace

TEST_CASE("dataset listing: good rows kept, bad rows and unlisted files reported") {
  ScratchDir dir;
  const auto photos = bundled_sample_photos();
  REQUIRE(photos.size() >= 2);
  std::filesystem::create_directories(dir.file("images"));
  std::filesystem::copy_file(photos[0], dir.file("images/a.jpg"));
  std::filesystem::copy_file(photos[1], dir.file("images/b.jpg"));
  std::ofstream(dir.file("images/extra.jpg")) << "not listed";
  std::ofstream(dir.file("categories.csv"))
      << "image;category\na.jpg;2\nb.jpg;9\nno separator\nother.jpg;1\n";
  auto listing = list_dataset(dir.file("images"), dir.file("categories.csv"));
  REQUIRE_MESSAGE(listing.ok(), (listing.ok() ? "" : listing.message()));
  REQUIRE(listing->images.size() == 1);
  CHECK(listing->images[0].category == 2);
  std::string skipped;
  for (const std::string& line : listing->skipped) skipped += line + "\n";
  CHECK(skipped.find("categories.csv:3") != std::string::npos);  // b.jpg;9
  CHECK(skipped.find("categories.csv:4") != std::string::npos);  // no separator
  CHECK(skipped.find("extra.jpg") != std::string::npos);
  CHECK(skipped.find("b.jpg: not in") != std::string::npos);  // its row was bad

  CHECK_FALSE(list_dataset(dir.file("nope"), dir.file("categories.csv")).ok());
  CHECK_FALSE(list_dataset(dir.file("images"), dir.file("missing.csv")).ok());
}

TEST_CASE("Lab image: square crop at the asked size, L in [0, 100]") {
  const auto photos = bundled_sample_photos();
  auto lab = load_lab_image(photos[0], 48);
  REQUIRE(lab.ok());
  CHECK(lab->rgb.width == 48);
  CHECK(lab->L.shape() == Shape{1, 1, 48, 48});
  CHECK(lab->ab.shape() == Shape{1, 2, 48, 48});
  for (float v : lab->L.values()) {
    CHECK(v >= 0.0f);
    CHECK(v <= 100.0f);
  }
  CHECK_FALSE(load_lab_image("/no/such.png", 48).ok());
}
