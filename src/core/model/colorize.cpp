// The colorizer around the model: categories by name, the working size, and
// image -> L -> model -> a,b -> full-resolution color image.
#include "core/model/colorize.h"

#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/base/i18n.h"
#include "core/color/lab.h"
#include "core/ops/reference.h"

namespace convlab {
namespace {

constexpr int kCategories = 8;
constexpr int kMaxWorkingSize = 4096;

struct CategoryNames {
  const char* en;
  const char* pt;
  std::array<const char*, 3> aliases;  // other accepted spellings, nullptr-padded
};

// Index = category id. Names are matched after lower-casing and turning
// '_' / '-' into spaces, so "Ambientes_Internos" works too.
constexpr std::array<CategoryNames, kCategories> kNames = {{
    {"none", "nenhuma", {"uncategorized", nullptr, nullptr}},
    {"food", "alimentos", {nullptr, nullptr, nullptr}},
    {"animals", "animais", {nullptr, nullptr, nullptr}},
    {"people", "pessoas", {nullptr, nullptr, nullptr}},
    {"objects", "objetos", {nullptr, nullptr, nullptr}},
    {"vehicles", "veículos", {"veiculos", nullptr, nullptr}},
    {"indoor", "ambientes internos", {"internos", nullptr, nullptr}},
    {"outdoor", "ambientes externos", {"externos", nullptr, nullptr}},
}};

// Lower-cases ASCII and the UTF-8 Latin-1 capitals (À-Þ, e.g. "Í" -> "í"),
// maps '_' and '-' to spaces and collapses runs of spaces; trims the ends.
std::string normalize(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    // A leading '-' stays, so "-1" is not read as 1.
    if (c == '_' || c == ' ' || c == '\t' || (c == '-' && !out.empty())) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    out += static_cast<char>(c);
    const bool latin_capital = c == 0xC3 && i + 1 < text.size() &&
                               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                               static_cast<unsigned char>(text[i + 1]) <= 0x9E &&
                               static_cast<unsigned char>(text[i + 1]) != 0x97;  // 0x97 is the sign ×
    if (latin_capital) out += static_cast<char>(static_cast<unsigned char>(text[++i]) + 0x20);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string valid_categories() {
  std::string out = "0-7 or ";
  for (int i = 0; i < kCategories; ++i) {
    const auto& names = kNames[static_cast<size_t>(i)];
    out += std::string(i ? ", " : "") + std::to_string(i) + " " + names.en + "/" + names.pt;
  }
  return out;
}

// Rounds value to the nearest multiple of m, at least m.
int round_to_multiple(double value, int m) {
  const auto k = static_cast<int>(std::lround(value / m));
  return std::max(k, 1) * m;
}

Status check_image(const RgbImage& image) {
  if (image.width < 1 || image.height < 1)
    return make_error("the image is empty (", image.width, "x", image.height, ")");
  if (static_cast<int64_t>(image.pixels.size()) != int64_t{image.width} * image.height * 3)
    return make_error("the image has ", image.pixels.size(), " bytes but ", image.width, "x", image.height,
                      " RGB needs ", int64_t{image.width} * image.height * 3);
  return {};
}

// The L plane of a (1,3,H,W) Lab tensor as (1,1,H,W).
Tensor lightness(const Tensor& lab) {
  Tensor gray({1, 1, lab.h(), lab.w()});
  std::memcpy(gray.data(), lab.data(), static_cast<size_t>(gray.numel()) * sizeof(float));
  return gray;
}

}  // namespace

Result<int> parse_category(const std::string& text) {
  const std::string key = normalize(text);
  if (key.empty()) return Error{format(tr("empty category; valid: %s"), valid_categories().c_str())};
  if (key.find_first_not_of("0123456789") == std::string::npos) {
    if (key.size() > 3 || std::stoi(key) >= kCategories)
      return Error{
          format(tr("category %s is out of range; valid: %s"), text.c_str(), valid_categories().c_str())};
    return std::stoi(key);
  }
  for (int i = 0; i < kCategories; ++i) {
    const auto& names = kNames[static_cast<size_t>(i)];
    if (key == names.en || key == names.pt) return i;
    for (const char* alias : names.aliases)
      if (alias && key == alias) return i;
  }
  return Error{format(tr("unknown category \"%s\"; valid: %s"), text.c_str(), valid_categories().c_str())};
}

int category_from_file_name(const std::string& path) {
  const std::string stem = std::filesystem::path(path).stem().string();
  auto category = parse_category(stem.substr(0, stem.find('_')));
  return category.ok() ? category.value() : 0;
}

const char* category_name_en(int id) {
  return id >= 0 && id < kCategories ? kNames[static_cast<size_t>(id)].en : "unknown";
}

const char* category_name_pt(int id) {
  return id >= 0 && id < kCategories ? kNames[static_cast<size_t>(id)].pt : "desconhecida";
}

Result<Size2d> working_resolution(int width, int height, int working_size, int multiple) {
  if (width < 1 || height < 1) return make_error("image size ", width, "x", height, " is empty");
  if (multiple < 1) return make_error("size multiple ", multiple, " must be >= 1");
  if (working_size < multiple || working_size > kMaxWorkingSize)
    return make_error("working size ", working_size, " must be between ", multiple,
                      " (the model's size multiple) and ", kMaxWorkingSize);
  const int long_side = round_to_multiple(working_size, multiple);
  const double ratio = static_cast<double>(std::min(width, height)) / std::max(width, height);
  const int short_side = round_to_multiple(long_side * ratio, multiple);
  if (width >= height) return Size2d{short_side, long_side};
  return Size2d{long_side, short_side};
}

Result<ColorizeInput> prepare_colorize_input(const RgbImage& image, int working_size, int multiple) {
  CONVLAB_TRY(check_image(image));
  auto size = working_resolution(image.width, image.height, working_size, multiple);
  if (!size) return size.error();
  ColorizeInput input;
  input.original = image;
  input.working = *size;
  auto lab = rgb_to_lab(image_to_tensor(image));
  if (!lab) return lab.error();
  input.lab = std::move(lab).value();

  // The model sees L at the working size (resized in RGB with stb's filter).
  Tensor small_lab;
  if (size->w != image.width || size->h != image.height) {
    auto resized = resize_image(image, size->w, size->h);
    if (!resized) return resized.error();
    auto converted = rgb_to_lab(image_to_tensor(*resized));
    if (!converted) return converted.error();
    small_lab = std::move(converted).value();
  } else {
    small_lab = input.lab;
  }
  input.gray = lightness(small_lab);
  input.true_ab = Tensor({1, 2, small_lab.h(), small_lab.w()});
  const size_t plane = static_cast<size_t>(small_lab.h() * small_lab.w());
  std::memcpy(input.true_ab.data(), small_lab.data() + plane, 2 * plane * sizeof(float));
  return input;
}

Result<RgbImage> finish_colorize(const ColorizeInput& input, const Tensor& ab) {
  if (ab.rank() != 4 || ab.n() != 1 || ab.c() != 2)
    return make_error("the model's output has shape ", shape_to_string(ab.shape()),
                      "; a colorizer must give (1, 2, H, W)");
  const RgbImage& image = input.original;
  auto ab_full = reference::upsample_bilinear(ab, image.height, image.width);
  if (!ab_full) return ab_full.error();
  Tensor lab = input.lab;
  const size_t plane = static_cast<size_t>(image.width) * static_cast<size_t>(image.height);
  std::memcpy(lab.data() + plane, ab_full->data(), 2 * plane * sizeof(float));
  auto rgb = lab_to_rgb(lab);
  if (!rgb) return rgb.error();
  return tensor_to_image(*rgb);
}

Result<RgbImage> colorize_cpu(const Model& model, const RgbImage& image, const ColorizeOptions& options) {
  CONVLAB_TRY(check_image(image));
  if (options.category < 0 || options.category >= std::max(model.graph.categories(), 1))
    return make_error("category ", options.category, " is out of range; valid: ", valid_categories());
  auto input = prepare_colorize_input(image, options.working_size, model.graph.size_multiple());
  if (!input) return input.error();
  const int64_t category = options.category;
  auto acts = run_model_cpu(model, input->gray, std::span<const int64_t>(&category, 1), options.path, false);
  if (!acts) return acts.error();
  const Tensor& ab = acts->output(model.graph);
  if (ab.rank() != 4 || ab.c() != 2)
    return make_error("the ", model.graph.name(), " model's output has shape ", shape_to_string(ab.shape()),
                      "; a colorizer must give (N, 2, H, W)");
  return finish_colorize(*input, ab);
}

std::array<double, 2> mean_abs_ab(const Tensor& ab) {
  std::array<double, 2> sums{0.0, 0.0};
  if (ab.rank() != 4 || ab.c() != 2 || ab.numel() == 0) return sums;
  const int64_t plane = ab.h() * ab.w();
  for (int64_t n = 0; n < ab.n(); ++n)
    for (int64_t c = 0; c < 2; ++c) {
      const float* values = ab.data() + (n * 2 + c) * plane;
      for (int64_t i = 0; i < plane; ++i) sums[static_cast<size_t>(c)] += std::fabs(values[i]);
    }
  const double count = static_cast<double>(ab.n() * plane);
  return {sums[0] / count, sums[1] / count};
}

}  // namespace convlab
