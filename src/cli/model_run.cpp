// `convlab model run` and `convlab model test`: an ONNX model run on the CPU
// graph runner or, node by node, on the GPU backend's compute shaders, its
// inputs from .pb, .npy or photo files; and ONNX's backend test cases
// (model.onnx + test_data_set_N/input_K.pb, output_K.pb) checked against
// their expected outputs.
#include "cli/model_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/backend_choice.h"
#include "cli/cli_common.h"
#include "core/backend/graph_on_backend.h"
#include "core/fast/fast_ops.h"
#include "core/io/image_io.h"
#include "core/io/npy.h"
#include "core/model/runner.h"
#include "core/onnx/onnx_graph.h"
#include "core/onnx/onnx_summary.h"

namespace convlab::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRun = "model run";
constexpr const char* kTest = "model test";

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// A photo for an image input (N, C, H, W) with C = 1 or 3: resized to the
// input's H x W when the model fixes them, values in [0, 1] (gray: the mean
// of R, G, B).
Result<Tensor> photo_input(const std::string& path, const GraphInput& input) {
  if (input.shape.size() != 4 || (input.shape[1] != 1 && input.shape[1] != 3))
    return make_error(path, ": a photo can feed only an image input (N, 1 or 3, H, W); input ", input.name,
                      " has shape ", shape_to_string(input.shape));
  auto image = load_image(path);
  if (!image) return image.error();
  RgbImage rgb = std::move(image).value();
  if (input.shape[2] > 0 && input.shape[3] > 0) {
    const int h = static_cast<int>(input.shape[2]), w = static_cast<int>(input.shape[3]);
    auto resized = resize_image(center_crop_to_aspect(rgb, w, h), w, h);
    if (!resized) return resized.error();
    rgb = std::move(resized).value();
  }
  Tensor t = image_to_tensor(rgb);
  if (input.shape[1] == 3) return t;
  Tensor gray({1, 1, t.h(), t.w()});
  for (int64_t y = 0; y < t.h(); ++y)
    for (int64_t x = 0; x < t.w(); ++x)
      gray.at(0, 0, y, x) = (t.at(0, 0, y, x) + t.at(0, 1, y, x) + t.at(0, 2, y, x)) / 3.0f;
  return gray;
}

Result<Tensor> read_input(const std::string& path, const GraphInput& input) {
  const std::string ext = lower_extension(path);
  if (ext == ".pb") return onnx_model::read_tensor_pb(path);
  if (ext == ".npy") return read_npy(path);
  if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp") return photo_input(path, input);
  return make_error(path, ": unknown input file type \"", ext,
                    "\"; valid: .pb (ONNX TensorProto), .npy (NumPy), or a photo (.png, .jpg, .bmp)");
}

Result<onnx_model::OnnxModel> load_runnable(const std::string& path) {
  auto loaded = onnx_model::load_onnx_file(path);
  if (!loaded) return loaded.error();
  if (loaded->unsupported) {
    const auto& u = *loaded->unsupported;
    return make_error(path, ": node ", u.node, " (", u.op, "): ", u.why);
  }
  return loaded;
}

// The outputs of a run, in the graph's output order.
Result<std::vector<Tensor>> run_outputs(const onnx_model::OnnxModel& loaded,
                                        std::map<std::string, Tensor> inputs, OpenedBackend* gpu) {
  const Model& model = loaded.model;
  std::vector<Tensor> outputs;
  if (gpu && gpu->gpu) {
    auto values = run_graph_on(*gpu->gpu, model, inputs);
    if (!values) return values.error();
    for (const std::string& name : model.graph.outputs()) outputs.push_back(values->at(name));
    return outputs;
  }
  auto acts = run_graph_cpu(model, std::move(inputs), CpuPath::Fast, false);
  if (!acts) return acts.error();
  for (const std::string& name : model.graph.outputs()) outputs.push_back(acts->values.at(name));
  return outputs;
}

std::string summary_of(const Tensor& t) {
  if (t.numel() == 0) return "empty";
  const auto [low, high] = std::minmax_element(t.values().begin(), t.values().end());
  return "min " + fmt(*low) + ", max " + fmt(*high);
}

}  // namespace

