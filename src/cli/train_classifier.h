// `convlab train --arch tinyvgg`: trains the classifier (core/model/classifier.h)
// on a folder of categorized photos and writes it as ONNX with its labels
// and preprocessing in the metadata, and a model card.
#pragma once

#include <cstdint>
#include <string>

namespace convlab::cli {

struct ClassifierTrainArgs {
  std::string data, categories, test_data, output, card;
  std::string command_line;  // as typed, for the model card
  int size = 64, batch = 32, epochs = 15, channels = 16, threads = 0;
  double lr = 1e-3, final_lr = 1e-4, scale_aug = 1.0;
  uint64_t seed = 1;
  bool no_flip = false;
};

int run_train_classifier(const ClassifierTrainArgs& args);

}  // namespace convlab::cli
