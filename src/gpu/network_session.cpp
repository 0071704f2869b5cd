#include "gpu/network_session.h"

#include <epoxy/gl.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "core/io/image_io.h"

namespace convlab::gpu {

namespace {

template <typename T>
bool ready(const std::future<T>& future) {
  return future.valid() && future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

const char* backend_name(RunBackend backend) { return backend == RunBackend::Gpu ? "GPU" : "CPU"; }

NetworkSession::NetworkSession(std::shared_ptr<const Model> model) : model_(std::move(model)) {}

NetworkSession::~NetworkSession() {
  pass_.reset();  // its timer queries need the context, which is still current
  if (loading_.valid()) loading_.wait();
  if (cpu_running_.valid()) cpu_running_.wait();
  if (finishing_.valid()) finishing_.wait();
  for (Abandoned& a : abandoned_)
    while (!a.ready()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

template <typename T>
void NetworkSession::abandon(std::future<T>& future) {
  if (!future.valid()) return;
  auto held = std::make_shared<std::future<T>>(std::move(future));
  abandoned_.push_back(
      {held, [held] { return held->wait_for(std::chrono::seconds(0)) == std::future_status::ready; }});
}

void NetworkSession::reap_abandoned() {
  std::erase_if(abandoned_, [](const Abandoned& a) { return a.ready(); });
}

void NetworkSession::fail(const std::string& message) {
  phase_ = SessionPhase::Failed;
  error_ = message;
  pass_.reset();
}

// ---- requests ---------------------------------------------------------------

void NetworkSession::load_file(const std::string& path) {
  abandon(loading_);
  requested_at_ = std::chrono::steady_clock::now();
  image_label_ = std::filesystem::path(path).filename().string();
  const int working = working_size_, multiple = model_->graph.size_multiple();
  loading_ = std::async(std::launch::async, [path, working, multiple]() -> Result<ColorizeInput> {
    auto image = convlab::load_image(path);
    if (!image) return image.error();
    auto input = prepare_colorize_input(*image, working, multiple);
    if (!input) return with_context(path + ": ", input.error());
    return input;
  });
  restart_from_load();
}

void NetworkSession::load_image(RgbImage image, const std::string& label) {
  abandon(loading_);
  requested_at_ = std::chrono::steady_clock::now();
  image_label_ = label;
  const int working = working_size_, multiple = model_->graph.size_multiple();
  loading_ = std::async(std::launch::async,
                        [image = std::move(image), working, multiple, label]() -> Result<ColorizeInput> {
                          auto input = prepare_colorize_input(image, working, multiple);
                          if (!input) return with_context(label + ": ", input.error());
                          return input;
                        });
  restart_from_load();
}

void NetworkSession::restart_from_load() {
  abandon(cpu_running_);
  abandon(finishing_);
  pass_.reset();
  error_.clear();
  phase_ = SessionPhase::Loading;
}

void NetworkSession::set_category(int category) {
  if (category == category_) return;
  category_ = category;
  restart_run();
}

void NetworkSession::set_backend(RunBackend backend) {
  if (backend == backend_) return;
  backend_ = backend;
  restart_run();
}

void NetworkSession::set_working_size(int size) {
  if (size == working_size_) return;
  working_size_ = size;
  // The input itself changes size: back to the photo.
  if (input_) load_image(input_->original, image_label_);
}

void NetworkSession::restart_run() {
  if (phase_ == SessionPhase::Empty || phase_ == SessionPhase::Loading) return;  // the load starts the run
  if (!input_) return;
  abandon(cpu_running_);
  abandon(finishing_);
  pass_.reset();
  error_.clear();
  requested_at_ = std::chrono::steady_clock::now();
  phase_ = SessionPhase::Running;
  pending_run_.reset();
  if (backend_ == RunBackend::Cpu) {
    cpu_done_ = std::make_shared<std::atomic<size_t>>(0);
    cpu_total_ = std::make_shared<std::atomic<size_t>>(0);
    auto model = model_;
    Tensor gray = input_->gray;
    const int64_t category = category_;
    auto done = cpu_done_, total = cpu_total_;
    cpu_running_ = std::async(std::launch::async, [model, gray, category, done, total]() {
      return run_model_cpu(*model, gray, std::span<const int64_t>(&category, 1), CpuPath::Fast, true,
                           [done, total](size_t d, size_t t) {
                             total->store(t);
                             done->store(d);
                           });
    });
  }
  // The GPU pass starts in update(), where the context is current.
}

// ---- progress ---------------------------------------------------------------

Status NetworkSession::start_gpu_pass() {
  if (!ops_) ops_ = std::make_unique<GpuOps>(programs_);
  if (!gpu_model_) {
    auto uploaded = GpuModel::upload(*model_, *ops_);
    if (!uploaded) return uploaded.error();
    gpu_model_ = std::move(uploaded).value();
  }
  auto gray = GpuTensor::upload(input_->gray);
  if (!gray) return gray.error();
  const int64_t category = category_;
  auto pass = gpu_model_->begin(std::move(gray).value(), std::span<const int64_t>(&category, 1),
                                GpuRunOptions{true, true});
  if (!pass) return pass.error();
  pass_ = std::move(pass).value();
  wall_times_.clear();
  return {};
}

Status NetworkSession::step_gpu(double budget_ms) {
  if (!pass_) CONVLAB_TRY(start_gpu_pass());
  const auto start = std::chrono::steady_clock::now();
  // glFinish after each step: the budget is the GPU's real time, and the
  // frame after it is not stuck behind queued work.
  do {
    const auto step_start = std::chrono::steady_clock::now();
    const std::string name = pass_->next_result();
    CONVLAB_TRY(pass_->step());
    glFinish();
    wall_times_.push_back({name, ms_since(step_start)});
  } while (!pass_->done() && ms_since(start) < budget_ms);
  if (!pass_->done()) return {};
  auto finished = pass_->finish();
  pass_.reset();
  if (!finished) return finished.error();
  NetworkRun run;
  run.backend = RunBackend::Gpu;
  run.order = finished->order;
  run.times = std::move(wall_times_);
  wall_times_.clear();
  for (const StepTime& t : run.times) run.total_ms += t.ms;
  run.gpu_timer_ms = finished->total_ms;
  run.compiled_shaders = first_gpu_pass_;
  first_gpu_pass_ = false;
  auto ab = finished->values.at(model_->graph.output()).download();
  if (!ab) return ab.error();
  run.ab = std::move(ab).value();
  run.gpu = std::move(finished).value();
  pending_run_ = std::move(run);
  start_finishing();
  return {};
}

void NetworkSession::start_finishing() {
  phase_ = SessionPhase::Finishing;
  ColorizeInput input = *input_;
  Tensor ab = pending_run_->ab;
  finishing_ = std::async(std::launch::async, [input = std::move(input), ab = std::move(ab)]() {
    return finish_colorize(input, ab);
  });
}

void NetworkSession::update(double budget_ms) {
  reap_abandoned();
  if (phase_ == SessionPhase::Loading && ready(loading_)) {
    auto input = loading_.get();
    if (!input) return fail(input.message());
    input_ = std::move(input).value();
    phase_ = SessionPhase::Running;
    const auto requested = requested_at_;
    restart_run();
    requested_at_ = requested;  // the load counts in the time to the result
  }
  if (phase_ == SessionPhase::Running) {
    if (backend_ == RunBackend::Gpu) {
      Status stepped = step_gpu(budget_ms);
      if (!stepped) return fail(stepped.message());
    } else if (ready(cpu_running_)) {
      auto acts = cpu_running_.get();
      if (!acts) return fail(acts.message());
      NetworkRun run;
      run.backend = RunBackend::Cpu;
      run.order = acts->order;
      run.order.insert(run.order.begin(), "gray");
      run.times = acts->step_times;
      for (const StepTime& t : run.times) run.total_ms += t.ms;
      run.ab = acts->output(model_->graph);
      run.cpu = std::move(acts->values);
      run.cpu.emplace("gray", input_->gray);
      pending_run_ = std::move(run);
      start_finishing();
    }
  }
  if (phase_ == SessionPhase::Finishing && ready(finishing_)) {
    auto image = finishing_.get();
    if (!image) return fail(image.message());
    result_ = std::move(image).value();
    run_ = std::move(pending_run_);
    pending_run_.reset();
    downloaded_.clear();
    uploaded_name_.clear();
    ++result_version_;
    request_to_result_ms_ = ms_since(requested_at_);
    phase_ = SessionPhase::Done;
  }
}

void NetworkSession::finish_all() {
  while (busy()) {
    update(1000.0);
    if (busy() && phase_ != SessionPhase::Running) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (busy() && backend_ == RunBackend::Cpu && phase_ == SessionPhase::Running)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

double NetworkSession::progress() const {
  switch (phase_) {
    case SessionPhase::Loading:
      return 0.0;
    case SessionPhase::Running:
      if (backend_ == RunBackend::Gpu)
        return pass_ && pass_->step_count()
                   ? static_cast<double>(pass_->steps_done()) / static_cast<double>(pass_->step_count())
                   : 0.0;
      if (cpu_total_ && cpu_total_->load() > 0)
        return static_cast<double>(cpu_done_->load()) / static_cast<double>(cpu_total_->load());
      return 0.0;
    case SessionPhase::Finishing:
    case SessionPhase::Done:
      return 1.0;
    default:
      return 0.0;
  }
}

std::string NetworkSession::activity() const {
  switch (phase_) {
    case SessionPhase::Empty:
      return "no photo yet";
    case SessionPhase::Loading:
      return "loading " + image_label_;
    case SessionPhase::Running:
      if (backend_ == RunBackend::Gpu && pass_)
        return "running " + pass_->next_result() + " on the GPU (" + std::to_string(pass_->steps_done() + 1) +
               " of " + std::to_string(pass_->step_count()) + ")";
      if (backend_ == RunBackend::Cpu && cpu_total_ && cpu_total_->load() > 0)
        return "running on the CPU (" + std::to_string(cpu_done_->load()) + " of " +
               std::to_string(cpu_total_->load()) + " steps)";
      return std::string("starting on the ") + backend_name(backend_);
    case SessionPhase::Finishing:
      return "joining a,b with L";
    case SessionPhase::Done:
      return "done";
    case SessionPhase::Failed:
      return error_;
  }
  return {};
}

// ---- layers -----------------------------------------------------------------

Result<const Tensor*> NetworkSession::activation(const std::string& name) {
  if (!run_) return Error{"the colorizer has not run yet"};
  if (run_->backend == RunBackend::Cpu) {
    auto it = run_->cpu.find(name);
    if (it == run_->cpu.end()) return make_error("the run has no layer '", name, "'");
    return &it->second;
  }
  if (auto it = downloaded_.find(name); it != downloaded_.end()) return &it->second;
  auto it = run_->gpu->values.find(name);
  if (it == run_->gpu->values.end()) return make_error("the run has no layer '", name, "'");
  auto host = it->second.download();
  if (!host) return host.error();
  return &downloaded_.insert_or_assign(name, std::move(host).value()).first->second;
}

Result<const GpuTensor*> NetworkSession::gpu_activation(const std::string& name) {
  if (!run_) return Error{"the colorizer has not run yet"};
  if (run_->backend == RunBackend::Gpu) {
    auto it = run_->gpu->values.find(name);
    if (it == run_->gpu->values.end()) return make_error("the run has no layer '", name, "'");
    return &it->second;
  }
  if (uploaded_name_ != name) {
    auto host = activation(name);
    if (!host) return host.error();
    auto uploaded = GpuTensor::upload(**host);
    if (!uploaded) return uploaded.error();
    uploaded_ = std::move(uploaded).value();
    uploaded_name_ = name;
  }
  return &uploaded_;
}

}  // namespace convlab::gpu
