// `convlab train`: trains ECNN on a folder of photos (the original project's
// layout: images + categories.csv). The loop, data and checkpoints are
// core/train/training_run.h; this file reads the options, shows progress,
// and writes the model, the loss log, the loss curve and the checkpoints.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/model_args.h"
#include "core/fast/parallel.h"
#include "core/model/dataset.h"
#include "core/train/loss_plot.h"
#include "core/train/training_run.h"
#ifndef CONVLAB_HEADLESS
#include "cli/train_classifier.h"
#endif

namespace convlab::cli {

namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "train";
constexpr int kExitInterrupted = 130;  // the shell's code for Ctrl-C

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted = true; }

struct TrainArgs {
  std::string data;
  std::string categories;
  std::string arch = "advanced";
  int size = 128;
  int batch = 32;
  int epochs = 10;
  double lr = 1e-3;
  uint64_t seed = 1;
  std::string resume;
  std::string output;
  std::string init;  // start from these weights instead of random ones
  bool f16 = false;
  bool no_flip = false;
  int threads = 0;
  double val_fraction = 0;     // hold-out slice of the data for validation; 0 = none
  std::vector<int> val_sizes;  // validation sizes (default: --size)
  int patience = 0;            // 0 = run all epochs
  bool patience_given = false;
  double scale_aug = 1.0;    // largest random enlargement before the crop; 1 = off
  double chroma_weight = 0;  // loss weight per unit of true chroma / 100; 0 = plain MSE
  // --arch tinyvgg (the classifier) only
  std::string test_data, card;
  int channels = 16;
  double final_lr = 1e-4;
  bool size_given = false, epochs_given = false;
};

// --arch tinyvgg: the classifier's own run (train_classifier.h), its
// command line rebuilt for the model card.
int train_tinyvgg(const TrainArgs& a) {
#ifdef CONVLAB_HEADLESS
  (void)a;
  return usage_error(kName, "--arch tinyvgg writes ONNX, which this headless build has no library for");
#else
  ClassifierTrainArgs c;
  c.data = a.data;
  c.categories = a.categories;
  c.test_data = a.test_data;
  c.output = a.output;
  c.card = a.card;
  c.size = a.size_given ? a.size : 64;
  c.batch = a.batch;
  c.epochs = a.epochs_given ? a.epochs : 15;
  c.channels = a.channels;
  c.threads = a.threads;
  c.lr = a.lr;
  c.final_lr = a.final_lr;
  c.scale_aug = a.scale_aug;
  c.seed = a.seed;
  c.no_flip = a.no_flip;
  std::ostringstream line;
  line << "convlab train --arch tinyvgg --data " << a.data;
  if (!a.categories.empty()) line << " --categories " << a.categories;
  if (!a.test_data.empty()) line << " --test-data " << a.test_data;
  line << " --size " << c.size << " --channels " << c.channels << " --epochs " << c.epochs << " --batch "
       << c.batch << " --lr " << c.lr << " --final-lr " << c.final_lr << " --seed " << c.seed;
  if (c.scale_aug != 1.0) line << " --scale-aug " << c.scale_aug;
  if (c.no_flip) line << " --no-flip";
  if (c.threads > 0) line << " --threads " << c.threads;
  line << " -o " << fs::path(a.output).filename().string();
  if (!a.card.empty()) line << " --card " << fs::path(a.card).filename().string();
  c.command_line = line.str();
  return run_train_classifier(c);
#endif
}

const char* kTrainFooter =
    R"(Data: a folder of images and a categories.csv with rows image;category (';'-separated, category 0-7,
the file name only), as the original ECNN project; by default DATA/../categories.csv. Images are
cropped to a square and resized to --size; half of them are flipped left-right at random each epoch.
Rows that do not parse and images that cannot be read are listed and skipped.
Validation: --val-fraction F holds out F of the photos of each category (fixed by --seed and the file
names) and scores the model on them after every epoch, in eval mode, at each --val-sizes size; the
score is the mean MSE of (a,b) over the sizes. OUT.safetensors then holds the best-scoring weights (the
latest until the first epoch ends); --patience N stops when N epochs in a row did not beat the best.
--scale-aug M enlarges each photo by a random factor from 1 to M and crops a random --size square of
it (seeded), as the app's larger working sizes show objects bigger.
Written next to -o OUT.safetensors: OUT.ckpt.safetensors (checkpoint after every epoch and on Ctrl-C,
with the best weights and patience counters; continue with --resume: batch, seed, flips, --scale-aug
and the validation slice are the checkpoint's), OUT.log.csv (loss per step), OUT.epochs.csv (train
loss and validation per epoch), OUT.loss.png (loss curve).
Examples:
  convlab train --data colorize128/train -o ecnn.safetensors --epochs 20
  convlab train --data colorize128/train -o ecnn.safetensors --epochs 200 --val-fraction 0.08 \
      --val-sizes 128,256 --patience 6 --scale-aug 2
  convlab train --data colorize128/train -o ecnn.safetensors --resume ecnn.ckpt.safetensors)";

