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

// `convlab bench --model FILE`: the model's forward pass timed as `convlab
// bench` times ECNN's (random input of the graph's first input shape, free
// dimensions 1 and its spatial ones --size).
struct ModelBenchArgs {
  std::string model;
  std::vector<int> sizes;
  int runs = 10, warmup = 2;
  std::string backend = "cpu";
  bool layers = false;  // cpu: one line per step with its median time
};
int run_model_bench(const ModelBenchArgs& args);

}  // namespace convlab::cli
