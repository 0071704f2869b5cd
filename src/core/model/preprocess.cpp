#include "core/model/preprocess.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/base/i18n.h"
#include "core/base/number_text.h"
#include "core/color/lab.h"

namespace convlab {

namespace {

constexpr const char* kPrefix = "convlab.";
constexpr int kMaxSize = 1024;

std::string trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

// A whole-text number; files and settings always write a dot.
bool parse_float(const std::string& text, float& value) {
  const std::string t = trimmed(text);
  if (t.empty()) return false;
  // number_text.h, not std::from_chars: the browser's libc++ has no float overloads.
  return parse_number(t, value) && std::isfinite(value);
}

Result<std::vector<float>> parse_floats(const std::string& key, const std::string& text) {
  std::vector<float> values;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    float v = 0;
    if (!parse_float(text.substr(at, comma - at), v))
      return Error{
          format(tr("%s: '%s' is not a list of numbers separated by commas (e.g. 0.485,0.456,0.406)"),
                 key.c_str(), text.c_str())};
    values.push_back(v);
    at = comma + 1;
  }
  return values;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    lines.push_back(trimmed(text.substr(at, end - at)));
    at = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// The first input of rank 4 with 1 or 3 channels (or a free channel count).
const GraphInput* image_input(const Graph& graph) {
  for (const GraphInput& input : graph.inputs())
    if (!input.integer && input.shape.size() == 4 &&
        (input.shape[1] == 1 || input.shape[1] == 3 || input.shape[1] < 0))
      return &input;
  return nullptr;
}

}  // namespace

const char* color_layout_name(ColorLayout color) {
  switch (color) {
    case ColorLayout::Rgb:
      return "rgb";
    case ColorLayout::Bgr:
      return "bgr";
    case ColorLayout::Gray:
      return "gray";
    case ColorLayout::LabL:
      return "lab_l";
  }
  return "rgb";
}

const char* pixel_range_name(PixelRange range) { return range == PixelRange::Unit ? "0-1" : "0-255"; }

const char* resize_mode_name(ResizeMode mode) {
  return mode == ResizeMode::Squash ? "squash" : "center_crop";
}

bool takes_lab_and_category(const Graph& graph) {
  bool gray = false, category = false;
  for (const GraphInput& input : graph.inputs()) {
    gray = gray || input.name == "gray";
    category = category || input.name == "category";
  }
  return gray && category;
}

Status apply_preprocess_setting(Preprocess& recipe, const std::string& key, const std::string& value) {
  const std::string v = trimmed(value);
  if (key == "image_size") {
    int size = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), size);
    if (ec != std::errc() || ptr != v.data() + v.size() || size < 1 || size > kMaxSize)
      return Error{
          format(tr("image_size: '%s' is not a whole number from 1 to %d"), value.c_str(), kMaxSize)};
    recipe.size = size;
    return {};
  }
  if (key == "color") {
    for (ColorLayout c : {ColorLayout::Rgb, ColorLayout::Bgr, ColorLayout::Gray, ColorLayout::LabL})
      if (v == color_layout_name(c)) {
        recipe.color = c;
        return {};
      }
    return Error{format(tr("color: '%s' is not one of rgb, bgr, gray, lab_l"), value.c_str())};
  }
  if (key == "pixel_range") {
    if (v != "0-1" && v != "0-255")
      return Error{format(tr("pixel_range: '%s' is not one of 0-1, 0-255"), value.c_str())};
    recipe.range = v == "0-1" ? PixelRange::Unit : PixelRange::Byte;
    return {};
  }
  if (key == "resize") {
    if (v != "squash" && v != "center_crop")
      return Error{format(tr("resize: '%s' is not one of squash, center_crop"), value.c_str())};
    recipe.resize = v == "squash" ? ResizeMode::Squash : ResizeMode::CenterCrop;
    return {};
  }
  if (key == "mean" || key == "std") {
    auto values = parse_floats(key, v);
    if (!values) return values.error();
    if (key == "std")
      for (float s : *values)
        if (s == 0.0f)
          return Error{format(tr("std: '%s' has a zero; every std must be non-zero"), value.c_str())};
    // One number stands for every channel.
    if (values->size() == 1) values->assign(static_cast<size_t>(recipe.channels()), values->front());
    (key == "mean" ? recipe.mean : recipe.std) = std::move(values).value();
    return {};
  }
  return Error{
      format(tr("'%s' is not a preprocessing setting; valid: image_size, color, pixel_range, mean, std, "
                "resize"),
             key.c_str())};
}

