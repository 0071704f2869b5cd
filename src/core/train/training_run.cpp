#include "core/train/training_run.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

#include "core/fast/parallel.h"
#include "core/io/safetensors.h"
#include "core/model/evaluate.h"
#include "core/model/runner.h"
#include "core/train/trainer_model.h"

namespace convlab::train {

namespace {

constexpr const char* kOptimizerPrefix = "optimizer.";
constexpr const char* kBestPrefix = "best.";

// splitmix64: the same stream everywhere, so a seed names a run.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A uniform double in [0, 1) from 53 bits of v.
double unit(uint64_t v) { return static_cast<double>(v >> 11) * 0x1.0p-53; }

// One batch: the images of `indices`, rescaled, cropped and flipped where
// the run says so.
void assemble_batch(const TrainingData& data, const std::vector<int>& indices, const TrainingOptions& options,
                    int epoch, Tensor& gray, Tensor& ab, std::vector<int64_t>& categories) {
  const int64_t side = data.side;
  const auto n = static_cast<int64_t>(indices.size());
  gray = Tensor({n, 1, side, side});
  ab = Tensor({n, 2, side, side});
  categories.assign(indices.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    const int index = indices[static_cast<size_t>(k)];
    const bool mirror = options.flip && flipped(options.seed, epoch, index);
    const bool rescale = options.scale_max > 1.0;
    const ScaleCrop crop =
        rescale ? scale_crop(options.seed, epoch, index, options.scale_max, data.side) : ScaleCrop{};
    categories[static_cast<size_t>(k)] = data.categories[static_cast<size_t>(index)];
    const auto copy_planes = [&](const Tensor& source, Tensor& target, int64_t planes) {
      for (int64_t p = 0; p < planes; ++p) {
        const float* from_plane = source.data() + (index * planes + p) * side * side;
        float* to_plane = target.data() + (k * planes + p) * side * side;
        if (rescale) {
          rescale_crop_plane(from_plane, to_plane, data.side, crop, mirror);
          continue;
        }
        for (int64_t y = 0; y < side; ++y) {
          const float* from = from_plane + y * side;
          float* to = to_plane + y * side;
          if (mirror)
            std::reverse_copy(from, from + side, to);
          else
            std::copy_n(from, side, to);
        }
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

ScaleCrop scale_crop(uint64_t seed, int epoch, int index, double scale_max, int side) {
  ScaleCrop crop;
  if (!(scale_max > 1.0)) return crop;
  const uint64_t r1 =
      mix(seed ^ 0x5CA1ED0C209ULL ^
          mix(static_cast<uint64_t>(epoch) * 0x100000001B3ULL + static_cast<uint64_t>(index)));
  const uint64_t r2 = mix(r1), r3 = mix(r2);
  crop.factor = 1.0 + (scale_max - 1.0) * unit(r1);
  const double room = static_cast<double>(side) * (crop.factor - 1.0);  // enlarged side - side
  crop.x = room * unit(r2);
  crop.y = room * unit(r3);
  return crop;
}

void rescale_crop_plane(const float* from, float* to, int side, const ScaleCrop& crop, bool mirror) {
  // Output pixel x samples the source at (x + crop.x + 0.5) / factor - 0.5
  // (pixel centres), bilinear, clamped to the plane.
  struct Tap {
    int i0, i1;
    float t;
  };
  const auto taps = [&](double offset) {
    std::vector<Tap> result(static_cast<size_t>(side));
    for (int x = 0; x < side; ++x) {
      const double s = std::clamp((x + offset + 0.5) / crop.factor - 0.5, 0.0, static_cast<double>(side - 1));
      const int i0 = std::min(static_cast<int>(s), side - 1);
      result[static_cast<size_t>(x)] = {i0, std::min(i0 + 1, side - 1), static_cast<float>(s - i0)};
    }
    return result;
  };
  const std::vector<Tap> columns = taps(crop.x), rows = taps(crop.y);
  const auto stride = static_cast<size_t>(side);
  for (int y = 0; y < side; ++y) {
    const Tap& r = rows[static_cast<size_t>(y)];
    const float* top = from + static_cast<size_t>(r.i0) * stride;
    const float* bottom = from + static_cast<size_t>(r.i1) * stride;
    float* out = to + static_cast<size_t>(y) * stride;
    for (int x = 0; x < side; ++x) {
      const Tap& c = columns[static_cast<size_t>(x)];
      const float upper = top[c.i0] + (top[c.i1] - top[c.i0]) * c.t;
      const float lower = bottom[c.i0] + (bottom[c.i1] - bottom[c.i0]) * c.t;
      out[mirror ? side - 1 - x : x] = upper + (lower - upper) * r.t;
    }
  }
}

Result<ValidationScores> validate(const Model& model, const TrainingData& data, int batch) {
  const auto count = static_cast<int64_t>(data.categories.size());
  if (count == 0) return Error{"the validation set is empty"};
  const int64_t side = data.side, plane = side * side;
  double squared = 0, chroma_predicted = 0, chroma_true = 0;
  for (int64_t start = 0; start < count; start += batch) {
    const int64_t n = std::min<int64_t>(batch, count - start);
    Tensor gray({n, 1, side, side});
    std::copy_n(data.L.data() + start * plane, n * plane, gray.data());
    const std::span<const int64_t> categories(data.categories.data() + start, static_cast<size_t>(n));
    auto acts = run_model_cpu(model, gray, categories, CpuPath::Fast, false);
    if (!acts.ok()) return Error{"validation: " + acts.message()};
    const Tensor& predicted = acts->output(model.graph);
    const float* truth = data.ab.data() + start * 2 * plane;
    for (int64_t i = 0; i < n * 2 * plane; ++i) {
      const double d = static_cast<double>(predicted[i]) - truth[i];
      squared += d * d;
    }
    for (int64_t k = 0; k < n; ++k) {
      chroma_predicted += chroma_sum(predicted.data() + k * 2 * plane, plane);
      chroma_true += chroma_sum(truth + k * 2 * plane, plane);
    }
  }
  ValidationScores scores;
  scores.mse_ab = squared / static_cast<double>(count * 2 * plane);
  scores.chroma_ratio = chroma_true > 0 ? chroma_predicted / chroma_true : 0.0;
  return scores;
}

bool training_done(const TrainingState& state, const TrainingOptions& options, bool validated) {
  if (state.epoch >= options.epochs) return true;
  return validated && options.patience > 0 && state.best_epoch > 0 &&
         state.epochs_since_best >= options.patience;
}

Status run_training(Model& model, Adam& adam, TrainingState& state, const TrainingData& data,
                    const TrainingOptions& options, const std::function<bool(const StepReport&)>& on_step,
                    const std::function<Status(const TrainingState&, const EpochReport&)>& on_epoch,
                    const std::vector<TrainingData>& validation, Model* best) {
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
  while (!training_done(state, options, !validation.empty())) {
    const std::vector<int> order = epoch_order(images, options.seed, state.epoch);
    double loss_sum = 0;
    int loss_count = 0;
    while (state.step_in_epoch < steps) {
      const auto first = order.begin() + static_cast<std::ptrdiff_t>(state.step_in_epoch) * options.batch;
      const std::vector<int> indices(first, first + options.batch);
      assemble_batch(data, indices, options, state.epoch, gray, ab, categories);
      const auto start = std::chrono::steady_clock::now();
      auto loss = train_step(model, gray, categories, ab, adam, static_cast<float>(options.chroma_weight));
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
    // Validated before the state moves on: a failure here leaves the epoch's
    // steps done and its validation still to do, which a resume redoes.
    EpochReport report;
    report.epoch = state.epoch + 1;
    report.train_loss = loss_count > 0 ? loss_sum / loss_count : 0.0;
    for (const TrainingData& set : validation) {
      auto scores = validate(model, set);
      if (!scores.ok()) return scores.error();
      report.validation.push_back(scores.value());
      report.score += scores->mse_ab / static_cast<double>(validation.size());
    }
    ++state.epoch;
    state.step_in_epoch = 0;
    if (!validation.empty()) {
      if (state.best_epoch == 0 || report.score < state.best_score) {
        state.best_score = report.score;
        state.best_epoch = state.epoch;
        state.epochs_since_best = 0;
        report.improved = true;
        if (best) *best = model;
      } else {
        ++state.epochs_since_best;
      }
      report.stopping = training_done(state, options, true) && state.epoch < options.epochs;
    }
    if (on_epoch) CONVLAB_TRY(on_epoch(state, report));
  }
  return {};
}

Status save_checkpoint(const std::string& path, const Model& model, const Adam& adam,
                       const TrainingState& state, const TrainingOptions& options, const Model* best) {
  SafeTensors file;
  for (const auto& [name, tensor] : model.weights) file.put_float(name, tensor);
  const int64_t tracked = model.num_batches_tracked;
  file.put_ints("num_batches_tracked", {}, std::span<const int64_t>(&tracked, 1));
  if (best) {
    for (const auto& [name, tensor] : best->weights) file.put_float(kBestPrefix + name, tensor);
    const int64_t best_tracked = best->num_batches_tracked;
    file.put_ints(std::string(kBestPrefix) + "num_batches_tracked", {},
                  std::span<const int64_t>(&best_tracked, 1));
  }
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
  meta["scale_max"] = number(options.scale_max);
  meta["chroma_weight"] = number(options.chroma_weight);
  meta["patience"] = std::to_string(options.patience);
  meta["val_fraction"] = number(options.val_fraction);
  std::string sizes;
  for (int size : options.val_sizes) sizes += (sizes.empty() ? "" : ",") + std::to_string(size);
  meta["val_sizes"] = sizes;
  meta["best_score"] = number(state.best_score);
  meta["best_epoch"] = std::to_string(state.best_epoch);
  meta["epochs_since_best"] = std::to_string(state.epochs_since_best);
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
  SafeTensors best_weights;
  bool has_best = false;
  const std::string best_tracked_name = std::string(kBestPrefix) + "num_batches_tracked";
  for (const auto& [name, stored] : file->tensors()) {
    if (name.rfind(kOptimizerPrefix, 0) == 0) {
      optimizer.put_stored(name.substr(std::strlen(kOptimizerPrefix)), stored);
    } else if (name.rfind(kBestPrefix, 0) == 0) {
      if (name != best_tracked_name) best_weights.put_stored(name.substr(std::strlen(kBestPrefix)), stored);
      has_best = true;
    } else if (name != "num_batches_tracked") {
      weights.put_stored(name, stored);
    }
  }
  for (const auto& spec : graph.expected_weights())
    if (spec.integer) {
      int64_t zero = 0;
      weights.put_ints(spec.name, {}, std::span<const int64_t>(&zero, 1));
      best_weights.put_ints(spec.name, {}, std::span<const int64_t>(&zero, 1));
    }
  auto model = model_from_safetensors(graph, weights, path);
  if (!model.ok()) return model.error();
  if (auto tracked = file->get_ints("num_batches_tracked"); tracked.ok() && !tracked->empty())
    model->num_batches_tracked = tracked->front();
  Model best;
  if (has_best) {
    auto loaded = model_from_safetensors(graph, best_weights, path + " (best weights)");
    if (!loaded.ok()) return loaded.error();
    best = std::move(loaded).value();
    if (auto tracked = file->get_ints(best_tracked_name); tracked.ok() && !tracked->empty())
      best.num_batches_tracked = tracked->front();
  }
  TensorMap state_tensors;
  for (const auto& [name, stored] : optimizer.tensors()) {
    (void)stored;
    auto tensor = optimizer.get_float(name);
    if (!tensor.ok()) return Error{path + ": " + tensor.message()};
    state_tensors[name] = std::move(tensor).value();
  }
  Checkpoint checkpoint{std::move(model).value(), Adam(), {}, {}, has_best, std::move(best)};
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
    // Added with validation; older checkpoints go without.
    const auto optional = [&](const char* key, const char* fallback) {
      const auto found = meta.find(key);
      return found == meta.end() ? std::string(fallback) : found->second;
    };
    checkpoint.options.scale_max = std::stod(optional("scale_max", "1"));
    checkpoint.options.chroma_weight = std::stod(optional("chroma_weight", "0"));
    checkpoint.options.patience = std::stoi(optional("patience", "0"));
    checkpoint.options.val_fraction = std::stod(optional("val_fraction", "0"));
    const std::string sizes = optional("val_sizes", "");
    for (size_t at = 0; at < sizes.size();) {
      const size_t comma = std::min(sizes.find(',', at), sizes.size());
      checkpoint.options.val_sizes.push_back(std::stoi(sizes.substr(at, comma - at)));
      at = comma + 1;
    }
    checkpoint.state.best_score = std::stod(optional("best_score", "0"));
    checkpoint.state.best_epoch = std::stoi(optional("best_epoch", "0"));
    checkpoint.state.epochs_since_best = std::stoi(optional("epochs_since_best", "0"));
  } catch (const std::exception&) {
    return Error{path +
                 ": the checkpoint's metadata is damaged (epoch, steps, batch, lr or seed unreadable)"};
  }
  return checkpoint;
}

}  // namespace convlab::train
