#include "core/train/training_run.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

#include "core/fast/parallel.h"
#include "core/io/safetensors.h"
#include "core/train/trainer_model.h"

namespace convlab::train {

namespace {

constexpr const char* kOptimizerPrefix = "optimizer.";

// splitmix64: the same stream everywhere, so a seed names a run.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// One batch: the images of `indices`, flipped where the run says so.
void assemble_batch(const TrainingData& data, const std::vector<int>& indices, uint64_t seed, int epoch,
                    bool flip, Tensor& gray, Tensor& ab, std::vector<int64_t>& categories) {
  const int64_t side = data.side;
  const auto n = static_cast<int64_t>(indices.size());
  gray = Tensor({n, 1, side, side});
  ab = Tensor({n, 2, side, side});
  categories.assign(indices.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    const int index = indices[static_cast<size_t>(k)];
    const bool mirror = flip && flipped(seed, epoch, index);
    categories[static_cast<size_t>(k)] = data.categories[static_cast<size_t>(index)];
    const auto copy_planes = [&](const Tensor& source, Tensor& target, int64_t planes) {
      for (int64_t p = 0; p < planes; ++p)
        for (int64_t y = 0; y < side; ++y) {
          const float* from = source.data() + ((index * planes + p) * side + y) * side;
          float* to = target.data() + ((k * planes + p) * side + y) * side;
          if (mirror)
            std::reverse_copy(from, from + side, to);
          else
            std::copy_n(from, side, to);
        }
    };
    copy_planes(data.L, gray, 1);
    copy_planes(data.ab, ab, 2);
  }
}

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace

Result<TrainingData> load_training_data(const DatasetListing& listing, int side) {
  if (side <= 0 || side > 1024)
    return Error{"training size " + std::to_string(side) + " is not valid; use 16 to 1024"};
  const auto count = static_cast<int64_t>(listing.images.size());
  std::vector<LabImage> images(static_cast<size_t>(count));
  std::vector<std::string> errors(static_cast<size_t>(count));
  fast::detail::parallel_for(count, 8, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      auto lab = load_lab_image(listing.images[static_cast<size_t>(i)].path, side);
      if (lab.ok())
        images[static_cast<size_t>(i)] = std::move(lab).value();
      else
        errors[static_cast<size_t>(i)] = lab.message();
    }
  });
  TrainingData data;
  data.side = side;
  int64_t kept = 0;
  for (int64_t i = 0; i < count; ++i)
    if (errors[static_cast<size_t>(i)].empty()) ++kept;
  if (kept == 0) return Error{"none of the " + std::to_string(count) + " images could be read"};
  data.L = Tensor({kept, 1, side, side});
  data.ab = Tensor({kept, 2, side, side});
  const size_t plane = static_cast<size_t>(side) * static_cast<size_t>(side);
  int64_t k = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (!errors[static_cast<size_t>(i)].empty()) {
      data.skipped.push_back(errors[static_cast<size_t>(i)]);
      continue;
    }
    const LabImage& image = images[static_cast<size_t>(i)];
    std::memcpy(data.L.data() + static_cast<size_t>(k) * plane, image.L.data(), plane * sizeof(float));
    std::memcpy(data.ab.data() + static_cast<size_t>(k) * 2 * plane, image.ab.data(),
                2 * plane * sizeof(float));
    data.categories.push_back(listing.images[static_cast<size_t>(i)].category);
    ++k;
  }
  return data;
}