Result<Preprocess> preprocess_from_metadata(const Graph& graph,
                                            const std::map<std::string, std::string>& metadata,
                                            const std::string& labels_file_text) {
  const GraphInput* input = image_input(graph);
  if (!input)
    return Error{tr("the model has no image input (a tensor of N x C x H x W with 1 or 3 channels)")};
  Preprocess recipe;
  recipe.input = input->name;
  // The graph's own size, when it fixes one; metadata may say otherwise.
  if (input->shape[2] > 0 && input->shape[2] == input->shape[3] && input->shape[2] <= kMaxSize)
    recipe.size = static_cast<int>(input->shape[2]);
  recipe.color = input->shape[1] == 1 ? ColorLayout::Gray : ColorLayout::Rgb;
  for (const char* key : {"image_size", "color", "pixel_range", "resize", "mean", "std"}) {
    auto it = metadata.find(std::string(kPrefix) + key);
    if (it == metadata.end()) continue;
    Status applied = apply_preprocess_setting(recipe, key, it->second);
    if (!applied) return with_context("metadata convlab.", applied.error());
  }
  const int channels = input->shape[1] > 0 ? static_cast<int>(input->shape[1]) : recipe.channels();
  if (recipe.channels() != channels)
    return Error{
        format(tr("metadata convlab.color: %s gives %d channels but the model's input '%s' takes %d"),
               color_layout_name(recipe.color), recipe.channels(), input->name.c_str(), channels)};
  for (std::vector<float>* values : {&recipe.mean, &recipe.std}) {
    const bool is_mean = values == &recipe.mean;
    if (values->empty()) values->assign(static_cast<size_t>(channels), is_mean ? 0.0f : 1.0f);
    if (values->size() == 1) values->assign(static_cast<size_t>(channels), values->front());
    if (values->size() != static_cast<size_t>(channels))
      return Error{format(tr("metadata convlab.%s: %d values for a model input of %d channels"),
                          is_mean ? "mean" : "std", static_cast<int>(values->size()), channels)};
  }
  if (auto it = metadata.find(std::string(kPrefix) + "labels"); it != metadata.end())
    recipe.labels = split_lines(it->second);
  else
    recipe.labels = split_lines(labels_file_text);
  const std::string translated = std::string(kPrefix) + "labels.";
  for (const auto& [key, value] : metadata)
    if (key.compare(0, translated.size(), translated) == 0 && key.size() > translated.size())
      recipe.translated_labels[key.substr(translated.size())] = split_lines(value);
  return recipe;
}

const std::vector<std::string>& Preprocess::labels_for(const std::string& language) const {
  std::string tag = language;
  std::replace(tag.begin(), tag.end(), '-', '_');
  auto it = translated_labels.find(tag);
  return it != translated_labels.end() ? it->second : labels;
}

Status check_recipe(const Graph& graph, const Preprocess& recipe) {
  const GraphInput* input = nullptr;
  for (const GraphInput& i : graph.inputs())
    if (i.name == recipe.input) input = &i;
  if (!input || input->shape.size() != 4)
    return Error{tr("the model has no image input (a tensor of N x C x H x W with 1 or 3 channels)")};
  const int channels = input->shape[1] > 0 ? static_cast<int>(input->shape[1]) : recipe.channels();
  if (recipe.channels() != channels)
    return Error{format(tr("color: %s gives %d channels but the model's input '%s' takes %d"),
                        color_layout_name(recipe.color), recipe.channels(), input->name.c_str(), channels)};
  if (recipe.mean.size() != static_cast<size_t>(channels) ||
      recipe.std.size() != static_cast<size_t>(channels))
    return Error{format(tr("mean and std need %d values each (one per channel)"), channels)};
  return {};
}

std::string preprocess_settings_text(const Preprocess& recipe) {
  const auto list = [](const std::vector<float>& values) {
    std::string text;
    for (float v : values) {
      if (!text.empty()) text += ',';
      text += shortest_text(v);  // reads back exactly
    }
    return text;
  };
  return "image_size=" + std::to_string(recipe.size) + "\ncolor=" + color_layout_name(recipe.color) +
         "\npixel_range=" + pixel_range_name(recipe.range) + "\nmean=" + list(recipe.mean) +
         "\nstd=" + list(recipe.std) + "\nresize=" + resize_mode_name(recipe.resize) + "\n";
}

Result<RgbImage> preprocess_view(const RgbImage& image, const Preprocess& recipe) {
  if (image.width < 1 || image.height < 1) return Error{tr("the photo is empty")};
  const RgbImage& cut = recipe.resize == ResizeMode::CenterCrop ? center_crop_to_aspect(image, 1, 1) : image;
  return resize_image(cut, recipe.size, recipe.size);
}

Result<Tensor> preprocess_image(const RgbImage& image, const Preprocess& recipe) {
  auto view = preprocess_view(image, recipe);
  if (!view) return view.error();
  const size_t channels = static_cast<size_t>(recipe.channels());
  if (recipe.mean.size() != channels || recipe.std.size() != channels)
    return Error{format(tr("mean and std need %d values each (one per channel)"), recipe.channels())};
  const Tensor rgb = image_to_tensor(*view);  // (1, 3, s, s) in [0, 1]
  const int64_t plane = static_cast<int64_t>(recipe.size) * recipe.size;
  Tensor out(Shape{1, static_cast<int64_t>(channels), recipe.size, recipe.size});
  const float scale = recipe.range == PixelRange::Byte ? 255.0f : 1.0f;
  if (recipe.color == ColorLayout::LabL) {
    // L runs 0 to 100 (the colorizer's convention); the range does not apply.
    auto lab = rgb_to_lab(rgb);
    if (!lab) return lab.error();
    for (int64_t i = 0; i < plane; ++i) out.data()[i] = (lab->data()[i] - recipe.mean[0]) / recipe.std[0];
    return out;
  }
  for (int64_t i = 0; i < plane; ++i) {
    const float r = rgb.data()[i], g = rgb.data()[plane + i], b = rgb.data()[2 * plane + i];
    if (recipe.color == ColorLayout::Gray) {
      // ITU-R BT.601 luma, as PIL's convert("L") and torchvision's Grayscale.
      out.data()[i] = (scale * (0.299f * r + 0.587f * g + 0.114f * b) - recipe.mean[0]) / recipe.std[0];
      continue;
    }
    const float first = recipe.color == ColorLayout::Bgr ? b : r,
                last = recipe.color == ColorLayout::Bgr ? r : b;
    out.data()[i] = (scale * first - recipe.mean[0]) / recipe.std[0];
    out.data()[plane + i] = (scale * g - recipe.mean[1]) / recipe.std[1];
    out.data()[2 * plane + i] = (scale * last - recipe.mean[2]) / recipe.std[2];
  }
  return out;
}

}  // namespace convlab
