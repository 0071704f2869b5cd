// The ECNN data layout: categories.csv rows, skipped rows and files, Lab planes.
#include "core/model/dataset.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
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

TEST_CASE("categories.csv rows: header, spaces, CRLF, bad rows named by line; the last row wins") {
  const CategoryRows rows =
      parse_category_rows("image;category\r\n a.jpg ; 3 \r\n\nb.jpg;8\nc.jpg\n;4\na.jpg;5", "cats.csv");
  CHECK(rows.labels.size() == 1);
  CHECK(rows.labels.at("a.jpg") == 5);
  REQUIRE(rows.skipped.size() == 3);
  CHECK(rows.skipped[0].rfind("cats.csv:4: ", 0) == 0);  // b.jpg;8
  CHECK(rows.skipped[1].rfind("cats.csv:5: no ';'", 0) == 0);
  CHECK(rows.skipped[2].rfind("cats.csv:6: ", 0) == 0);  // no file name
  CHECK(parse_category_rows("", "x").labels.empty());
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

TEST_CASE("validation split: stratified by category, fixed by seed and file names") {
  DatasetListing listing;
  for (int i = 0; i < 100; ++i) listing.images.push_back({"/data/a" + std::to_string(1000 + i) + ".jpg", 1});
  for (int i = 0; i < 50; ++i) listing.images.push_back({"/data/b" + std::to_string(1000 + i) + ".jpg", 2});
  for (int i = 0; i < 3; ++i) listing.images.push_back({"/data/c" + std::to_string(i) + ".jpg", 3});
  listing.images.push_back({"/data/d.jpg", 4});  // alone in its category: always trained on
  listing.skipped = {"x.jpg: not in categories.csv"};

  const DatasetSplit split = split_validation(listing, 0.1, 7);
  // round(0.1 * 100) + round(0.1 * 50) + at least 1 of 3 + none of 1.
  REQUIRE(split.validation.images.size() == 10u + 5u + 1u);
  CHECK(split.train.images.size() == 90u + 45u + 2u + 1u);
  CHECK(split.train.skipped == listing.skipped);
  std::array<int, 8> per_category{};
  for (const LabeledImage& image : split.validation.images)
    ++per_category[static_cast<size_t>(image.category)];
  CHECK(per_category[1] == 10);
  CHECK(per_category[2] == 5);
  CHECK(per_category[3] == 1);
  CHECK(per_category[4] == 0);
  // Disjoint, together the whole listing, each in the listing's order.
  std::vector<std::string> all;
  for (const auto* part : {&split.train, &split.validation})
    for (size_t i = 0; i < part->images.size(); ++i) {
      all.push_back(part->images[i].path);
      if (i > 0) CHECK(part->images[i - 1].path < part->images[i].path);
    }
  std::sort(all.begin(), all.end());
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  CHECK(all.size() == listing.images.size());

  // The same seed and names give the same slice, even from another folder;
  // another seed gives another one.
  DatasetListing moved = listing;
  for (LabeledImage& image : moved.images) image.path = "/elsewhere/" + image.path.substr(6);
  const DatasetSplit again = split_validation(moved, 0.1, 7);
  REQUIRE(again.validation.images.size() == split.validation.images.size());
  for (size_t i = 0; i < again.validation.images.size(); ++i)
    CHECK(again.validation.images[i].path.substr(11) == split.validation.images[i].path.substr(6));
  const DatasetSplit other = split_validation(listing, 0.1, 8);
  REQUIRE(other.validation.images.size() == 16u);
  int same = 0;
  for (size_t i = 0; i < other.validation.images.size(); ++i)
    same += static_cast<int>(
        std::count_if(split.validation.images.begin(), split.validation.images.end(),
                      [&](const LabeledImage& x) { return x.path == other.validation.images[i].path; }));
  CHECK(same < 8);

  // Fraction 0: everything is training data.
  const DatasetSplit none = split_validation(listing, 0.0, 7);
  CHECK(none.validation.images.empty());
  CHECK(none.train.images.size() == listing.images.size());
}
