// How a photo becomes the input tensor of an image model that is not the
// colorizer (a classifier, a segmenter read from ONNX): its size, channel
// order, value range and per-channel normalization. The recipe is data: it
// comes from the model file's metadata_props (keys below), with defaults
// from the graph's input shape, so no panel or runner knows one model from
// another. The network panel lets a person change it.
//
// Keys (all optional):
//   convlab.image_size   "64": H = W the photo is resized to (default: the
//                        input's fixed H, W, else 224)
//   convlab.color        rgb | bgr | gray | lab_l (default rgb for 3
//                        channels, gray for 1)
//   convlab.pixel_range  0-1 | 0-255 (default 0-1)
//   convlab.mean         comma-separated floats, one per channel (default 0)
//   convlab.std          comma-separated floats, one per channel (default 1)
//                        applied after the range: x = (pixel - mean) / std
//   convlab.labels       class names, one per line (else labels.txt beside
//                        the model, one per line)
//   convlab.labels.pt_BR the same in another language (the UI's tag, "-" or
//                        "_"), shown when the app speaks it
//   convlab.resize       squash | center_crop (default center_crop: the
//                        shorter side to the size, then the middle cut out)
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/io/image_io.h"
#include "core/model/graph.h"

namespace convlab {

enum class ColorLayout { Rgb, Bgr, Gray, LabL };
enum class PixelRange { Unit, Byte };  // 0-1, 0-255
enum class ResizeMode { CenterCrop, Squash };

struct Preprocess {
  std::string input;  // the graph input the photo feeds
  int size = 224;     // H = W
  ColorLayout color = ColorLayout::Rgb;
  PixelRange range = PixelRange::Unit;
  std::vector<float> mean, std;  // one per channel
  ResizeMode resize = ResizeMode::CenterCrop;
  std::vector<std::string> labels;  // class names, may be empty
  // Class names in other languages, by tag ("pt_BR"), from convlab.labels.<tag>.
  std::map<std::string, std::vector<std::string>> translated_labels;
  // The names for a UI language tag ("pt_BR", "pt-BR", "en"): its own, else `labels`.
  const std::vector<std::string>& labels_for(const std::string& language) const;

  int channels() const { return color == ColorLayout::Gray || color == ColorLayout::LabL ? 1 : 3; }
};

// The names people and files use: "rgb", "0-255", "center_crop".
const char* color_layout_name(ColorLayout color);
const char* pixel_range_name(PixelRange range);
const char* resize_mode_name(ResizeMode mode);

// True when the graph is the colorizer (inputs "gray" and "category"): it
// takes the L channel and a category, not a preprocessed photo.
bool takes_lab_and_category(const Graph& graph);

// The recipe for `graph` from its metadata (keys above) and the text of a
// labels.txt beside the model (empty when there is none). Errors name the
// key, the value and what would be valid. A graph with no image input
// (rank 4, 1 or 3 channels) is an error that says so.
Result<Preprocess> preprocess_from_metadata(const Graph& graph,
                                            const std::map<std::string, std::string>& metadata,
                                            const std::string& labels_file_text = {});

// One setting by its key (the part after "convlab.": image_size, color,
// pixel_range, mean, std, resize), as the panel and --set give them; one
// mean or std stands for every channel. The recipe is unchanged on error.
Status apply_preprocess_setting(Preprocess& recipe, const std::string& key, const std::string& value);
// Whether the recipe fits the graph: its input exists, the channel layout
// gives as many channels as the input takes, one mean and std per channel.
Status check_recipe(const Graph& graph, const Preprocess& recipe);

// The recipe as "key=value" lines with the keys above (without "convlab."),
// what apply_preprocess_setting reads back (labels are left out).
std::string preprocess_settings_text(const Preprocess& recipe);

// The photo as the recipe says: (1, C, size, size).
Result<Tensor> preprocess_image(const RgbImage& image, const Preprocess& recipe);
// The photo cut and resized as the model sees it (for showing next to it).
Result<RgbImage> preprocess_view(const RgbImage& image, const Preprocess& recipe);

}  // namespace convlab
