// Model files the network panel opens besides the colorizer (ONNX files
// today). The reader lives outside the app library (the browser build has
// no libonnx): the desktop program installs one at start-up, and without
// one opening a model says that this build cannot.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace convlab::app {

struct OpenedModel {
  std::shared_ptr<const Model> model;           // the graph (up to an unsupported node) and its weights
  std::map<std::string, std::string> metadata;  // the file's metadata_props (convlab.* keys)
  std::string labels_text;                      // labels.txt beside the file, if any
  std::string format;                           // "ONNX opset 17, pytorch 1.13.1"
  // The first node the model could not take, when it has one: the graph
  // stops before it.
  std::string unsupported_node, unsupported_op, unsupported_why;
};

using ModelOpener = std::function<Result<OpenedModel>(const std::string& path)>;

void set_model_opener(ModelOpener opener);

// Each model file's preprocessing as the user last set it ("key=value;..."
// by path): the network panel reads and writes it, the app keeps it in the
// settings file (not in batch runs) and installs `changed` to save it.
struct RecipeMemory {
  std::map<std::string, std::string> recipes;
  std::function<void()> changed;
};
RecipeMemory& recipe_memory();
// Errors name the file and what is wrong with it (the reader's message).
// A ConvLab classifier saved as safetensors (core/model/classifier.h: the
// twin `convlab train --arch tinyvgg` writes beside its ONNX file) opens in
// every build, the browser's too.
Result<OpenedModel> open_model_file(const std::string& path);

// The models shipped in assets/models/ by name ("tinyvgg"), and the file a
// name opens: the ONNX file where this build reads ONNX, else its
// safetensors twin. An unknown name is an error listing the names.
std::vector<std::string> bundled_model_names();
Result<std::string> bundled_model_path(const std::string& name);
bool reads_onnx();
// What a model= setting names: a bundled model's name ("tinyvgg", no '/' or
// '.') becomes its file (bundled_model_path); a path stays as it is.
Result<std::string> model_file_for(const std::string& path_or_name);

}  // namespace convlab::app
