// The colorizer scores: chroma of (a,b), the chroma ratio and the
// per-category table add up to the overall figures.
#include "core/model/evaluate.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/io/asset_paths.h"

using namespace convlab;

TEST_CASE("chroma sums |ab| over the pixels; categories have names") {
  // a plane then b plane: |(3,4)| = 5, |(0,0)| = 0, |(-6,8)| = 10.
  const float ab[6] = {3, 0, -6, 4, 0, 8};
  CHECK(chroma_sum(ab, 3) == doctest::Approx(15.0));
  CHECK(chroma_sum(ab, 0) == 0.0);
  CHECK(std::string(category_name(0)) == "none");
  CHECK(std::string(category_name(3)) == "people");
  CHECK(std::string(category_name(7)) == "outdoor");
  CHECK(std::string(category_name(8)) == "?");
}

TEST_CASE("eval: gray scores computed by hand, per-category rows add up to the totals") {
  const auto photos = bundled_sample_photos();
  REQUIRE(photos.size() >= 6);
  DatasetListing test;
  for (size_t i = 0; i < 6; ++i) test.images.push_back({photos[i], i < 4 ? 2 : 5});
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  const Model model = random_model(graph.value(), 3);
  auto means = category_mean_ab(test, 32);
  REQUIRE(means.ok());
  auto report = evaluate_colorizer(model, test, means.value(), 32, 0);
  REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.message()));
  REQUIRE(report->images == 6);

  // Gray: MSE = mean of a^2 + b^2 over both planes; chroma ratio 0.
  double gray_mse = 0, chroma_true = 0;
  for (const LabeledImage& item : test.images) {
    auto lab = load_lab_image(item.path, 32);
    REQUIRE(lab.ok());
    double sum = 0;
    for (int64_t i = 0; i < lab->ab.numel(); ++i) sum += static_cast<double>(lab->ab[i]) * lab->ab[i];
    gray_mse += sum / static_cast<double>(lab->ab.numel()) / 6.0;
    chroma_true += chroma_sum(lab->ab.data(), 32 * 32);
  }
  CHECK(report->gray.mse_ab == doctest::Approx(gray_mse).epsilon(1e-9));
  CHECK(report->gray.chroma_ratio == 0.0);
  CHECK(report->model.chroma_ratio > 0.0);
  // The category mean paints every pixel |mean (a,b)| of its category.
  double mean_chroma = 0;
  for (const LabeledImage& item : test.images) {
    const auto c = static_cast<size_t>(item.category);
    mean_chroma += 32.0 * 32.0 * std::hypot(means->a[c], means->b[c]);
  }
  CHECK(report->category_mean.chroma_ratio == doctest::Approx(mean_chroma / chroma_true).epsilon(1e-6));
  CHECK(report->category_mean.chroma_ratio < 1.0);

  CHECK(report->categories[2].images == 4);
  CHECK(report->categories[5].images == 2);
  CHECK(report->categories[1].images == 0);
  CHECK(report->categories[1].model.mse_ab == 0.0);
  // Per-image means: the two categories' rows weighted by their photos give the totals.
  const auto weighted = [&](auto pick) {
    return (4 * pick(report->categories[2]) + 2 * pick(report->categories[5])) / 6;
  };
  CHECK(weighted([](const CategoryScores& c) { return c.model.mse_ab; }) ==
        doctest::Approx(report->model.mse_ab));
  CHECK(weighted([](const CategoryScores& c) { return c.gray.mse_ab; }) ==
        doctest::Approx(report->gray.mse_ab));
  CHECK(weighted([](const CategoryScores& c) { return c.category_mean.mse_ab; }) ==
        doctest::Approx(report->category_mean.mse_ab));
  CHECK(weighted([](const CategoryScores& c) { return c.model.psnr; }) ==
        doctest::Approx(report->model.psnr));
  // The model's chroma ratio over all photos lies between the categories' ratios.
  const double low =
      std::min(report->categories[2].model.chroma_ratio, report->categories[5].model.chroma_ratio);
  const double high =
      std::max(report->categories[2].model.chroma_ratio, report->categories[5].model.chroma_ratio);
  CHECK(report->model.chroma_ratio >= low - 1e-12);
  CHECK(report->model.chroma_ratio <= high + 1e-12);
}