int run_model_run(const ModelRunArgs& args) {
  if (args.backend != "cpu" && args.backend != "gpu")
    return usage_error(kRun, "--backend \"" + args.backend + "\"; valid: cpu, gpu");
  auto loaded = load_runnable(args.model);
  if (!loaded) return runtime_error(kRun, loaded.message());
  const Graph& graph = loaded->model.graph;
  if (args.inputs.size() != graph.inputs().size()) {
    std::string names;
    for (const auto& input : graph.inputs())
      names += (names.empty() ? "" : ", ") + input.name + " " + shape_to_string(input.shape);
    return usage_error(kRun, args.model + " takes " + std::to_string(graph.inputs().size()) + " input" +
                                 (graph.inputs().size() == 1 ? "" : "s") + " (" + names + ") but " +
                                 std::to_string(args.inputs.size()) + " file" +
                                 (args.inputs.size() == 1 ? " was" : "s were") +
                                 " given, in the graph's input order");
  }
  std::map<std::string, Tensor> inputs;
  for (size_t i = 0; i < args.inputs.size(); ++i) {
    auto tensor = read_input(args.inputs[i], graph.inputs()[i]);
    if (!tensor) return runtime_error(kRun, tensor.message());
    inputs[graph.inputs()[i].name] = std::move(tensor).value();
  }
  std::error_code error;
  fs::create_directories(args.out, error);
  if (error)
    return runtime_error(kRun, "--out " + args.out + ": cannot create the folder: " + error.message());
  std::optional<OpenedBackend> opened;
  if (args.backend == "gpu") {
    auto backend = open_backend(kRun, "gpu", CpuOpsPath::Fast, "");
    if (!backend) return runtime_error(kRun, backend.message());
    opened = std::move(backend).value();
  }
  auto outputs = run_outputs(*loaded, std::move(inputs), opened ? &*opened : nullptr);
  if (!outputs) return runtime_error(kRun, args.model + ": " + outputs.message());
  const std::string used = opened && opened->gpu ? "gpu" : "cpu";
  for (size_t k = 0; k < outputs->size(); ++k) {
    const std::string path = (fs::path(args.out) / ("output_" + std::to_string(k) + ".pb")).string();
    if (auto written = onnx_model::write_tensor_pb(path, (*outputs)[k], graph.outputs()[k]); !written)
      return runtime_error(kRun, written.message());
    std::cout << path << ": " << graph.outputs()[k] << " " << shape_to_string((*outputs)[k].shape()) << " ("
              << summary_of((*outputs)[k]) << "), " << used << "\n";
  }
  return kExitOk;
}

