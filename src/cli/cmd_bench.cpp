// `convlab bench`: times the model's forward pass (random weights, batch 1,
// the CPU graph runner without keeping activations), warm-up runs first,
// then the median of the timed runs. The output line has the same format as
// tools/bench_pytorch.py so the two can be compared line by line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "cli/backend_choice.h"
#include "cli/commands.h"
#include "cli/model_args.h"
#include "core/fast/fast_ops.h"
#include "core/model/runner.h"
#include "core/train/trainer_model.h"
#include "gpu/gpu_runner.h"
#ifndef CONVLAB_HEADLESS
#include "cli/model_run.h"
#endif

namespace convlab::cli {

namespace {

constexpr const char* kName = "bench";
constexpr int kMaxSize = 2048;  // beyond this the first layers' buffers take gigabytes

struct BenchArgs {
  std::string backend = "cpu";
  std::string arch = "advanced";
  std::string sizes = "256";
  int runs = 10;
  int warmup = 2;
  int threads = 0;  // 0: the fast path's default (all cores)
  std::string path = "fast";
  std::string shader_dir;
  bool layers = false;
  int train = 0;      // > 0: time training steps of this batch size instead
  std::string model;  // an ONNX model instead of ECNN
};

const char* kBenchFooter = R"(Prints one line per size:
  size=256 median_ms=12.345 runs=10 threads=2 backend=cpu arch=advanced min_ms=12.001 max_ms=13.020
Examples:
  convlab bench
  convlab bench --size 128,256,512 --runs 5 --threads 1
  convlab bench --arch basic --path reference --size 64 --runs 3
  convlab bench --backend gpu --size 256,512,1024 --layers
  convlab bench --model resnet18.onnx --size 224
With --backend gpu, median_ms is the wall time of a forward pass (upload of the
L plane, every dispatch, and waiting for the GPU to finish); gpu_ms is the GPU's
own time from timer queries. --layers adds one line per layer (GPU timer queries;
with --model, the CPU's time of each step).)";

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

// --train B: one training step (forward in train mode, backward, Adam) on a
// batch of B random images, as `convlab train` runs it.
int run_train_bench(const BenchArgs& args, const Graph& graph, const std::vector<int>& sizes) {
  if (args.backend != "cpu")
    return usage_error(kName, "--train runs on the CPU; drop --backend " + args.backend);
  if (args.train > 1024) return usage_error(kName, "--train takes a batch size from 1 to 1024");
  for (int size : sizes) {
    Model model = random_model(graph, 7);
    train::Adam adam;
    Tensor gray({args.train, 1, size, size}), ab({args.train, 2, size, size});
    for (int64_t i = 0; i < gray.numel(); ++i) gray[i] = static_cast<float>((i * 37) % 101);
    for (int64_t i = 0; i < ab.numel(); ++i) ab[i] = static_cast<float>((i * 13) % 41) - 20.0f;
    std::vector<int64_t> categories;
    for (int k = 0; k < args.train; ++k) categories.push_back(k % 8);
    std::vector<double> times;
    for (int run = 0; run < args.warmup + args.runs; ++run) {
      const auto start = std::chrono::steady_clock::now();
      auto loss = train::train_step(model, gray, categories, ab, adam);
      if (!loss) return runtime_error(kName, loss.message());
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (run >= args.warmup) times.push_back(ms);
    }
    const double step = median(times);
    std::printf("train size=%d batch=%d median_ms=%.1f images_per_s=%.2f runs=%d threads=%d arch=%s\n", size,
                args.train, step, 1000.0 * args.train / step, args.runs, fast::threads(), args.arch.c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

int run_bench(const BenchArgs& args) {
  auto sizes = parse_int_list(args.sizes, "--size");
  if (!sizes) return usage_error(kName, sizes.message());
  if (args.runs < 1 || args.runs > 10000) return usage_error(kName, "--runs must be between 1 and 10000");
  if (args.warmup < 0 || args.warmup > 10000)
    return usage_error(kName, "--warmup must be between 0 and 10000");
  if (args.threads < 0 || args.threads > 1024)
    return usage_error(kName, "--threads must be between 1 and 1024 (or 0 for all cores)");
  if (args.path != "fast" && args.path != "reference")
    return usage_error(kName, "--path '" + args.path + "' is not a CPU path; valid: fast, reference");
  if (!args.model.empty()) {
#ifdef CONVLAB_HEADLESS
    return usage_error(kName, "--model needs the desktop build (ONNX models); this is the headless convlab");
#else
    for (int size : *sizes)
      if (size < 1 || size > kMaxSize)
        return usage_error(kName, "--size takes 1 to " + std::to_string(kMaxSize));
    if (args.threads > 0) fast::set_threads(args.threads);
    if (args.layers && args.backend != "cpu")
      return usage_error(kName, "--layers with --model times the CPU's steps; leave out --backend gpu");
    return run_model_bench({args.model, *sizes, args.runs, args.warmup, args.backend, args.layers});
#endif
  }
  auto graph = builtin_graph(args.arch);
  if (!graph) return usage_error(kName, graph.message());
  const int multiple = graph->size_multiple();
  for (int size : *sizes)
    if (size < multiple || size > kMaxSize || size % multiple != 0)
      return usage_error(kName, "--size " + std::to_string(size) + " is not usable; valid: multiples of " +
                                    std::to_string(multiple) + " from " + std::to_string(multiple) + " to " +
                                    std::to_string(kMaxSize));

  if (args.threads > 0) fast::set_threads(args.threads);
  if (args.train > 0) return run_train_bench(args, *graph, *sizes);
  auto opened = open_backend(kName, args.backend, CpuOpsPath::Fast, args.shader_dir);
  if (!opened) return usage_error(kName, opened.message());
  if (args.layers && !opened->gpu)
    return usage_error(kName, "--layers needs --backend gpu (GL timer queries)");
  const Model model = random_model(*graph, 0);
  std::unique_ptr<gpu::GpuModel> gpu_model;
  if (opened->gpu) {
    auto uploaded = gpu::GpuModel::upload(model, opened->gpu->ops());
    if (!uploaded) return runtime_error(kName, uploaded.message());
    gpu_model = std::move(uploaded).value();
  }
  const std::string backend_name = opened->gpu ? "gpu" : "cpu";
  const CpuPath path = args.path == "fast" ? CpuPath::Fast : CpuPath::Reference;
  const std::vector<int64_t> category = {1};

  for (int size : *sizes) {
    // A fixed, image-like L plane (0..100); the values do not change the timing.
    Tensor gray({1, 1, size, size});
    for (int64_t i = 0; i < gray.numel(); ++i) gray[i] = static_cast<float>((i * 37) % 101);
    std::vector<double> times, gpu_times;
    std::map<std::string, std::vector<double>> layer_times;
    std::vector<std::string> layer_order;
    for (int r = 0; r < args.warmup + args.runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      std::string failure;
      if (gpu_model) {
        auto result = gpu_model->run(gray, category, {false, args.layers});
        opened->gpu->ops().finish();
        if (!result) failure = result.message();
        if (result && r >= args.warmup) {
          gpu_times.push_back(result->total_ms);
          layer_order.clear();
          for (const auto& layer : result->layer_times) {
            layer_times[layer.name].push_back(layer.ms);
            layer_order.push_back(layer.name);
          }
        }
      } else {
        auto result = run_model_cpu(model, gray, category, path, false);
        if (!result) failure = result.message();
      }
      const auto end = std::chrono::steady_clock::now();
      if (!failure.empty()) return runtime_error(kName, "size " + std::to_string(size) + ": " + failure);
      if (r >= args.warmup) times.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    }
    const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
    char line[320];
    std::snprintf(line, sizeof line,
                  "size=%d median_ms=%.3f runs=%d threads=%d backend=%s arch=%s min_ms=%.3f max_ms=%.3f",
                  size, median(times), args.runs, fast::threads(), backend_name.c_str(), args.arch.c_str(),
                  *lo, *hi);
    std::cout << line;
    if (gpu_model)
      std::cout << " gpu_ms=" << median(gpu_times) << " device=\"" << opened->gpu->context().renderer()
                << "\"";
    std::cout << std::endl;  // flush: a long run shows each size as it finishes
    for (const auto& name : layer_order) {
      std::snprintf(line, sizeof line, "  layer=%s median_ms=%.3f", name.c_str(), median(layer_times[name]));
      std::cout << line << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

Command add_bench_command(CLI::App& root) {
  auto a = std::make_shared<BenchArgs>();
  CLI::App* app = root.add_subcommand("bench", "Time the model's forward pass");
  app->add_option("--backend", a->backend, "cpu or gpu (default cpu)");
  app->add_option("--shader-dir", a->shader_dir, "gpu: load the .comp shaders from this folder");
  app->add_flag("--layers", a->layers, "gpu: also print each layer's median GPU time");
  app->add_option("--train", a->train, "Time training steps with this batch size instead (CPU)");
  app->add_option("--arch", a->arch, "advanced or basic (default advanced)");
  app->add_option("--model", a->model, "Time this ONNX model instead of ECNN (its line says model=FILE)");
  app->add_option("--size", a->sizes, "Image side, or a list: 128,256,512 (default 256)");
  app->add_option("--runs", a->runs, "Timed runs; the median is reported (default 10)");
  app->add_option("--warmup", a->warmup, "Untimed runs first (default 2)");
  app->add_option("--threads", a->threads, "CPU threads for the fast path (default: all cores)");
  app->add_option("--path", a->path, "CPU implementation: fast or reference (default fast)");
  app->footer(kBenchFooter);
  return {app, [a] { return run_bench(*a); }};
}

}  // namespace convlab::cli
