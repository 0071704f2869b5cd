#include "core/model/evaluate.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/color/lab.h"
#include "core/io/raster_text.h"
#include "core/model/runner.h"

namespace convlab {

namespace {

constexpr int kBatch = 16;

// L plane (1,1,S,S) + a,b planes (1,2,S,S) -> RGB bytes.
Result<RgbImage> lab_planes_to_rgb(const Tensor& L, const float* ab, int side) {
  const size_t plane = static_cast<size_t>(side) * static_cast<size_t>(side);
  Tensor lab({1, 3, side, side});
  std::memcpy(lab.data(), L.data(), plane * sizeof(float));
  std::memcpy(lab.data() + plane, ab, 2 * plane * sizeof(float));
  auto rgb = lab_to_rgb(lab);
  if (!rgb.ok()) return rgb.error();
  return tensor_to_image(rgb.value());
}

double mse_ab(const Tensor& truth, const float* predicted) {
  double sum = 0;
  for (int64_t i = 0; i < truth.numel(); ++i) {
    const double d = static_cast<double>(predicted[i]) - truth[i];
    sum += d * d;
  }
  return sum / static_cast<double>(truth.numel());
}

double psnr(const RgbImage& a, const RgbImage& b) {
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    const double d = (static_cast<double>(a.pixels[i]) - b.pixels[i]) / 255.0;
    sum += d * d;
  }
  const double mse = std::max(sum / static_cast<double>(a.pixels.size()), 1e-10);
  return 10.0 * std::log10(1.0 / mse);
}

// Sums over the images, turned into the means and ratio at the end.
struct ScoreSums {
  double mse = 0, psnr = 0, chroma_predicted = 0, chroma_true = 0;
  void add(double image_mse, double image_psnr, double predicted, double truth) {
    mse += image_mse;
    psnr += image_psnr;
    chroma_predicted += predicted;
    chroma_true += truth;
  }
  ColorScores scores(int images) const {
    ColorScores s;
    if (images <= 0) return s;
    s.mse_ab = mse / images;
    s.psnr = psnr / images;
    s.chroma_ratio = chroma_true > 0 ? chroma_predicted / chroma_true : 0.0;
    return s;
  }
};

}  // namespace

double chroma_sum(const float* ab, int64_t pixels) {
  double sum = 0;
  for (int64_t i = 0; i < pixels; ++i) {
    const double a = ab[i], b = ab[pixels + i];
    sum += std::sqrt(a * a + b * b);
  }
  return sum;
}

const char* category_name(int category) {
  static const char* const names[8] = {"none",    "food",     "animals", "people",
                                       "objects", "vehicles", "indoor",  "outdoor"};
  return category >= 0 && category < 8 ? names[category] : "?";
}

Result<CategoryMeans> category_mean_ab(const DatasetListing& train, int side) {
  std::array<double, 8> sum_a{}, sum_b{};
  std::array<int64_t, 8> pixels{};
  CategoryMeans means;
  for (const LabeledImage& item : train.images) {
    auto lab = load_lab_image(item.path, side);
    if (!lab.ok()) continue;  // the same images are skipped (and listed) by the trainer
    const int64_t plane = static_cast<int64_t>(side) * side;
    const auto c = static_cast<size_t>(item.category);
    for (int64_t i = 0; i < plane; ++i) {
      sum_a[c] += lab->ab[i];
      sum_b[c] += lab->ab[plane + i];
    }
    pixels[c] += plane;
    ++means.images[c];
  }
  double all_a = 0, all_b = 0;
  int64_t all = 0;
  for (size_t c = 0; c < 8; ++c) {
    all_a += sum_a[c];
    all_b += sum_b[c];
    all += pixels[c];
  }
  if (all == 0) return Error{"no training photo could be read for the category means"};
  for (size_t c = 0; c < 8; ++c) {
    means.a[c] = pixels[c] ? sum_a[c] / static_cast<double>(pixels[c]) : all_a / static_cast<double>(all);
    means.b[c] = pixels[c] ? sum_b[c] / static_cast<double>(pixels[c]) : all_b / static_cast<double>(all);
  }
  return means;
}

