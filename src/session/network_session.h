// What the network panel runs: a photo through the loaded model on the GPU
// or the CPU, every layer kept for inspection, without ever blocking the
// frame. The colorizer (a graph with inputs "gray" and "category") gets the
// photo's L channel and a category and its a,b are joined back with L; any
// other model (a classifier read from ONNX) gets the photo prepared by its
// preprocessing recipe (core/model/preprocess.h) and its output is kept as
// it is. On the GPU the colorizer runs its fused pass; other models run op
// by op through the GPU backend (Accelerator::begin_graph).
// The GPU pass (an Accelerator, session/accelerator.h) runs a few plan steps
// per frame within a time budget. With worker threads (the desktop),
// decoding, color conversion and the CPU pass run on them; without (the
// browser), update() does the same work in slices: the CPU pass a few plan
// steps per frame. A new request (photo, category, backend, size) abandons
// the work in flight; abandoned threads finish in the background and their
// results are dropped.
//
// update() must be called once per frame on the thread that owns the GL
// context. No ImGui and no OpenGL here: the panel draws what the getters
// return, and the headless tests drive the same class.
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
#include "core/model/preprocess.h"
#include "core/model/runner.h"
#include "session/accelerator.h"

namespace convlab::session {

enum class RunBackend { Gpu, Cpu };
const char* backend_name(RunBackend backend);  // "GPU" / "CPU"

enum class SessionPhase { Empty, Loading, Running, Finishing, Done, Failed };

// Where the CPU's share of the work runs.
enum class Threading {
  Workers,  // worker threads; update() only collects results
  Frames,   // no threads: update() does the work in slices within its budget
};

// A photo prepared for a model that is not the colorizer.
struct ImageInput {
  RgbImage original;  // full resolution
  RgbImage seen;      // cut and resized as the model sees it
  Tensor tensor;      // (1, C, size, size): what the recipe made of it
};

// One finished forward pass.
struct NetworkRun {
  RunBackend backend = RunBackend::Gpu;
  std::vector<std::string> order;  // node names with values, "gray" first
  // One per executed step, wall clock: on the GPU each step is waited for
  // (glFinish), so this is what the step really took, on any driver.
  std::vector<StepTime> times;
  double total_ms = 0;                   // sum of the steps
  double gpu_timer_ms = 0;               // GPU run: the device timers' total (0 on the CPU)
  bool compiled_shaders = false;         // the first GPU run: its times include compiling the shaders
  Tensor output;                         // the model's first output (the colorizer: a,b (1, 2, h, w))
  std::shared_ptr<DeviceValues> device;  // GPU run: the activations stay on the GPU
  std::map<std::string, Tensor> cpu;     // CPU run: the activations
};

class NetworkSession {
 public:
  // `recipe`: how a photo becomes the input of a model that is not the
  // colorizer (ignored for the colorizer; without one, the defaults for the
  // model's input shape).
  explicit NetworkSession(std::shared_ptr<const Model> model, Threading threading = Threading::Workers,
                          std::optional<Preprocess> recipe = std::nullopt);
  ~NetworkSession();
  NetworkSession(const NetworkSession&) = delete;
  NetworkSession& operator=(const NetworkSession&) = delete;

  const Model& model() const { return *model_; }
  // False for the colorizer; true for a model fed through a preprocessing recipe.
  bool takes_image() const { return recipe_.has_value(); }
  const Preprocess* recipe() const { return recipe_ ? &*recipe_ : nullptr; }
  // A new recipe: the photo is prepared again and the model reruns.
  void set_recipe(Preprocess recipe);

  // The GPU, once a context is current; without one (none given, or `why`
  // set) GPU requests run on the CPU and gpu_unavailable() says why.
  void set_accelerator(std::unique_ptr<Accelerator> accelerator, std::string why = {});
  bool has_accelerator() const { return accelerator_ != nullptr; }
  const std::string& gpu_unavailable() const { return no_accelerator_; }