namespace {

enum class Verdict { Pass, Fail, Unsupported };

struct CaseResult {
  Verdict verdict = Verdict::Fail;
  double max_abs_err = 0;
  std::string note;
};

// Every output within ONNX's usual tolerance: |got - expected| <= 1e-3 |expected|
// + 1e-4 max|expected| (scaled so near-zero values of a large output pass
// float32 summation-order differences); the largest error is reported.
CaseResult compare(const std::vector<Tensor>& got, const std::vector<Tensor>& expected) {
  CaseResult r{Verdict::Pass, 0, ""};
  for (size_t k = 0; k < expected.size(); ++k) {
    if (k >= got.size() || shape_numel(got[k].shape()) != shape_numel(expected[k].shape())) {
      return {Verdict::Fail, 0,
              "output " + std::to_string(k) + " has shape " +
                  (k < got.size() ? shape_to_string(got[k].shape()) : "none") + ", expected " +
                  shape_to_string(expected[k].shape())};
    }
    const double scale = std::max(1.0, static_cast<double>(max_abs(expected[k])));
    for (int64_t i = 0; i < expected[k].numel(); ++i) {
      const double e = expected[k][i], g = got[k][i];
      if (std::isnan(e) && std::isnan(g)) continue;
      const double err = std::fabs(g - e);
      if (std::isnan(err) || err > r.max_abs_err) r.max_abs_err = std::isnan(err) ? INFINITY : err;
      if (!(err <= 1e-3 * std::fabs(e) + 1e-4 * scale)) r.verdict = Verdict::Fail;
    }
  }
  return r;
}

std::vector<std::string> numbered_files(const fs::path& dir, const std::string& stem) {
  std::vector<std::string> files;
  for (int k = 0;; ++k) {
    const fs::path file = dir / (stem + "_" + std::to_string(k) + ".pb");
    if (!fs::exists(file)) break;
    files.push_back(file.string());
  }
  return files;
}

CaseResult classify_load_error(const std::string& message) {
  // Outside what ConvLab reads by design: other opsets and data types.
  if (message.find("ConvLab reads opsets") != std::string::npos ||
      message.find("is not supported") != std::string::npos || message.find("data type") != std::string::npos)
    return {Verdict::Unsupported, 0, message};
  return {Verdict::Fail, 0, message};
}

CaseResult run_case(const std::string& dir, OpenedBackend* gpu) {
  const fs::path model_path = fs::path(dir) / "model.onnx";
  if (!fs::exists(model_path)) return {Verdict::Fail, 0, "no model.onnx in " + dir};
  std::vector<fs::path> sets;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error))
    if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0)
      sets.push_back(entry.path());
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) return {Verdict::Fail, 0, "no test_data_set_N folder in " + dir};
  auto names = onnx_model::summarize_file(model_path.string());
  if (!names) return classify_load_error(names.message());
  // An op ConvLab does not run: said before reading inputs it may not read.
  // (Values computed at run time may be given by the case's inputs: see below.)
  if (auto first = onnx_model::load_onnx_file(model_path.string());
      first && first->unsupported && first->unsupported->why.find("run time") == std::string::npos)
    return {Verdict::Unsupported, 0,
            first->unsupported->node + " (" + first->unsupported->op + "): " + first->unsupported->why};
  CaseResult total{Verdict::Pass, 0, ""};
  for (const fs::path& set : sets) {
    const auto input_files = numbered_files(set, "input");
    const auto output_files = numbered_files(set, "output");
    if (input_files.size() != names->inputs.size())
      return {Verdict::Fail, 0,
              set.string() + " has " + std::to_string(input_files.size()) + " inputs; the model takes " +
                  std::to_string(names->inputs.size())};
    std::map<std::string, Tensor> inputs;
    for (size_t i = 0; i < input_files.size(); ++i) {
      auto t = onnx_model::read_tensor_pb(input_files[i]);
      if (!t) {
        const bool type = t.message().find("data type") != std::string::npos ||
                          t.message().find("beyond 2^24") != std::string::npos;
        return {type ? Verdict::Unsupported : Verdict::Fail, 0, t.message()};
      }
      inputs[names->inputs[i].name] = std::move(t).value();
    }
    std::vector<Tensor> expected;
    for (const auto& file : output_files) {
      auto t = onnx_model::read_tensor_pb(file);
      if (!t) return {Verdict::Unsupported, 0, t.message()};
      expected.push_back(std::move(t).value());
    }
    // As a model runs: inputs fed at run time. ONNX's node cases also pass
    // weights, scales and shapes as inputs; where the model needs those when
    // it loads, every input of the case is given to the loader instead.
    auto loaded = onnx_model::load_onnx_file(model_path.string());
    std::map<std::string, Tensor> feed = inputs;
    if (!loaded || loaded->unsupported) {
      auto bound = onnx_model::load_onnx_file(model_path.string(), inputs);
      if (bound) {
        loaded = std::move(bound);
        feed.clear();
      }
    }
    if (!loaded) return classify_load_error(loaded.message());
    if (loaded->unsupported) {
      const auto& u = *loaded->unsupported;
      return {Verdict::Unsupported, 0, u.node + " (" + u.op + "): " + u.why};
    }
    auto got = run_outputs(*loaded, std::move(feed), gpu);
    if (!got) return {Verdict::Fail, 0, got.message()};
    if (got->size() < expected.size())
      return {Verdict::Fail, 0,
              "the graph has " + std::to_string(got->size()) + " outputs, the case expects " +
                  std::to_string(expected.size())};
    CaseResult r = compare(*got, expected);
    total.max_abs_err = std::max(total.max_abs_err, r.max_abs_err);
    if (r.verdict != Verdict::Pass) {
      r.max_abs_err = total.max_abs_err;
      return r;
    }
  }
  return total;
}

}  // namespace