std::string stem_of(const std::string& output) {
  const std::string suffix = ".safetensors";
  if (output.size() > suffix.size() &&
      output.compare(output.size() - suffix.size(), suffix.size(), suffix) == 0)
    return output.substr(0, output.size() - suffix.size());
  return output;
}

// A number as typed: 0.7, not 0.700000.
std::string shown(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  else
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  return text;
}

// One line, rewritten in place on a terminal; every 20 steps otherwise.
void show_progress(const train::StepReport& r, int epochs, int batch, double seconds_at_start,
                   int64_t steps_at_start, bool terminal) {
  // Speed of this run only (a resumed run does not average in the old one's).
  const double run_seconds = r.seconds - seconds_at_start;
  const int64_t run_steps = r.steps - steps_at_start;
  const double images_per_second =
      run_seconds > 0 && run_steps > 0 ? static_cast<double>(batch * run_steps) / run_seconds : 0.0;
  const int64_t total = static_cast<int64_t>(epochs) * r.steps_per_epoch;
  const double eta = static_cast<double>(total - r.steps) * (r.seconds / static_cast<double>(r.steps));
  const int width = 24;
  const int filled = r.steps_per_epoch > 0 ? width * r.step_in_epoch / r.steps_per_epoch : 0;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(static_cast<size_t>(width), '.');
  char line[256];
  std::snprintf(line, sizeof line, "epoch %d/%d [%s] %d/%d  loss %.3f  %.1f img/s  ETA %s", r.epoch, epochs,
                bar.c_str(), r.step_in_epoch, r.steps_per_epoch, static_cast<double>(r.loss),
                images_per_second, duration(eta).c_str());
  if (terminal)
    std::fprintf(stderr, "\r%s   ", line);
  else if (r.step_in_epoch % 20 == 0 || r.step_in_epoch == r.steps_per_epoch)
    std::fprintf(stderr, "%s\n", line);
}

