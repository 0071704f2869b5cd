// What the network panel runs: a photo through the colorizer on the GPU or
// the CPU, every layer kept for inspection, without ever blocking the frame.
// Decoding and color conversion run on a worker thread; the GPU pass runs a
// few plan steps per frame (GpuPass) within a time budget; the CPU pass runs
// on a worker thread. A new request (photo, category, backend, size)
// abandons the work in flight; abandoned threads finish in the background
// and their results are dropped.
//
// update() must be called once per frame on the thread that owns the GL
// context. No ImGui here: the panel draws what the getters return, and the
// headless tests drive the same class.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/colorize.h"
#include "core/model/runner.h"
#include "gpu/gpu_runner.h"
#include "gpu/programs.h"

namespace convlab::gpu {

enum class RunBackend { Gpu, Cpu };
const char* backend_name(RunBackend backend);  // "GPU" / "CPU"

enum class SessionPhase { Empty, Loading, Running, Finishing, Done, Failed };

// One finished forward pass.
struct NetworkRun {
  RunBackend backend = RunBackend::Gpu;
  std::vector<std::string> order;  // node names with values, "gray" first
  // One per executed step, wall clock: on the GPU each step is waited for
  // (glFinish), so this is what the step really took, on any driver.
  std::vector<StepTime> times;
  double total_ms = 0;                // sum of the steps
  double gpu_timer_ms = 0;            // GPU run: the GL timer queries' total (0 on the CPU)
  bool compiled_shaders = false;      // the first GPU run: its times include compiling the shaders
  Tensor ab;                          // the prediction (1, 2, h, w)
  std::optional<GpuRun> gpu;          // GPU run: the activations stay on the GPU
  std::map<std::string, Tensor> cpu;  // CPU run: the activations
};

class NetworkSession {
 public:
  explicit NetworkSession(std::shared_ptr<const Model> model);
  ~NetworkSession();
  NetworkSession(const NetworkSession&) = delete;
  NetworkSession& operator=(const NetworkSession&) = delete;

  const Model& model() const { return *model_; }

  // Requests; each restarts the work that depends on it.
  void load_file(const std::string& path);
  void load_image(RgbImage image, const std::string& label);
  void set_category(int category);
  void set_backend(RunBackend backend);
  void set_working_size(int size);
  // Settings before any photo: the next load uses them.
  int category() const { return category_; }
  RunBackend backend() const { return backend_; }
  int working_size() const { return working_size_; }

  // Moves the work on: collects finished threads, runs GPU steps for up to
  // budget_ms (at least one step). Needs the GL context current.
  void update(double budget_ms);
  // Runs update() until the work is done or failed (tests, batch screenshots).
  void finish_all();

  SessionPhase phase() const { return phase_; }
  bool busy() const {
    return phase_ == SessionPhase::Loading || phase_ == SessionPhase::Running ||
           phase_ == SessionPhase::Finishing;
  }
  double progress() const;       // 0..1 of the current run
  std::string activity() const;  // "running c3 on the GPU (12 of 38)", "loading cat.jpg", error text
  const std::string& error() const { return error_; }
  const std::string& image_label() const { return image_label_; }

  const ColorizeInput* input() const { return input_ ? &*input_ : nullptr; }
  const NetworkRun* run() const { return run_ ? &*run_ : nullptr; }
  const RgbImage* result() const { return result_ ? &*result_ : nullptr; }
  // Counts up each time a new result is ready (the panel re-uploads textures).
  int result_version() const { return result_version_; }
  // Wall clock from the last request to the result being ready.
  double request_to_result_ms() const { return request_to_result_ms_; }

  // A layer's activation on the host (a GPU run downloads it once and keeps it).
  Result<const Tensor*> activation(const std::string& name);
  // On the GPU (a CPU run uploads it; the last upload is kept).
  Result<const GpuTensor*> gpu_activation(const std::string& name);
  ProgramCache& programs() { return programs_; }

 private:
  void restart_from_load();
  void restart_run();
  void fail(const std::string& message);
  Status start_gpu_pass();
  Status step_gpu(double budget_ms);
  void start_finishing();
  template <typename T>
  void abandon(std::future<T>& future);
  void reap_abandoned();

  std::shared_ptr<const Model> model_;
  int category_ = 0;
  RunBackend backend_ = RunBackend::Gpu;
  int working_size_ = 256;

  SessionPhase phase_ = SessionPhase::Empty;
  std::string error_, image_label_;
  std::chrono::steady_clock::time_point requested_at_;
  double request_to_result_ms_ = 0;

  std::future<Result<ColorizeInput>> loading_;
  std::future<Result<Activations>> cpu_running_;
  std::future<Result<RgbImage>> finishing_;
  std::shared_ptr<std::atomic<size_t>> cpu_done_, cpu_total_;
  // Futures of abandoned work, kept until their threads finish (a
  // std::async future blocks in its destructor).
  struct Abandoned {
    std::shared_ptr<void> future;
    std::function<bool()> ready;
  };
  std::vector<Abandoned> abandoned_;

  std::optional<ColorizeInput> input_;
  std::optional<NetworkRun> run_, pending_run_;
  std::optional<RgbImage> result_;
  int result_version_ = 0;

  // GPU state, created on the first GPU run (needs the context).
  ProgramCache programs_;
  std::unique_ptr<GpuOps> ops_;
  std::unique_ptr<GpuModel> gpu_model_;
  std::unique_ptr<GpuPass> pass_;
  std::vector<StepTime> wall_times_;  // of the pass in flight
  bool first_gpu_pass_ = true;
  std::map<std::string, Tensor> downloaded_;
  std::string uploaded_name_;
  GpuTensor uploaded_;
};

}  // namespace convlab::gpu
