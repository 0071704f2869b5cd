// The colorizer every panel shares: ECNN advanced with the shipped weights
// (assets/models), loaded once on first use. Without the weights file (a
// source checkout without assets) it is the deterministic random model, and
// the label says so, so a panel never shows random numbers as trained ones.
#pragma once

#include <memory>
#include <string>

#include "core/model/model.h"

namespace convlab::app {

struct ColorizerModel {
  Model model;
  std::string label;  // "trained weights (ecnn_advanced.safetensors)" or why it is random (English)
  bool trained = false;
  // The label as people read it: label_format (marked with tr_noop, one %s)
  // filled with label_argument, in the UI language of the moment.
  const char* label_format = "%s";
  std::string label_argument;
  void set_label(const char* format_english, const std::string& argument);
  std::string shown_label() const;
};

Result<std::shared_ptr<const ColorizerModel>> shared_colorizer();

}  // namespace convlab::app
