// How good a colorizer is, measured on held-out photos, against two
// baselines any model must beat: gray (a = b = 0) and the mean (a, b) of the
// photo's category in the training set.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/model/dataset.h"
#include "core/model/model.h"

namespace convlab {

// Mean a and b over every pixel of the training photos of each category;
// a category without photos gets the mean over all of them.
struct CategoryMeans {
  std::array<double, 8> a{}, b{};
  std::array<int64_t, 8> images{};
};
Result<CategoryMeans> category_mean_ab(const DatasetListing& train, int side);

struct ColorScores {
  double mse_ab = 0;  // mean over images, pixels and both channels, Lab units squared
  double psnr = 0;    // mean over images of the RGB PSNR (dB, values in [0, 1]) against the original
  // Mean chroma |ab| = sqrt(a^2 + b^2) predicted over mean chroma true, over
  // every pixel of every image: 1 is as vivid as the photos, 0 is gray.
  double chroma_ratio = 0;
};

// Sum over `pixels` of sqrt(a^2 + b^2), with ab = the a plane then the b plane.
double chroma_sum(const float* ab, int64_t pixels);

// The scores of the photos of one category (0-7).
struct CategoryScores {
  int images = 0;
  ColorScores model, gray, category_mean;
};

// Display name of a category (0 "none", 1 "food", ... 7 "outdoor").
const char* category_name(int category);

// One contact-sheet row: the same photo four ways.
struct SheetRow {
  RgbImage gray, category_mean, model, original;
  std::string name;
  int category = 0;
};

struct EvalReport {
  int images = 0;
  ColorScores model, gray, category_mean;
  std::array<CategoryScores, 8> categories;  // by category; images == 0 where none
  std::vector<std::string> skipped;          // unreadable test images
  std::vector<SheetRow> sheet;               // evenly spaced over the test set
};
// Runs the model (CPU, batches of 16) on every test image at side x side.
Result<EvalReport> evaluate_colorizer(const Model& model, const DatasetListing& test,
                                      const CategoryMeans& means, int side, int sheet_rows);

// The rows as one picture: gray | category mean | model | original, with
// column titles; rows split over `groups` side-by-side groups.
RgbImage contact_sheet(const std::vector<SheetRow>& rows, int groups = 2);

}  // namespace convlab
