// `convlab model run` and `convlab model test` (see model_run.cpp).
#pragma once

#include <string>
#include <vector>

namespace convlab::cli {

struct ModelRunArgs {
  std::string model;
  std::vector<std::string> inputs;
  std::string out;
  std::string backend = "cpu";
};
int run_model_run(const ModelRunArgs& args);

struct ModelTestArgs {
  std::vector<std::string> cases;
  std::string backend = "cpu";
  bool verbose = false;
};
int run_model_test(const ModelTestArgs& args);

}  // namespace convlab::cli