std::vector<int> epoch_order(int n, uint64_t seed, int epoch) {
  std::vector<int> order(static_cast<size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  uint64_t state = mix(seed ^ mix(static_cast<uint64_t>(epoch) + 1));
  // Fisher-Yates with the splitmix stream.
  for (int i = n - 1; i > 0; --i) {
    state = mix(state);
    const auto j = static_cast<int>(state % static_cast<uint64_t>(i + 1));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  return order;
}

bool flipped(uint64_t seed, int epoch, int index) {
  return (mix(seed ^ mix(static_cast<uint64_t>(epoch) * 0x100000001B3ULL + static_cast<uint64_t>(index))) >>
          63) != 0;
}

int steps_per_epoch(int images, int batch) { return batch > 0 ? images / batch : 0; }

Status run_training(Model& model, Adam& adam, TrainingState& state, const TrainingData& data,
                    const TrainingOptions& options, const std::function<bool(const StepReport&)>& on_step,
                    const std::function<Status(const TrainingState&, double)>& on_epoch) {
  const int images = static_cast<int>(data.categories.size());
  if (options.batch < 1) return Error{"batch size must be at least 1"};
  const int steps = steps_per_epoch(images, options.batch);
  if (steps == 0)
    return Error{"batch size " + std::to_string(options.batch) + " is larger than the " +
                 std::to_string(images) + " training images; use --batch " +
                 std::to_string(std::max(1, images)) + " or less"};
  adam.set_lr(options.lr);
  Tensor gray, ab;
  std::vector<int64_t> categories;
  while (state.epoch < options.epochs) {
    const std::vector<int> order = epoch_order(images, options.seed, state.epoch);
    double loss_sum = 0;
    int loss_count = 0;
    while (state.step_in_epoch < steps) {
      const auto first = order.begin() + static_cast<std::ptrdiff_t>(state.step_in_epoch) * options.batch;
      const std::vector<int> indices(first, first + options.batch);
      assemble_batch(data, indices, options.seed, state.epoch, options.flip, gray, ab, categories);
      const auto start = std::chrono::steady_clock::now();
      auto loss = train_step(model, gray, categories, ab, adam);
      if (!loss.ok()) return loss.error();
      state.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ++state.step_in_epoch;
      ++state.steps;
      loss_sum += loss.value();
      ++loss_count;
      StepReport report{state.epoch + 1, state.step_in_epoch, steps,
                        state.steps,     state.seconds,       loss.value()};
      if (on_step && !on_step(report)) return {};
    }
    ++state.epoch;
    state.step_in_epoch = 0;
    if (on_epoch) CONVLAB_TRY(on_epoch(state, loss_count > 0 ? loss_sum / loss_count : 0.0));
  }
  return {};
}

Status save_checkpoint(const std::string& path, const Model& model, const Adam& adam,
                       const TrainingState& state, const TrainingOptions& options) {
  SafeTensors file;
  for (const auto& [name, tensor] : model.weights) file.put_float(name, tensor);
  const int64_t tracked = model.num_batches_tracked;
  file.put_ints("num_batches_tracked", {}, std::span<const int64_t>(&tracked, 1));
  for (const auto& [name, tensor] : adam.state_tensors()) file.put_float(kOptimizerPrefix + name, tensor);
  auto& meta = file.metadata();
  meta["format"] = "convlab-checkpoint";
  meta["arch"] = model.graph.name();
  meta["epoch"] = std::to_string(state.epoch);
  meta["step_in_epoch"] = std::to_string(state.step_in_epoch);
  meta["steps"] = std::to_string(state.steps);
  meta["seconds"] = number(state.seconds);
  meta["batch"] = std::to_string(options.batch);
  meta["epochs"] = std::to_string(options.epochs);
  meta["lr"] = number(options.lr);
  meta["seed"] = std::to_string(options.seed);
  meta["flip"] = std::string(1, options.flip ? '1' : '0');
  return write_safetensors(path, file);
}

Result<Checkpoint> load_checkpoint(const std::string& path, const Graph& graph) {
  auto file = read_safetensors(path);
  if (!file.ok()) return file.error();
  const auto& meta = file->metadata();
  const auto field = [&](const char* key) -> Result<std::string> {
    const auto found = meta.find(key);
    if (found == meta.end())
      return Error{path + ": not a ConvLab training checkpoint (no '" + key +
                   "' in its metadata); --resume takes the .ckpt.safetensors file `convlab train` writes"};
    return found->second;
  };
  for (const char* key : {"format", "arch", "epoch", "step_in_epoch", "steps", "seconds", "batch", "epochs",
                          "lr", "seed", "flip"})
    if (auto present = field(key); !present.ok()) return present.error();
  auto format = field("format");
  if (!format.ok()) return format.error();
  if (format.value() != "convlab-checkpoint")
    return Error{path + ": not a ConvLab training checkpoint (format '" + format.value() + "')"};
  auto arch = field("arch");
  if (!arch.ok()) return arch.error();
  if (arch.value() != graph.name())
    return Error{path + ": a checkpoint of the " + arch.value() + " model, not of " + graph.name() +
                 "; pass --arch " + arch.value()};
  // The model part is the plain state_dict: the same loader as any weights.
  SafeTensors weights;
  SafeTensors optimizer;
  for (const auto& [name, stored] : file->tensors()) {
    if (name.rfind(kOptimizerPrefix, 0) == 0)
      optimizer.put_stored(name.substr(std::strlen(kOptimizerPrefix)), stored);
    else if (name != "num_batches_tracked")
      weights.put_stored(name, stored);
  }
  for (const auto& spec : graph.expected_weights())
    if (spec.integer) {
      int64_t zero = 0;
      weights.put_ints(spec.name, {}, std::span<const int64_t>(&zero, 1));
    }
  auto model = model_from_safetensors(graph, weights, path);
  if (!model.ok()) return model.error();
  if (auto tracked = file->get_ints("num_batches_tracked"); tracked.ok() && !tracked->empty())
    model->num_batches_tracked = tracked->front();
  TensorMap state_tensors;
  for (const auto& [name, stored] : optimizer.tensors()) {
    (void)stored;
    auto tensor = optimizer.get_float(name);
    if (!tensor.ok()) return Error{path + ": " + tensor.message()};
    state_tensors[name] = std::move(tensor).value();
  }
  Checkpoint checkpoint{std::move(model).value(), Adam(), {}, {}};
  CONVLAB_TRY(checkpoint.adam.load_state_tensors(state_tensors));
  try {
    checkpoint.state.epoch = std::stoi(field("epoch").value());
    checkpoint.state.step_in_epoch = std::stoi(field("step_in_epoch").value());
    checkpoint.state.steps = std::stoll(field("steps").value());
    checkpoint.state.seconds = std::stod(field("seconds").value());
    checkpoint.options.batch = std::stoi(field("batch").value());
    checkpoint.options.epochs = std::stoi(field("epochs").value());
    checkpoint.options.lr = std::stod(field("lr").value());
    checkpoint.options.seed = std::stoull(field("seed").value());
    checkpoint.options.flip = field("flip").value() == "1";
  } catch (const std::exception&) {
    return Error{path +
                 ": the checkpoint's metadata is damaged (epoch, steps, batch, lr or seed unreadable)"};
  }
  return checkpoint;
}

}  // namespace convlab::train