int run_model_test(const ModelTestArgs& args) {
  if (args.backend != "cpu" && args.backend != "gpu")
    return usage_error(kTest, "--backend \"" + args.backend + "\"; valid: cpu, gpu");
  std::optional<OpenedBackend> opened;
  if (args.backend == "gpu") {
    auto backend = open_backend(kTest, "gpu", CpuOpsPath::Fast, "");
    if (!backend) return runtime_error(kTest, backend.message());
    opened = std::move(backend).value();
  }
  int passed = 0, failed = 0, unsupported = 0;
  for (const std::string& dir : args.cases) {
    const CaseResult r = run_case(dir, opened ? &*opened : nullptr);
    const std::string name = fs::path(dir).lexically_normal().filename().empty()
                                 ? fs::path(dir).lexically_normal().parent_path().filename().string()
                                 : fs::path(dir).lexically_normal().filename().string();
    char err[32];
    std::snprintf(err, sizeof err, "%.3g", r.max_abs_err);
    switch (r.verdict) {
      case Verdict::Pass:
        ++passed;
        std::cout << "pass " << name << " max_abs_err=" << err << "\n";
        break;
      case Verdict::Fail:
        ++failed;
        std::cout << "fail " << name << " max_abs_err=" << err << (r.note.empty() ? "" : "  (" + r.note + ")")
                  << "\n";
        break;
      case Verdict::Unsupported:
        ++unsupported;
        std::cout << "unsupported " << name << (args.verbose ? "  (" + r.note + ")" : "") << "\n";
        break;
    }
  }
  std::cout << passed << " passed, " << failed << " failed, " << unsupported << " unsupported\n";
  return failed > 0 ? kExitRuntime : kExitOk;
}

}  // namespace convlab::cli

namespace convlab::cli {

int run_model_bench(const ModelBenchArgs& args) {
  constexpr const char* kBench = "bench";
  auto loaded = load_runnable(args.model);
  if (!loaded) return runtime_error(kBench, loaded.message());
  const Graph& graph = loaded->model.graph;
  std::optional<OpenedBackend> opened;
  if (args.backend == "gpu") {
    auto backend = open_backend(kBench, "gpu", CpuOpsPath::Fast, "");
    if (!backend) return runtime_error(kBench, backend.message());
    opened = std::move(backend).value();
  }
  for (int size : args.sizes) {
    std::map<std::string, Tensor> inputs;
    for (const GraphInput& input : graph.inputs()) {
      Shape shape = input.shape;
      for (size_t d = 0; d < shape.size(); ++d) {
        const bool spatial = shape.size() == 4 && d >= 2;
        if (spatial && shape[d] > 0 && shape[d] != size)
          return usage_error(kBench, args.model + " takes " + shape_to_string(input.shape) + " for " +
                                         input.name + "; --size " + std::to_string(size) +
                                         " does not fit it");
        if (shape[d] < 1) shape[d] = spatial ? size : 1;
      }
      Tensor t(shape);
      for (int64_t i = 0; i < t.numel(); ++i) t[i] = static_cast<float>((i * 37) % 101) / 100.0f;
      inputs[input.name] = std::move(t);
    }
    std::vector<double> times;
    std::vector<StepTime> first_steps;         // the steps, in order
    std::vector<std::vector<double>> step_ms;  // each step's time in every timed run
    for (int r = 0; r < args.warmup + args.runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      if (args.layers && !opened) {
        // The CPU pass itself, to keep its per-step times.
        auto acts = run_graph_cpu(loaded->model, inputs, CpuPath::Fast, false);
        if (!acts) return runtime_error(kBench, args.model + ": " + acts.message());
        if (r >= args.warmup) {
          if (first_steps.empty()) {
            first_steps = acts->step_times;
            step_ms.resize(first_steps.size());
          }
          for (size_t i = 0; i < acts->step_times.size() && i < step_ms.size(); ++i)
            step_ms[i].push_back(acts->step_times[i].ms);
        }
      } else {
        auto outputs = run_outputs(*loaded, inputs, opened ? &*opened : nullptr);
        if (!outputs) return runtime_error(kBench, args.model + ": " + outputs.message());
      }
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (r >= args.warmup) times.push_back(ms);
    }
    for (size_t i = 0; i < first_steps.size(); ++i) {
      auto& v = step_ms[i];
      std::sort(v.begin(), v.end());
      const GraphNode* node = graph.find(first_steps[i].name);
      const std::string op = node ? std::string(op_name(node->op)) : "?";
      std::printf("  layer=%s op=%s median_ms=%.3f\n", first_steps[i].name.c_str(), op.c_str(),
                  v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0);
    }
    std::sort(times.begin(), times.end());
    const size_t n = times.size();
    const double median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2.0;
    std::printf("size=%d median_ms=%.3f runs=%d threads=%d backend=%s model=%s min_ms=%.3f max_ms=%.3f\n",
                size, median, args.runs, fast::threads(), opened && opened->gpu ? "gpu" : "cpu",
                fs::path(args.model).filename().string().c_str(), times.front(), times.back());
    std::fflush(stdout);
  }
  return kExitOk;
}

}  // namespace convlab::cli
