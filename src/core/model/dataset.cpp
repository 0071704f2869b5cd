#include "core/model/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/color/lab.h"

namespace convlab {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

uint64_t fnv1a64(const std::string& text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

}  // namespace

CategoryRows parse_category_rows(const std::string& text, const std::string& source) {
  CategoryRows rows;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = trim(line);
    if (line.empty()) continue;
    if (number == 1 && line.rfind("image", 0) == 0) continue;  // the header
    const size_t split = line.find(';');
    const std::string where = source + ":" + std::to_string(number) + ": ";
    if (split == std::string::npos) {
      rows.skipped.push_back(where + "no ';' (want image;category)");
      continue;
    }
    const std::string name = trim(line.substr(0, split)), value = trim(line.substr(split + 1));
    if (name.empty() || value.size() != 1 || value[0] < '0' || value[0] > '7') {
      rows.skipped.push_back(where + "'" + line + "' is not image;category with category 0-7");
      continue;
    }
    rows.labels[name] = value[0] - '0';
  }
  return rows;
}

Result<DatasetListing> list_dataset(const std::string& folder, const std::string& categories_csv) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return Error{"data folder '" + folder + "' does not exist or is not a folder"};
  std::ifstream csv(categories_csv, std::ios::binary);
  if (!csv) return Error{"categories file '" + categories_csv + "' cannot be read"};
  std::ostringstream text;
  text << csv.rdbuf();
  CategoryRows rows = parse_category_rows(text.str(), categories_csv);
  DatasetListing listing;
  listing.skipped = std::move(rows.skipped);
  const std::map<std::string, int>& labels = rows.labels;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string name = entry.path().filename().string();
    const auto label = labels.find(name);
    if (label == labels.end()) {
      listing.skipped.push_back(name + ": not in " + categories_csv);
      continue;
    }
    listing.images.push_back({entry.path().string(), label->second});
  }
  if (ec) return Error{"data folder '" + folder + "' cannot be listed: " + ec.message()};
  std::sort(listing.images.begin(), listing.images.end(),
            [](const LabeledImage& a, const LabeledImage& b) { return a.path < b.path; });
  if (listing.images.empty())
    return Error{"no image of '" + folder + "' is listed in '" + categories_csv +
                 "' (rows are image;category with the file name only)"};
  return listing;
}

DatasetSplit split_validation(const DatasetListing& listing, double fraction, uint64_t seed) {
  DatasetSplit split;
  split.train.skipped = listing.skipped;
  std::vector<bool> held(listing.images.size(), false);
  if (fraction > 0) {
    std::map<int, std::vector<std::pair<uint64_t, size_t>>> by_category;
    for (size_t i = 0; i < listing.images.size(); ++i) {
      const std::string name = fs::path(listing.images[i].path).filename().string();
      by_category[listing.images[i].category].push_back({splitmix64(seed ^ fnv1a64(name)), i});
    }
    for (auto& [category, members] : by_category) {
      (void)category;
      const auto n = static_cast<int64_t>(members.size());
      int64_t take = std::llround(fraction * static_cast<double>(n));
      if (n >= 2)
        take = std::clamp<int64_t>(take, 1, n - 1);
      else
        take = 0;
      std::sort(members.begin(), members.end());
      for (int64_t k = 0; k < take; ++k) held[members[static_cast<size_t>(k)].second] = true;
    }
  }
  for (size_t i = 0; i < listing.images.size(); ++i)
    (held[i] ? split.validation : split.train).images.push_back(listing.images[i]);
  return split;
}

Result<LabImage> load_lab_image(const std::string& path, int side) {
  auto image = load_image(path);
  if (!image.ok()) return image.error();
  LabImage out;
  if (image->width == side && image->height == side) {
    out.rgb = std::move(image).value();
  } else {
    auto resized = resize_image(center_crop_to_aspect(image.value(), 1, 1), side, side);
    if (!resized.ok()) return Error{path + ": " + resized.message()};
    out.rgb = std::move(resized).value();
  }
  auto lab = rgb_to_lab(image_to_tensor(out.rgb));
  if (!lab.ok()) return Error{path + ": " + lab.message()};
  const size_t plane = static_cast<size_t>(side) * static_cast<size_t>(side);
  out.L = Tensor({1, 1, side, side});
  out.ab = Tensor({1, 2, side, side});
  std::memcpy(out.L.data(), lab->data(), plane * sizeof(float));
  std::memcpy(out.ab.data(), lab->data() + plane, 2 * plane * sizeof(float));
  return out;
}

}  // namespace convlab
