// Colorizer data as the original ECNN project lays it out: a folder of
// images plus `categories.csv` ("image;category", ';'-separated, category
// 0-7, image = file name). Shared by `convlab eval` and the trainer. Bad rows
// and unreadable images are listed and skipped, never fatal.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/base/tensor.h"
#include "core/io/image_io.h"

namespace convlab {

struct LabeledImage {
  std::string path;
  int category = 0;
};

struct DatasetListing {
  std::vector<LabeledImage> images;  // sorted by file name
  std::vector<std::string> skipped;  // "categories.csv:12: ..." or "x.jpg: ..." lines, for the user
};

// The rows of a categories.csv: file name -> category 0-7. Bad rows are
// listed in `skipped` ("SOURCE:LINE: what is wrong"), never fatal; a first
// line starting with "image" is the header.
struct CategoryRows {
  std::map<std::string, int> labels;
  std::vector<std::string> skipped;
};
CategoryRows parse_category_rows(const std::string& text, const std::string& source);

// Images of `folder` that categories.csv names (rows for other folders'
// images are ignored: one CSV serves train and test). Fails only when the
// folder or the CSV cannot be read at all, or nothing usable remains.
Result<DatasetListing> list_dataset(const std::string& folder, const std::string& categories_csv);

// A hold-out slice for validation, stratified by category: of each
// category's n images, round(fraction * n) go to `validation` (at least one
// when n >= 2 and fraction > 0), the rest to `train`. Which ones is fixed by
// (seed, file name) alone: the images with the lowest splitmix64(seed ^
// FNV-1a(file name)) in their category, so the slice does not depend on the
// folder's other files. Both keep the listing's order (sorted by file name).
struct DatasetSplit {
  DatasetListing train, validation;
};
DatasetSplit split_validation(const DatasetListing& listing, double fraction, uint64_t seed);

// One image as the colorizer trains on it: center-cropped to a square,
// resized to side x side, split into L and a,b (scikit-image's Lab, D65).
struct LabImage {
  RgbImage rgb;  // side x side, what L and ab were made from
  Tensor L;      // (1, 1, side, side), [0, 100]
  Tensor ab;     // (1, 2, side, side)
};
Result<LabImage> load_lab_image(const std::string& path, int side);

}  // namespace convlab
