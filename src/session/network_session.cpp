#include "session/network_session.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "core/base/i18n.h"
#include "core/fast/fast_ops.h"
#include "core/io/image_io.h"

namespace convlab::session {

namespace {

template <typename T>
bool ready(const std::future<T>& future) {
  return future.valid() && future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

// Threading::Frames: a loading stage finished and the next one waits for the next update().
const char* const kNotYet = "(the next loading stage follows)";

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

const char* backend_name(RunBackend backend) { return backend == RunBackend::Gpu ? "GPU" : "CPU"; }

NetworkSession::NetworkSession(std::shared_ptr<const Model> model, Threading threading,
                               std::optional<Preprocess> recipe)
    : model_(std::move(model)), threading_(threading) {
  // While the panel opens and the photo decodes, so that the first CPU run
  // does not wait for oneDNN to write its code.
  if (threading_ == Threading::Workers) warming_up_ = std::async(std::launch::async, [] { fast::warm_up(); });
  if (takes_lab_and_category(model_->graph)) return;
  if (recipe) {
    recipe_ = std::move(recipe);
    return;
  }
  auto defaults = preprocess_from_metadata(model_->graph, {});
  if (defaults) {
    recipe_ = std::move(defaults).value();
  } else {
    // Every load then fails with this message (the panel shows it).
    recipe_ = Preprocess{};
    recipe_error_ = defaults.message();
  }
}

NetworkSession::~NetworkSession() {
  pass_.reset();  // its timer queries need the context, which is still current
  if (loading_.valid()) loading_.wait();
  if (cpu_running_.valid()) cpu_running_.wait();
  if (finishing_.valid()) finishing_.wait();
  if (warming_up_.valid()) warming_up_.wait();
  for (Abandoned& a : abandoned_)
    while (!a.ready()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void NetworkSession::set_accelerator(std::unique_ptr<Accelerator> accelerator, std::string why) {
  pass_.reset();
  accelerator_ = std::move(accelerator);
  no_accelerator_ = accelerator_ ? std::string() : (why.empty() ? std::string(tr("no GPU")) : std::move(why));
  if (backend_ == RunBackend::Gpu) restart_run();
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
  cpu_pass_.reset();
}

// ---- requests ---------------------------------------------------------------

std::function<Result<NetworkSession::Loaded>(const RgbImage&, const std::string&)> NetworkSession::preparer()
    const {
  if (recipe_)
    return [recipe = *recipe_, why = recipe_error_](const RgbImage& image,
                                                    const std::string& label) -> Result<Loaded> {
      if (!why.empty()) return Error{why};
      auto seen = preprocess_view(image, recipe);
      if (!seen) return with_context(label + ": ", seen.error());
      auto tensor = preprocess_image(image, recipe);
      if (!tensor) return with_context(label + ": ", tensor.error());
      Loaded loaded;
      loaded.image = ImageInput{image, std::move(seen).value(), std::move(tensor).value()};
      return loaded;
    };
  const int working = working_size_, multiple = model_->graph.size_multiple();
  return [working, multiple](const RgbImage& image, const std::string& label) -> Result<Loaded> {
    auto input = prepare_colorize_input(image, working, multiple);
    if (!input) return with_context(label + ": ", input.error());
    Loaded loaded;
    loaded.colorize = std::move(input).value();
    return loaded;
  };
}

void NetworkSession::set_recipe(Preprocess recipe) {
  if (!recipe_) return;  // the colorizer takes L and a category
  recipe_ = std::move(recipe);
  recipe_error_.clear();
  if (image_) load_image(image_->original, image_label_);
}

void NetworkSession::load_file(const std::string& path) {
  image_label_ = std::filesystem::path(path).filename().string();
  auto prepare = preparer();
  std::function<Result<Loaded>()> load = [path, prepare]() -> Result<Loaded> {
    auto image = convlab::load_image(path);
    if (!image) return image.error();
    return prepare(*image, path);
  };
  abandon(loading_);
  requested_at_ = std::chrono::steady_clock::now();
  if (threading_ == Threading::Workers) {
    loading_ = std::async(std::launch::async, std::move(load));
  } else {
    // Decoding and preparing each get a frame of their own.
    load_now_ = [this, path, prepare]() -> Result<Loaded> {
      auto image = convlab::load_image(path);
      if (!image) return image.error();
      load_now_ = [image = std::make_shared<const RgbImage>(std::move(image).value()), path,
                   prepare]() -> Result<Loaded> { return prepare(*image, path); };
      return Error{kNotYet};
    };
  }
  restart_from_load();
}

void NetworkSession::load_image(RgbImage image, const std::string& label) {
  image_label_ = label;
  auto shared = std::make_shared<const RgbImage>(std::move(image));
  std::function<Result<Loaded>()> load = [shared, label, prepare = preparer()]() -> Result<Loaded> {
    return prepare(*shared, label);
  };
  abandon(loading_);
  requested_at_ = std::chrono::steady_clock::now();
  if (threading_ == Threading::Workers)
    loading_ = std::async(std::launch::async, std::move(load));
  else
    load_now_ = std::move(load);
  restart_from_load();
}

std::map<std::string, Tensor> NetworkSession::model_inputs() const {
  if (!recipe_ || !image_) return {};
  return {{recipe_->input, image_->tensor}};
}

void NetworkSession::restart_from_load() {
  abandon(cpu_running_);
  abandon(finishing_);
  pass_.reset();
  cpu_pass_.reset();
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
  if (recipe_) return;  // other models take the recipe's size
  // The input itself changes size: back to the photo.
  if (input_) load_image(input_->original, image_label_);
}

void NetworkSession::restart_run() {
  if (phase_ == SessionPhase::Empty || phase_ == SessionPhase::Loading) return;  // the load starts the run
  if (!input_ && !image_) return;
  abandon(cpu_running_);
  abandon(finishing_);
  pass_.reset();
  cpu_pass_.reset();
  error_.clear();
  requested_at_ = std::chrono::steady_clock::now();
  phase_ = SessionPhase::Running;
  pending_run_.reset();
  if (recipe_ && threading_ == Threading::Workers) {
    // Any graph, stepped on a worker thread so the progress bar moves.
    cpu_done_ = std::make_shared<std::atomic<size_t>>(0);
    cpu_total_ = std::make_shared<std::atomic<size_t>>(0);
    auto done = cpu_done_, total = cpu_total_;
    cpu_running_ = std::async(
        std::launch::async, [model = model_, inputs = model_inputs(), done, total]() -> Result<Activations> {
          auto pass = CpuPass::begin(*model, inputs, CpuPath::Fast, true);
          if (!pass) return pass.error();
          total->store((*pass)->step_count());
          while (!(*pass)->done()) {
            CONVLAB_TRY((*pass)->step());
            done->store((*pass)->steps_done());
          }
          return (*pass)->finish();
        });
  } else if (effective_backend() == RunBackend::Cpu && threading_ == Threading::Workers) {
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
  // The GPU pass, and the CPU pass without threads, start in update().
}

// ---- progress ---------------------------------------------------------------

Status NetworkSession::start_gpu_pass() {
  auto pass =
      recipe_ ? accelerator_->begin_graph(model_inputs()) : accelerator_->begin(input_->gray, category_);
  if (!pass) return pass.error();
  pass_ = std::move(pass).value();
  wall_times_.clear();
  return {};
}

Status NetworkSession::step_gpu(double budget_ms) {
  if (!pass_) CONVLAB_TRY(start_gpu_pass());
  const auto start = std::chrono::steady_clock::now();
  do {
    const auto step_start = std::chrono::steady_clock::now();
    const std::string name = pass_->next_result();
    CONVLAB_TRY(pass_->step());
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
  run.gpu_timer_ms = finished->timer_ms;
  run.compiled_shaders = first_gpu_pass_;
  first_gpu_pass_ = false;
  run.output = std::move(finished->ab);
  run.device = std::move(finished->values);
  pending_run_ = std::move(run);
  if (recipe_)
    complete();  // nothing to join: the output is the result
  else
    start_finishing();
  return {};
}

// Threading::Frames: plan steps on this thread until the budget is spent.
Status NetworkSession::step_cpu(double budget_ms) {
  if (!cpu_pass_) {
    auto pass = recipe_ ? CpuPass::begin(*model_, model_inputs(), CpuPath::Fast, true)
                        : CpuPass::begin(*model_, input_->gray, {category_}, CpuPath::Fast, true);
    if (!pass) return pass.error();
    cpu_pass_ = std::move(pass).value();
  }
  const auto start = std::chrono::steady_clock::now();
  do {
    CONVLAB_TRY(cpu_pass_->step());
  } while (!cpu_pass_->done() && ms_since(start) < budget_ms);
  if (!cpu_pass_->done()) return {};
  Activations acts = cpu_pass_->finish();
  cpu_pass_.reset();
  cpu_run_done(std::move(acts));
  return {};
}

void NetworkSession::cpu_run_done(Activations acts) {
  NetworkRun run;
  run.backend = RunBackend::Cpu;
  run.order = acts.order;
  run.times = acts.step_times;
  for (const StepTime& t : run.times) run.total_ms += t.ms;
  run.output = acts.output(model_->graph);
  run.cpu = std::move(acts.values);
  // The inputs are layers too (the first box of the diagram).
  for (auto& [name, value] :
       recipe_ ? model_inputs() : std::map<std::string, Tensor>{{"gray", input_->gray}}) {
    if (std::find(run.order.begin(), run.order.end(), name) == run.order.end())
      run.order.insert(run.order.begin(), name);
    run.cpu.emplace(name, value);
  }
  pending_run_ = std::move(run);
  if (recipe_) return complete();  // nothing to join: the output is the result
  start_finishing();
}

void NetworkSession::complete() {
  run_ = std::move(pending_run_);
  pending_run_.reset();
  downloaded_.clear();
  ++result_version_;
  request_to_result_ms_ = ms_since(requested_at_);
  phase_ = SessionPhase::Done;
}

void NetworkSession::start_finishing() {
  phase_ = SessionPhase::Finishing;
  if (threading_ == Threading::Frames) return;  // update() joins a,b with L
  ColorizeInput input = *input_;
  Tensor ab = pending_run_->output;
  finishing_ = std::async(std::launch::async, [input = std::move(input), ab = std::move(ab)]() {
    return finish_colorize(input, ab);
  });
}

void NetworkSession::update(double budget_ms) {
  reap_abandoned();
  const auto start = std::chrono::steady_clock::now();
  const SessionPhase phase_at_start = phase_;
  if (phase_ == SessionPhase::Loading && (load_now_ || ready(loading_))) {
    std::function<Result<Loaded>()> stage = std::move(load_now_);
    load_now_ = nullptr;
    Result<Loaded> input = stage ? stage() : loading_.get();
    if (!input && input.message() == kNotYet) return;  // the next stage runs next frame
    if (!input) return fail(input.message());
    input_ = std::move(input->colorize);
    image_ = std::move(input->image);
    phase_ = SessionPhase::Running;
    const auto requested = requested_at_;
    restart_run();
    requested_at_ = requested;                    // the load counts in the time to the result
    if (threading_ == Threading::Frames) return;  // this frame's time went to preparing the photo
  }
  const double left = std::max(0.0, budget_ms - ms_since(start));
  if (phase_ == SessionPhase::Running) {
    if (effective_backend() == RunBackend::Gpu) {
      Status stepped = step_gpu(left);
      if (!stepped) return fail(stepped.message());
    } else if (threading_ == Threading::Frames) {
      Status stepped = step_cpu(left);
      if (!stepped) return fail(stepped.message());
    } else if (ready(cpu_running_)) {
      auto acts = cpu_running_.get();
      if (!acts) return fail(acts.message());
      cpu_run_done(std::move(acts).value());
    }
  }
  // Without threads, joining a,b with L gets a frame of its own.
  const bool finish_now =
      threading_ == Threading::Frames ? phase_at_start == SessionPhase::Finishing : ready(finishing_);
  if (phase_ == SessionPhase::Finishing && finish_now) {
    auto image =
        threading_ == Threading::Frames ? finish_colorize(*input_, pending_run_->output) : finishing_.get();
    if (!image) return fail(image.message());
    result_ = std::move(image).value();
    complete();
  }
}

void NetworkSession::finish_all() {
  while (busy()) {
    update(1000.0);
    const bool waiting_on_thread =
        threading_ == Threading::Workers && busy() &&
        !(phase_ == SessionPhase::Running && effective_backend() == RunBackend::Gpu);
    if (waiting_on_thread) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

double NetworkSession::progress() const {
  switch (phase_) {
    case SessionPhase::Loading:
      return 0.0;
    case SessionPhase::Running:
      if (effective_backend() == RunBackend::Gpu)
        return pass_ && pass_->step_count()
                   ? static_cast<double>(pass_->steps_done()) / static_cast<double>(pass_->step_count())
                   : 0.0;
      if (cpu_pass_ && cpu_pass_->step_count())
        return static_cast<double>(cpu_pass_->steps_done()) / static_cast<double>(cpu_pass_->step_count());
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
      return tr("no photo yet");
    case SessionPhase::Loading:
      return format(tr("loading %s"), image_label_.c_str());
    case SessionPhase::Running:
      if (effective_backend() == RunBackend::Gpu && pass_)
        return format(tr("running %s on the GPU (%d of %d)"), pass_->next_result().c_str(),
                      static_cast<int>(pass_->steps_done() + 1), static_cast<int>(pass_->step_count()));
      if (cpu_pass_)
        return format(tr("running %s on the CPU (%d of %d)"), cpu_pass_->next_result().c_str(),
                      static_cast<int>(cpu_pass_->steps_done() + 1),
                      static_cast<int>(cpu_pass_->step_count()));
      if (effective_backend() == RunBackend::Cpu && cpu_total_ && cpu_total_->load() > 0)
        return format(tr("running on the CPU (%d of %d steps)"), static_cast<int>(cpu_done_->load()),
                      static_cast<int>(cpu_total_->load()));
      return effective_backend() == RunBackend::Gpu ? tr("starting on the GPU") : tr("starting on the CPU");
    case SessionPhase::Finishing:
      return recipe_ ? tr("done") : tr("joining a,b with L");
    case SessionPhase::Done:
      return tr("done");
    case SessionPhase::Failed:
      return error_;
  }
  return {};
}

// ---- layers -----------------------------------------------------------------

Result<const Tensor*> NetworkSession::activation(const std::string& name) {
  if (!run_) return Error{tr("the model has not run yet")};
  if (run_->backend == RunBackend::Cpu) {
    auto it = run_->cpu.find(name);
    if (it == run_->cpu.end()) return Error{format(tr("the run has no layer '%s'"), name.c_str())};
    return &it->second;
  }
  if (auto it = downloaded_.find(name); it != downloaded_.end()) return &it->second;
  auto host = run_->device->download(name);
  if (!host) return host.error();
  return &downloaded_.insert_or_assign(name, std::move(host).value()).first->second;
}

}  // namespace convlab::session