int run_train(const TrainArgs& args) {
  if (args.arch == "tinyvgg") return train_tinyvgg(args);
  if (!args.test_data.empty() || !args.card.empty())
    return usage_error(kName, "--test-data and --card are for --arch tinyvgg (the classifier)");
  if (args.output.empty()) return usage_error(kName, "say where to write the model: -o OUT.safetensors");
  if (args.size < 16 || args.size > 512)
    return usage_error(kName, "--size " + std::to_string(args.size) + " is out of range; valid: 16 to 512");
  if (args.batch < 1 || args.batch > 1024)
    return usage_error(kName, "--batch " + std::to_string(args.batch) + " is out of range; valid: 1 to 1024");
  if (args.epochs < 1 || args.epochs > 100000)
    return usage_error(kName,
                       "--epochs " + std::to_string(args.epochs) + " is out of range; valid: 1 to 100000");
  if (!(args.lr > 0 && args.lr < 1))
    return usage_error(kName,
                       "--lr " + std::to_string(args.lr) + " is out of range; valid: above 0 and below 1");
  if (!(args.val_fraction >= 0 && args.val_fraction <= 0.5))
    return usage_error(kName, "--val-fraction " + shown(args.val_fraction) +
                                  " is out of range; valid: 0 (no validation) to 0.5");
  if (args.patience < 0 || args.patience > 100000)
    return usage_error(kName, "--patience " + std::to_string(args.patience) +
                                  " is out of range; valid: 1 to 100000 (0: no early stop)");
  if (!(args.scale_aug >= 1 && args.scale_aug <= 4))
    return usage_error(kName,
                       "--scale-aug " + shown(args.scale_aug) + " is out of range; valid: 1 (off) to 4");
  if (!(args.chroma_weight >= 0 && args.chroma_weight <= 10))
    return usage_error(kName, "--chroma-weight " + shown(args.chroma_weight) +
                                  " is out of range; valid: 0 (plain MSE) to 10");
  if (args.val_fraction == 0 && args.resume.empty()) {
    if (args.patience > 0)
      return usage_error(kName, "--patience needs validation photos: add --val-fraction F (e.g. 0.08)");
    if (!args.val_sizes.empty())
      return usage_error(kName, "--val-sizes needs validation photos: add --val-fraction F (e.g. 0.08)");
  }
  auto graph = builtin_graph(args.arch);
  if (!graph) return usage_error(kName, graph.message());
  if (args.size % graph->size_multiple() != 0)
    return usage_error(kName, "--size " + std::to_string(args.size) + " is not a multiple of " +
                                  std::to_string(graph->size_multiple()) + ", which the " + args.arch +
                                  " model needs");
  for (int size : args.val_sizes)
    if (size < 16 || size > 512 || size % graph->size_multiple() != 0)
      return usage_error(kName, "--val-sizes " + std::to_string(size) + " is not valid; valid: 16 to 512, " +
                                    "multiples of " + std::to_string(graph->size_multiple()));
  if (args.threads > 0) fast::detail::set_pool_threads(args.threads);
  const std::string categories =
      args.categories.empty()
          ? (fs::path(args.data).lexically_normal().parent_path() / "categories.csv").string()
          : args.categories;

  train::TrainingOptions options{args.batch, args.epochs, args.lr, args.seed, !args.no_flip};
  options.scale_max = args.scale_aug;
  options.chroma_weight = args.chroma_weight;
  options.patience = args.patience;
  options.val_fraction = args.val_fraction;
  options.val_sizes = args.val_sizes;
  train::TrainingState state;
  Model model;
  Model best;
  bool has_best = false;
  train::Adam adam;
  if (!args.resume.empty()) {
    auto checkpoint = train::load_checkpoint(args.resume, *graph);
    if (!checkpoint) return runtime_error(kName, "--resume: " + checkpoint.message());
    model = std::move(checkpoint->model);
    adam = std::move(checkpoint->adam);
    state = checkpoint->state;
    has_best = checkpoint->has_best;
    if (has_best) best = std::move(checkpoint->best);
    // The batch order, the augmentation and the validation slice depend on
    // seed, batch, flips and scale: a resumed run keeps them (a run without
    // validation may start one).
    options.batch = checkpoint->options.batch;
    options.seed = checkpoint->options.seed;
    options.flip = checkpoint->options.flip;
    options.scale_max = checkpoint->options.scale_max;
    options.chroma_weight = checkpoint->options.chroma_weight;
    if (checkpoint->options.val_fraction > 0) {
      options.val_fraction = checkpoint->options.val_fraction;
      options.val_sizes = checkpoint->options.val_sizes;
    }
    if (!args.patience_given) options.patience = checkpoint->options.patience;
    std::cerr << "convlab train: resuming " << args.resume << " at epoch " << state.epoch + 1 << ", step "
              << state.step_in_epoch + 1 << " (batch " << options.batch << ", seed " << options.seed
              << ", scale-aug " << options.scale_max << ", val-fraction " << options.val_fraction
              << ", patience " << options.patience << ")";
    if (state.best_epoch > 0)
      std::fprintf(stderr, "; best validation %.3f at epoch %d, %d epoch(s) since", state.best_score,
                   state.best_epoch, state.epochs_since_best);
    std::cerr << "\n";
    if (options.patience > 0 && options.val_fraction == 0)
      return usage_error(kName,
                         "--patience needs validation photos, and the checkpoint has none: add "
                         "--val-fraction F (e.g. 0.08)");
  } else if (!args.init.empty()) {
    auto loaded = load_model(*graph, args.init);
    if (!loaded) return runtime_error(kName, "--init: " + loaded.message());
    model = std::move(loaded).value();
  } else {
    model = random_model(*graph, args.seed);
  }
  if (options.val_fraction > 0 && options.val_sizes.empty()) options.val_sizes = {args.size};

  auto listing = list_dataset(args.data, categories);
  if (!listing) return runtime_error(kName, listing.message());
  for (const std::string& line : listing->skipped) std::cerr << "convlab train: skipped: " << line << "\n";
  const DatasetSplit split = split_validation(*listing, options.val_fraction, options.seed);
  std::cerr << "convlab train: reading " << split.train.images.size() << " images at " << args.size << "x"
            << args.size << "...\n";
  auto data = train::load_training_data(split.train, args.size);
  if (!data) return runtime_error(kName, data.message());
  for (const std::string& line : data->skipped) std::cerr << "convlab train: skipped: " << line << "\n";
  std::vector<train::TrainingData> validation;
  if (options.val_fraction > 0) {
    if (split.validation.images.empty())
      return runtime_error(kName,
                           "--val-fraction " + shown(options.val_fraction) +
                               " holds out no photo (each category needs 2 or more); use a larger one");
    for (int size : options.val_sizes) {
      std::cerr << "convlab train: reading " << split.validation.images.size() << " validation images at "
                << size << "x" << size << "...\n";
      auto set = train::load_training_data(split.validation, size);
      if (!set) return runtime_error(kName, "validation: " + set.message());
      validation.push_back(std::move(set).value());
    }
  }

  if (const fs::path parent = fs::path(args.output).parent_path(); !parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
      return runtime_error(kName, "-o " + args.output + ": cannot create its folder (" + ec.message() + ")");
  }
  const std::string stem = stem_of(args.output);
  const std::string checkpoint_path = stem + ".ckpt.safetensors";
  const std::string log_path = stem + ".log.csv";
  const std::string plot_path = stem + ".loss.png";
  const std::string epochs_path = stem + ".epochs.csv";
  // The log continues when resuming, so the curve shows the whole run.
  std::vector<float> losses;
  std::vector<int64_t> epoch_ends;
  if (!args.resume.empty()) {
    std::ifstream old(log_path);
    std::string line;
    std::getline(old, line);
    while (std::getline(old, line)) {
      long epoch = 0, step = 0;
      double seconds = 0, loss = 0;
      if (std::sscanf(line.c_str(), "%ld,%ld,%lf,%lf", &epoch, &step, &seconds, &loss) != 4) continue;
      if (step > state.steps) break;
      losses.push_back(static_cast<float>(loss));
    }
    // Every epoch has the same number of steps (the checkpoint keeps the batch).
    const int64_t per_epoch =
        train::steps_per_epoch(static_cast<int>(data->categories.size()), options.batch);
    for (int64_t e = 1; e <= state.epoch && e * per_epoch <= static_cast<int64_t>(losses.size()); ++e)
      epoch_ends.push_back(e * per_epoch);
  }
  std::ofstream log(log_path, std::ios::trunc);
  if (!log) return runtime_error(kName, "cannot write the loss log " + log_path);
  log << "epoch,step,seconds,loss\n";
  {
    int64_t step = 0;
    size_t next_end = 0;
    int epoch = 1;
    for (float loss : losses) {
      ++step;
      log << epoch << "," << step << ",0," << loss << "\n";
      if (next_end < epoch_ends.size() && epoch_ends[next_end] == step) {
        ++epoch;
        ++next_end;
      }
    }
  }

  // One row per epoch: train loss and validation; kept up to the checkpoint's epoch when resuming.
  std::string epochs_header = "epoch,steps,seconds,train_loss,val_mse";
  for (size_t i = 0; i < options.val_sizes.size() && options.val_fraction > 0; ++i) {
    const std::string size = std::to_string(options.val_sizes[i]);
    epochs_header += ",val_mse_" + size + ",val_chroma_" + size;
  }
  epochs_header += ",best_epoch";
  std::vector<std::string> epoch_rows;
  std::vector<double> epoch_validation;  // per epoch, NaN where not validated
  if (!args.resume.empty()) {
    std::ifstream old(epochs_path);
    std::string line;
    std::getline(old, line);
    while (std::getline(old, line)) {
      long epoch = 0, steps = 0;
      double seconds = 0, loss = 0;
      char val[64] = {0};
      if (std::sscanf(line.c_str(), "%ld,%ld,%lf,%lf,%63[^,]", &epoch, &steps, &seconds, &loss, val) < 4)
        continue;
      if (epoch > state.epoch) break;
      epoch_rows.push_back(line);
      char* end = nullptr;
      const double value = std::strtod(val, &end);
      epoch_validation.push_back(end != val ? value : std::numeric_limits<double>::quiet_NaN());
    }
  }
  std::ofstream epochs_log(epochs_path, std::ios::trunc);
  if (!epochs_log) return runtime_error(kName, "cannot write the epoch log " + epochs_path);
  epochs_log << epochs_header << "\n";
  for (const std::string& row : epoch_rows) epochs_log << row << "\n";
  epochs_log.flush();

  const DType dtype = args.f16 ? DType::F16 : DType::F32;
  const auto save_all = [&](const train::TrainingState& at) -> Status {
    CONVLAB_TRY(
        train::save_checkpoint(checkpoint_path, model, adam, at, options, has_best ? &best : nullptr));
    CONVLAB_TRY(save_model(has_best ? best : model, args.output, dtype));
    return save_image(plot_path, train::plot_loss_curve(losses, epoch_ends, 960, 540, epoch_validation));
  };

  // Ctrl-C asks for a clean stop: the handler stays in place until the run
  // has saved and said so. It once went back to the default right after
  // training returned, and a second SIGINT (timeout(1) sends one to the
  // process and one to its group; people press Ctrl-C twice) then killed the
  // process after the checkpoint was written but before the message, or
  // could have in the middle of writing it.
  g_interrupted = false;
  struct InterruptHandler {
    InterruptHandler() { std::signal(SIGINT, on_interrupt); }
    ~InterruptHandler() { std::signal(SIGINT, SIG_DFL); }
  } interrupt_handler;
  const bool terminal = isatty(STDERR_FILENO) != 0;
  const double seconds_at_start = state.seconds;
  const int64_t steps_at_start = state.steps;
  std::cerr << "convlab train: " << data->categories.size() << " images, " << args.arch << ", batch "
            << options.batch << ", "
            << train::steps_per_epoch(static_cast<int>(data->categories.size()), options.batch)
            << " steps per epoch, lr " << options.lr << ", " << fast::detail::pool_threads() << " threads";
  if (options.scale_max > 1) std::cerr << ", scale-aug 1 to " << options.scale_max;
  if (options.chroma_weight > 0) std::cerr << ", chroma-weight " << options.chroma_weight;
  if (!validation.empty()) {
    std::cerr << ", " << validation.front().categories.size() << " validation images at";
    for (int size : options.val_sizes) std::cerr << " " << size;
    if (options.patience > 0) std::cerr << ", patience " << options.patience;
  }
  std::cerr << "\n";
  if (train::training_done(state, options, !validation.empty()))
    std::cerr << "convlab train: nothing left to do (epoch " << state.epoch << " of " << options.epochs
              << (state.best_epoch > 0 ? ", best epoch " + std::to_string(state.best_epoch) : std::string())
              << ")\n";
  Status run = train::run_training(
      model, adam, state, *data, options,
      [&](const train::StepReport& report) {
        losses.push_back(report.loss);
        log << report.epoch << "," << report.steps << "," << report.seconds << "," << report.loss << "\n";
        show_progress(report, options.epochs, options.batch, seconds_at_start, steps_at_start, terminal);
        return !g_interrupted.load();
      },
      [&](const train::TrainingState& at, const train::EpochReport& report) -> Status {
        epoch_ends.push_back(static_cast<int64_t>(losses.size()));
        log.flush();
        if (report.improved) has_best = true;
        char cell[64];
        std::snprintf(cell, sizeof cell, "%d,%lld,%.1f,%.4f,", at.epoch, static_cast<long long>(at.steps),
                      at.seconds, report.train_loss);
        std::string row = cell;
        std::string validated;
        if (!report.validation.empty()) {
          std::snprintf(cell, sizeof cell, "%.4f", report.score);
          row += cell;
          validated = ", validation MSE " + std::string(cell) + " (";
          for (size_t i = 0; i < report.validation.size(); ++i) {
            std::snprintf(cell, sizeof cell, ",%.4f,%.4f", report.validation[i].mse_ab,
                          report.validation[i].chroma_ratio);
            row += cell;
            std::snprintf(cell, sizeof cell, "%s%d: %.2f, chroma %.3f", i ? "; " : "", options.val_sizes[i],
                          report.validation[i].mse_ab, report.validation[i].chroma_ratio);
            validated += cell;
          }
          if (report.improved) {
            validated += "), new best";
          } else {
            std::snprintf(cell, sizeof cell, "), best %.2f at epoch %d, %d epoch(s) since", at.best_score,
                          at.best_epoch, at.epochs_since_best);
            validated += cell;
            if (options.patience > 0) validated += " of " + std::to_string(options.patience);
          }
        }
        row += "," + (at.best_epoch > 0 ? std::to_string(at.best_epoch) : std::string());
        epochs_log << row << "\n";
        epochs_log.flush();
        epoch_validation.push_back(report.validation.empty() ? std::numeric_limits<double>::quiet_NaN()
                                                             : report.score);
        if (terminal) std::fprintf(stderr, "\n");
        std::fprintf(stderr, "convlab train: epoch %d done, mean loss %.3f%s, %s of training\n", at.epoch,
                     report.train_loss, validated.c_str(), duration(at.seconds).c_str());
        if (report.stopping)
          std::fprintf(stderr,
                       "convlab train: no better validation for %d epochs: stopping; the best, epoch %d "
                       "(MSE %.3f), is in %s\n",
                       at.epochs_since_best, at.best_epoch, at.best_score, args.output.c_str());
        return save_all(at);
      },
      validation, &best);
  log.flush();
  if (!run) return runtime_error(kName, run.message());
  if (g_interrupted) {
    if (terminal) std::fprintf(stderr, "\n");
    if (Status saved = save_all(state); !saved) return runtime_error(kName, saved.message());
    std::cerr << "convlab train: interrupted; saved " << checkpoint_path << " (epoch " << state.epoch + 1
              << ", step " << state.step_in_epoch << "); continue with --resume " << checkpoint_path << "\n";
    return kExitInterrupted;
  }
  if (Status saved = save_all(state); !saved) return runtime_error(kName, saved.message());
  std::cout << "wrote " << args.output << " (" << state.steps << " steps, " << duration(state.seconds)
            << " of training";
  if (has_best) std::printf("; best validation epoch %d, MSE %.3f", state.best_epoch, state.best_score);
  std::cout << "), " << log_path << ", " << epochs_path << ", " << plot_path << ", " << checkpoint_path
            << "\n";
  return kExitOk;
}

}  // namespace