  // Requests; each restarts the work that depends on it.
  void load_file(const std::string& path);
  void load_image(RgbImage image, const std::string& label);
  void set_category(int category);
  void set_backend(RunBackend backend);
  void set_working_size(int size);
  // Settings before any photo: the next load uses them.
  int category() const { return category_; }
  RunBackend backend() const { return backend_; }
  // What runs: the chosen backend, or the CPU where there is no GPU.
  RunBackend effective_backend() const { return accelerator_ ? backend_ : RunBackend::Cpu; }
  int working_size() const { return working_size_; }

  // Moves the work on: collects finished threads, runs GPU steps (or, without
  // threads, CPU work) for up to budget_ms (at least one step). Needs the GL
  // context current.
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

  // The colorizer's input (null for other models) and other models' (null for the colorizer).
  const ColorizeInput* input() const { return input_ ? &*input_ : nullptr; }
  const ImageInput* image_input() const { return image_ ? &*image_ : nullptr; }
  const NetworkRun* run() const { return run_ ? &*run_ : nullptr; }
  const RgbImage* result() const { return result_ ? &*result_ : nullptr; }
  // Counts up each time a new result is ready (the panel re-uploads textures).
  int result_version() const { return result_version_; }
  // Wall clock from the last request to the result being ready.
  double request_to_result_ms() const { return request_to_result_ms_; }

  // A layer's activation on the host (a GPU run downloads it once and keeps it).
  Result<const Tensor*> activation(const std::string& name);

 private:
  struct Loaded {
    std::optional<ColorizeInput> colorize;
    std::optional<ImageInput> image;
  };
  // The photo made ready for this model (any thread).
  std::function<Result<Loaded>(const RgbImage&, const std::string&)> preparer() const;
  std::map<std::string, Tensor> model_inputs() const;  // other models: the recipe's input
  void complete();                                     // the pending run becomes the result
  void restart_from_load();
  void restart_run();
  void fail(const std::string& message);
  Status start_gpu_pass();
  Status step_gpu(double budget_ms);
  Status step_cpu(double budget_ms);
  void cpu_run_done(Activations acts);
  void start_finishing();
  template <typename T>
  void abandon(std::future<T>& future);
  void reap_abandoned();

  std::shared_ptr<const Model> model_;
  Threading threading_;
  std::unique_ptr<Accelerator> accelerator_;
  std::string no_accelerator_ = "no GPU context yet";
  int category_ = 0;
  RunBackend backend_ = RunBackend::Gpu;
  int working_size_ = 256;

  SessionPhase phase_ = SessionPhase::Empty;
  std::string error_, image_label_;
  std::chrono::steady_clock::time_point requested_at_;
  double request_to_result_ms_ = 0;

  // Threading::Frames: the request waiting for update().
  std::function<Result<Loaded>()> load_now_;
  std::unique_ptr<CpuPass> cpu_pass_;

  std::future<Result<Loaded>> loading_;
  std::future<Result<Activations>> cpu_running_;
  std::future<Result<RgbImage>> finishing_;
  std::future<void> warming_up_;  // the CPU path's matrix product (fast::warm_up)
  std::shared_ptr<std::atomic<size_t>> cpu_done_, cpu_total_;
  // Futures of abandoned work, kept until their threads finish (a
  // std::async future blocks in its destructor).
  struct Abandoned {
    std::shared_ptr<void> future;
    std::function<bool()> ready;
  };
  std::vector<Abandoned> abandoned_;

  std::optional<Preprocess> recipe_;
  std::string recipe_error_;  // why the model has no recipe (no image input)
  std::optional<ColorizeInput> input_;
  std::optional<ImageInput> image_;
  std::optional<NetworkRun> run_, pending_run_;
  std::optional<RgbImage> result_;
  int result_version_ = 0;

  std::unique_ptr<AcceleratedPass> pass_;
  std::vector<StepTime> wall_times_;  // of the pass in flight
  bool first_gpu_pass_ = true;
  std::map<std::string, Tensor> downloaded_;
};

}  // namespace convlab::session