Result<EvalReport> evaluate_colorizer(const Model& model, const DatasetListing& test,
                                      const CategoryMeans& means, int side, int sheet_rows) {
  if (side % model.graph.size_multiple() != 0)
    return Error{"eval size " + std::to_string(side) + " is not a multiple of " +
                 std::to_string(model.graph.size_multiple())};
  EvalReport report;
  std::vector<LabImage> images;
  std::vector<const LabeledImage*> items;
  for (const LabeledImage& item : test.images) {
    auto lab = load_lab_image(item.path, side);
    if (!lab.ok()) {
      report.skipped.push_back(lab.message());
      continue;
    }
    images.push_back(std::move(lab).value());
    items.push_back(&item);
  }
  if (images.empty()) return Error{"none of the test photos could be read"};
  const int count = static_cast<int>(images.size());
  // Evenly spaced sheet rows, so every category tends to show up.
  std::vector<int> sheet_indices;
  for (int r = 0; r < std::min(sheet_rows, count); ++r)
    sheet_indices.push_back(r * count / std::min(sheet_rows, count));
  const size_t plane = static_cast<size_t>(side) * static_cast<size_t>(side);
  std::vector<float> zeros(2 * plane, 0.0f), mean_ab(2 * plane);
  // [0]: every photo, [1 + c]: category c; each for model, gray, category mean.
  std::array<std::array<ScoreSums, 3>, 9> sums{};
  for (int start = 0; start < count; start += kBatch) {
    const int n = std::min(kBatch, count - start);
    Tensor gray({n, 1, side, side});
    std::vector<int64_t> categories;
    for (int k = 0; k < n; ++k) {
      std::memcpy(gray.data() + static_cast<size_t>(k) * plane,
                  images[static_cast<size_t>(start + k)].L.data(), plane * sizeof(float));
      categories.push_back(items[static_cast<size_t>(start + k)]->category);
    }
    auto acts = run_model_cpu(model, gray, categories, CpuPath::Fast, false);
    if (!acts.ok()) return acts.error();
    const Tensor& ab = acts->output(model.graph);
    for (int k = 0; k < n; ++k) {
      const int index = start + k;
      const LabImage& image = images[static_cast<size_t>(index)];
      const int category = static_cast<int>(categories[static_cast<size_t>(k)]);
      std::fill(mean_ab.begin(), mean_ab.begin() + static_cast<std::ptrdiff_t>(plane),
                static_cast<float>(means.a[static_cast<size_t>(category)]));
      std::fill(mean_ab.begin() + static_cast<std::ptrdiff_t>(plane), mean_ab.end(),
                static_cast<float>(means.b[static_cast<size_t>(category)]));
      const float* predicted = ab.data() + static_cast<size_t>(k) * 2 * plane;
      auto model_rgb = lab_planes_to_rgb(image.L, predicted, side);
      auto gray_rgb = lab_planes_to_rgb(image.L, zeros.data(), side);
      auto mean_rgb = lab_planes_to_rgb(image.L, mean_ab.data(), side);
      if (!model_rgb.ok() || !gray_rgb.ok() || !mean_rgb.ok())
        return Error{"Lab to RGB failed on a test photo"};
      const auto pixels = static_cast<int64_t>(plane);
      const double truth = chroma_sum(image.ab.data(), pixels);
      const std::array<ScoreSums, 3> one = [&] {
        std::array<ScoreSums, 3> s{};
        s[0].add(mse_ab(image.ab, predicted), psnr(model_rgb.value(), image.rgb),
                 chroma_sum(predicted, pixels), truth);
        s[1].add(mse_ab(image.ab, zeros.data()), psnr(gray_rgb.value(), image.rgb), 0.0, truth);
        s[2].add(mse_ab(image.ab, mean_ab.data()), psnr(mean_rgb.value(), image.rgb),
                 chroma_sum(mean_ab.data(), pixels), truth);
        return s;
      }();
      for (size_t group : {size_t{0}, static_cast<size_t>(1 + category)})
        for (size_t m = 0; m < 3; ++m)
          sums[group][m].add(one[m].mse, one[m].psnr, one[m].chroma_predicted, one[m].chroma_true);
      ++report.categories[static_cast<size_t>(category)].images;
      if (std::find(sheet_indices.begin(), sheet_indices.end(), index) != sheet_indices.end())
        report.sheet.push_back(
            {gray_rgb.value(), mean_rgb.value(), model_rgb.value(), image.rgb,
             std::filesystem::path(items[static_cast<size_t>(index)]->path).filename().string(), category});
    }
  }
  report.images = count;
  report.model = sums[0][0].scores(count);
  report.gray = sums[0][1].scores(count);
  report.category_mean = sums[0][2].scores(count);
  for (size_t c = 0; c < 8; ++c) {
    CategoryScores& scores = report.categories[c];
    scores.model = sums[1 + c][0].scores(scores.images);
    scores.gray = sums[1 + c][1].scores(scores.images);
    scores.category_mean = sums[1 + c][2].scores(scores.images);
  }
  return report;
}

RgbImage contact_sheet(const std::vector<SheetRow>& rows, int groups) {
  const int tile = rows.empty() ? 128 : rows.front().original.width;
  const int gap = 6, group_gap = 30, header = 40;
  groups = std::max(1, std::min(groups, static_cast<int>(rows.size())));
  const int per_group = rows.empty() ? 0 : (static_cast<int>(rows.size()) + groups - 1) / groups;
  const int group_width = 4 * tile + 3 * gap;
  RgbImage sheet;
  sheet.width = groups * group_width + (groups - 1) * group_gap + 2 * gap;
  sheet.height = header + per_group * (tile + gap) + gap;
  sheet.pixels.assign(static_cast<size_t>(sheet.width) * static_cast<size_t>(sheet.height) * 3, 255);
  const char* titles[4] = {"gray", "category mean", "model", "original"};
  for (int g = 0; g < groups; ++g)
    for (int c = 0; c < 4; ++c)
      draw_text(sheet, gap + g * (group_width + group_gap) + c * (tile + gap), 12, titles[c],
                TextColor{30, 30, 36},
                text_width(titles[c], 2) < tile - 4 ? 2 : 1);  // big titles only where they fit
  for (size_t r = 0; r < rows.size(); ++r) {
    const int g = static_cast<int>(r) / per_group, row = static_cast<int>(r) % per_group;
    const int x0 = gap + g * (group_width + group_gap), y0 = header + row * (tile + gap);
    const RgbImage* tiles[4] = {&rows[r].gray, &rows[r].category_mean, &rows[r].model, &rows[r].original};
    for (int c = 0; c < 4; ++c) {
      const RgbImage& image = *tiles[c];
      for (int y = 0; y < std::min(tile, image.height); ++y)
        std::memcpy(&sheet.pixels[(static_cast<size_t>(y0 + y) * static_cast<size_t>(sheet.width) +
                                   static_cast<size_t>(x0 + c * (tile + gap))) *
                                  3],
                    &image.pixels[static_cast<size_t>(y) * static_cast<size_t>(image.width) * 3],
                    static_cast<size_t>(std::min(tile, image.width)) * 3);
    }
  }
  return sheet;
}

}  // namespace convlab