Command add_train_command(CLI::App& root) {
  auto a = std::make_shared<TrainArgs>();
  CLI::App* app = root.add_subcommand("train", "Train the ECNN colorizer on a folder of photos");
  app->add_option("--data", a->data, "Folder of training images")->required();
  app->add_option("--categories", a->categories, "categories.csv (default: next to the data folder)");
  app->add_option("--arch", a->arch,
                  "advanced or basic (the colorizer, default advanced), or tinyvgg (the classifier)");
  CLI::Option* size = app->add_option("--size", a->size, "Training size, square (default 128; tinyvgg 64)");
  app->add_option("--batch", a->batch, "Images per step (default 32)");
  CLI::Option* epochs = app->add_option("--epochs", a->epochs,
                                        "Epochs in total, counting resumed ones (default 10; tinyvgg 15)");
  app->add_option("--lr", a->lr, "Adam learning rate (default 1e-3)");
  app->add_option("--seed", a->seed, "Seed of the initial weights, the order and the flips (default 1)");
  CLI::Option* resume = app->add_option("--resume", a->resume, "Continue from OUT.ckpt.safetensors");
  app->add_option("--init", a->init, "Start from these weights (.safetensors) instead of random ones")
      ->excludes(resume);
  app->add_option("-o,--output", a->output, "Model file to write (.safetensors)")->required();
  app->add_flag("--f16", a->f16, "Write the model's weights as float16 (half the size)");
  app->add_flag("--no-flip", a->no_flip, "No random left-right flips");
  app->add_option("--threads", a->threads, "Threads (default: all cores)");
  app->add_option(
      "--val-fraction", a->val_fraction,
      "Hold out this fraction of each category for validation after every epoch (default 0: none)");
  app->add_option("--val-sizes", a->val_sizes, "Validation sizes, e.g. 128,256 (default: --size)")
      ->delimiter(',');
  CLI::Option* patience = app->add_option(
      "--patience", a->patience, "Stop after N epochs without a better validation score (default 0: never)");
  app->add_option("--scale-aug", a->scale_aug,
                  "Enlarge each photo by a random factor from 1 to M, then crop (default 1: off)");
  app->add_option("--chroma-weight", a->chroma_weight,
                  "Weight each pixel's loss by 1 + K * (true chroma |ab|) / 100, so saturated colors "
                  "do not fade (default 0: plain MSE; kept on --resume)");
  app->add_option("--test-data", a->test_data,
                  "tinyvgg: score on this folder of photos after every epoch (its categories.csv beside it)");
  app->add_option("--card", a->card, "tinyvgg: write the model card (Markdown) here");
  app->add_option("--channels", a->channels, "tinyvgg: filters of the first block (default 16)");
  app->add_option(
      "--final-lr", a->final_lr,
      "tinyvgg: the learning rate falls linearly from --lr to this by the last epoch (default 1e-4)");
  app->footer(kTrainFooter);
  return {app, [a, patience, size, epochs] {
            a->patience_given = patience->count() > 0;
            a->size_given = size->count() > 0;
            a->epochs_given = epochs->count() > 0;
            return run_train(*a);
          }};
}

}  // namespace convlab::cli
