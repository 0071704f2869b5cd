#include "core/explore/presets.h"

#include <array>
#include <cctype>
#include <cmath>

#include "core/base/i18n.h"
namespace convlab::explore {

namespace {

constexpr std::array<const char*, 4> kInputNames = {"numbers", "ramp", "checkerboard", "random"};
constexpr std::array<const char*, 8> kKernelNames = {"identity", "box",     "gaussian",  "sharpen",
                                                     "sobel_x",  "sobel_y", "laplacian", "random"};

// Row n of Pascal's triangle: the discrete Gaussian that needs no sigma.
std::vector<double> binomial_row(int length) {
  std::vector<double> row(static_cast<size_t>(length), 1.0);
  for (int i = 1; i < length; ++i)
    for (int j = i - 1; j > 0; --j) row[static_cast<size_t>(j)] += row[static_cast<size_t>(j - 1)];
  return row;
}

bool three_by_three_only(KernelPreset preset) {
  return preset == KernelPreset::Sharpen || preset == KernelPreset::SobelX ||
         preset == KernelPreset::SobelY || preset == KernelPreset::Laplacian;
}

}  // namespace

std::string join_names(std::span<const char* const> names) {
  std::string text;
  for (const char* name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

std::optional<size_t> find_name(std::span<const char* const> names, const std::string& name) {
  std::string wanted;
  for (char ch : name) wanted += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (size_t i = 0; i < names.size(); ++i)
    if (wanted == names[i]) return i;
  return std::nullopt;
}

uint64_t SeededRandom::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int SeededRandom::integer(int low, int high) {
  return low + static_cast<int>(next() % static_cast<uint64_t>(high - low + 1));
}

const char* input_preset_name(InputPreset preset) { return kInputNames[static_cast<size_t>(preset)]; }
const char* kernel_preset_name(KernelPreset preset) { return kKernelNames[static_cast<size_t>(preset)]; }
std::string input_preset_names() { return join_names(kInputNames); }
std::string kernel_preset_names() { return join_names(kKernelNames); }

Result<InputPreset> parse_input_preset(const std::string& name) {
  if (const auto index = find_name(kInputNames, name)) return static_cast<InputPreset>(*index);
  return Error{
      format(tr("unknown input preset '%s': use one of %s"), name.c_str(), input_preset_names().c_str())};
}

Result<KernelPreset> parse_kernel_preset(const std::string& name) {
  if (const auto index = find_name(kKernelNames, name)) return static_cast<KernelPreset>(*index);
  return Error{
      format(tr("unknown kernel preset '%s': use one of %s"), name.c_str(), kernel_preset_names().c_str())};
}

std::vector<float> make_input_preset(InputPreset preset, int channels, int height, int width, uint64_t seed) {
  std::vector<float> values;
  values.reserve(static_cast<size_t>(channels * height * width));
  SeededRandom random(seed);
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        switch (preset) {
          case InputPreset::Numbers:
            values.push_back(static_cast<float>((c * height + y) * width + x));
            break;
          case InputPreset::Ramp:
            values.push_back(width == 1 ? 0.0f : static_cast<float>(x) / static_cast<float>(width - 1));
            break;
          case InputPreset::Checkerboard:
            values.push_back(static_cast<float>((y + x + c) % 2));
            break;
          case InputPreset::Random:
            values.push_back(static_cast<float>(random.integer(0, 9)));
            break;
        }
      }
  return values;
}

Status kernel_preset_fits(KernelPreset preset, int kernel_h, int kernel_w) {
  if (three_by_three_only(preset) && (kernel_h != 3 || kernel_w != 3))
    return Error{
        format(tr("kernel preset %s is defined only for 3x3 kernels, not %dx%d: set the kernel to 3x3 "
                  "first, or use identity, box, gaussian or random, which fit any size"),
               kernel_preset_name(preset), kernel_h, kernel_w)};
  return {};
}

Result<std::vector<float>> make_kernel_preset(KernelPreset preset, int kernel_h, int kernel_w,
                                              uint64_t seed) {
  CONVLAB_TRY(kernel_preset_fits(preset, kernel_h, kernel_w));
  const size_t count = static_cast<size_t>(kernel_h * kernel_w);
  std::vector<float> values(count, 0.0f);
  switch (preset) {
    case KernelPreset::Identity:
      values[static_cast<size_t>((kernel_h - 1) / 2 * kernel_w + (kernel_w - 1) / 2)] = 1.0f;
      break;
    case KernelPreset::Box:
      for (float& v : values) v = 1.0f / static_cast<float>(count);
      break;
    case KernelPreset::Gaussian: {
      const std::vector<double> rows = binomial_row(kernel_h), cols = binomial_row(kernel_w);
      const double total =
          std::ldexp(1.0, kernel_h - 1 + kernel_w - 1);  // rows and columns each sum to 2^(n-1)
      for (int y = 0; y < kernel_h; ++y)
        for (int x = 0; x < kernel_w; ++x)
          values[static_cast<size_t>(y * kernel_w + x)] =
              static_cast<float>(rows[static_cast<size_t>(y)] * cols[static_cast<size_t>(x)] / total);
      break;
    }
    case KernelPreset::Sharpen:
      values = {0, -1, 0, -1, 5, -1, 0, -1, 0};
      break;
    case KernelPreset::SobelX:
      values = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
      break;
    case KernelPreset::SobelY:
      values = {-1, -2, -1, 0, 0, 0, 1, 2, 1};
      break;
    case KernelPreset::Laplacian:
      values = {0, 1, 0, 1, -4, 1, 0, 1, 0};
      break;
    case KernelPreset::Random: {
      SeededRandom random(seed);
      for (float& v : values) v = static_cast<float>(random.integer(-2, 2));
      break;
    }
  }
  return values;
}

Result<std::vector<float>> photo_patch(const RgbImage& image, CropRect crop, LumaRange range, int max_side) {
  if (image.width < 1 || image.height < 1 ||
      image.pixels.size() != static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3)
    return make_error("photo patch: the image is empty or its pixel buffer does not match ", image.width, "x",
                      image.height);
  if (crop.width < 1 || crop.height < 1 || crop.width > max_side || crop.height > max_side)
    return make_error("photo patch: the crop is ", crop.width, "x", crop.height, " but must be 1x1 to ",
                      max_side, "x", max_side);
  if (crop.x < 0 || crop.y < 0 || crop.x + crop.width > image.width || crop.y + crop.height > image.height)
    return make_error("photo patch: the crop ", crop.width, "x", crop.height, " at (x ", crop.x, ", y ",
                      crop.y, ") does not lie inside the ", image.width, "x", image.height, " image");
  std::vector<float> values;
  values.reserve(static_cast<size_t>(crop.width * crop.height));
  for (int y = crop.y; y < crop.y + crop.height; ++y)
    for (int x = crop.x; x < crop.x + crop.width; ++x) {
      const uint8_t* p = &image.pixels[(static_cast<size_t>(y) * static_cast<size_t>(image.width) + x) * 3];
      const double luma = std::round(0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]);
      values.push_back(range == LumaRange::Byte ? static_cast<float>(luma)
                                                : static_cast<float>(luma / 255.0));
    }
  return values;
}

}  // namespace convlab::explore
