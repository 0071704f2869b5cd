#include "cli/train_classifier.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli_common.h"
#include "core/fast/parallel.h"
#include "core/model/classifier.h"
#include "core/model/colorize.h"
#include "core/model/dataset.h"
#include "core/onnx/onnx_write.h"
#include "core/train/classifier_run.h"

namespace convlab::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "train";
constexpr int kFirstCategory = 1;  // colorize128: 1 food .. 7 outdoor (0, uncategorized, is not a class)
constexpr int kClasses = 7;

std::string join_floats(const std::array<float, 3>& values) {
  std::string out;
  for (float v : values) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", static_cast<double>(v));
    out += (out.empty() ? "" : ",") + std::string(text);
  }
  return out;
}

std::string labels_text(const char* (*name)(int)) {
  std::string out;
  for (int c = 0; c < kClasses; ++c) out += (c ? "\n" : "") + std::string(name(kFirstCategory + c));
  return out;
}

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * share);
  return text;
}

std::string confusion_table(const train::ClassifierScores& scores) {
  std::ostringstream out;
  out << "| true \\ predicted |";
  for (int c = 0; c < kClasses; ++c) out << " " << category_name_en(kFirstCategory + c) << " |";
  out << " recall |\n|---|";
  for (int c = 0; c <= kClasses; ++c) out << "---:|";
  out << "\n";
  for (int t = 0; t < kClasses; ++t) {
    const auto& row = scores.confusion[static_cast<size_t>(t)];
    int total = 0;
    for (int v : row) total += v;
    out << "| " << category_name_en(kFirstCategory + t) << " |";
    for (int v : row) out << " " << v << " |";
    out << " " << (total ? percent(static_cast<double>(row[static_cast<size_t>(t)]) / total) : "-") << " |\n";
  }
  return out.str();
}

Status write_card(const ClassifierTrainArgs& args, const Model& model, const train::Normalization& norm,
                  int train_images, const std::string& epochs_table,
                  const std::optional<train::ClassifierScores>& test, double seconds) {
  std::ostringstream card;
  card << "# TinyVGG: a classifier to teach with\n\n"
       << "A small VGG-style CNN (two blocks of conv 3x3 - ReLU - conv 3x3 - ReLU - max pool 2x2, then "
          "flatten and one linear layer) that tells colorize128's seven categories apart from "
       << args.size << "x" << args.size << " color photos. Written by `convlab train --arch tinyvgg`; "
       << "every number below comes from that run.\n\n"
       << "- File: `" << fs::path(args.output).filename().string() << "` (ONNX, opset 17), "
       << model.graph.parameter_count() << " parameters\n"
       << "- Input: RGB " << args.size << "x" << args.size
       << ", pixels in [0, 1], then (x - mean) / std with "
       << "mean " << join_floats(norm.mean) << " and std " << join_floats(norm.std)
       << " (the training photos' own; in the metadata as `convlab.mean`, `convlab.std`)\n"
       << "- Output: 7 logits, in the order of `convlab.labels`: ";
  for (int c = 0; c < kClasses; ++c) card << (c ? ", " : "") << category_name_en(kFirstCategory + c);
  card << "\n- Training data: " << train_images << " photos of `" << fs::path(args.data).filename().string()
       << "` (colorize128's train split; sources and licences in its README)\n"
       << "- Trained with: `" << args.command_line << "`\n"
       << "- Training time: " << static_cast<int>(seconds) << " s on " << fast::detail::pool_threads()
       << " thread(s) of this machine's CPU\n\n"
       << "## Epochs\n\n"
       << epochs_table << "\n";
  if (test) {
    card << "## Test split\n\n"
         << "Accuracy on `" << fs::path(args.test_data).filename().string() << "` (" <<
        [&] {
          int total = 0;
          for (const auto& row : test->confusion)
            for (int v : row) total += v;
          return total;
        }()
         << " photos, never trained on): **" << percent(test->accuracy) << "** (the largest class alone "
         << "would give 25.7%). Mean cross-entropy " << test->loss << ".\n\n"
         << "Confusion matrix (rows: the true category; columns: what the model said):\n\n"
         << confusion_table(*test) << "\n";
  }
  card << "The weights are the last epoch's: the test column is for information and chose nothing. "
          "Retraining with the same command gives the same weights on the same thread count (the order, "
          "the flips and the crops are seeded); other thread counts sum in another order and land within "
          "a point or two.\n";
  std::ofstream out(args.card, std::ios::trunc);
  if (!out) return make_error("cannot write the model card ", args.card);
  out << card.str();
  if (!out) return make_error("cannot write the model card ", args.card, " (disk full?)");
  return {};
}

}  // namespace

int run_train_classifier(const ClassifierTrainArgs& args) {
  if (args.output.empty()) return usage_error(kName, "say where to write the model: -o OUT.onnx");
  if (fs::path(args.output).extension() != ".onnx")
    return usage_error(kName, "-o " + args.output + ": the classifier is written as ONNX; name it OUT.onnx");
  if (args.size < 8 || args.size > 256 || args.size % 4 != 0)
    return usage_error(
        kName, "--size " + std::to_string(args.size) + " is not valid; valid: 8 to 256, a multiple of 4");
  if (args.channels < 1 || args.channels > 256)
    return usage_error(kName,
                       "--channels " + std::to_string(args.channels) + " is out of range; valid: 1 to 256");
  if (args.batch < 1 || args.batch > 1024)
    return usage_error(kName, "--batch " + std::to_string(args.batch) + " is out of range; valid: 1 to 1024");
  if (args.epochs < 1 || args.epochs > 10000)
    return usage_error(kName,
                       "--epochs " + std::to_string(args.epochs) + " is out of range; valid: 1 to 10000");
  if (!(args.lr > 0 && args.lr < 1) || !(args.final_lr > 0 && args.final_lr < 1))
    return usage_error(kName, "--lr and --final-lr must be above 0 and below 1");
  if (!(args.scale_aug >= 1 && args.scale_aug <= 4))
    return usage_error(kName, "--scale-aug must be from 1 (off) to 4");
  if (args.threads > 0) fast::detail::set_pool_threads(args.threads);

  const auto categories_of = [](const std::string& folder, const std::string& given) {
    return given.empty() ? (fs::path(folder).lexically_normal().parent_path() / "categories.csv").string()
                         : given;
  };
  auto listing = list_dataset(args.data, categories_of(args.data, args.categories));
  if (!listing) return runtime_error(kName, listing.message());
  std::cerr << "convlab train: reading " << listing->images.size() << " photos at " << args.size << "x"
            << args.size << "...\n";
  auto data = train::load_classifier_data(*listing, args.size, kFirstCategory, kClasses);
  if (!data) return runtime_error(kName, args.data + ": " + data.message());
  for (const std::string& line : data->skipped) std::cerr << "convlab train: skipped: " << line << "\n";
  std::optional<train::ClassifierData> test;
  if (!args.test_data.empty()) {
    auto test_listing = list_dataset(args.test_data, categories_of(args.test_data, args.categories));
    if (!test_listing) return runtime_error(kName, "--test-data: " + test_listing.message());
    auto loaded = train::load_classifier_data(*test_listing, args.size, kFirstCategory, kClasses);
    if (!loaded) return runtime_error(kName, args.test_data + ": " + loaded.message());
    test = std::move(loaded).value();
  }

  auto graph = tiny_vgg_graph({3, args.channels, kClasses, args.size});
  if (!graph) return usage_error(kName, graph.message());
  Model model = tiny_vgg_initial_model(*graph, args.seed);
  const train::Normalization norm = train::channel_statistics(data->images);
  train::ClassifierOptions options;
  options.batch = args.batch;
  options.epochs = args.epochs;
  options.lr = args.lr;
  options.final_lr = args.final_lr;
  options.seed = args.seed;
  options.flip = !args.no_flip;
  options.scale_max = args.scale_aug;
  train::Adam adam;
  std::ostringstream table;
  table << "| epoch | learning rate | train loss | train accuracy |" << (test ? " test accuracy |" : "")
        << " seconds |\n|---:|---:|---:|---:|" << (test ? "---:|" : "") << "---:|\n";
  double seconds = 0;
  std::optional<train::ClassifierScores> last_test;
  const bool terminal = isatty(fileno(stderr)) != 0;
  Status trained = train::train_classifier(
      model, adam, *data, norm, options,
      [&](int epoch, int step, int steps, float loss) {
        if (terminal || step == steps)
          std::fprintf(stderr, "%sepoch %d/%d  step %d/%d  loss %.3f%s", terminal ? "\r" : "", epoch,
                       args.epochs, step, steps, static_cast<double>(loss), terminal ? "   " : "\n");
        return true;
      },
      [&](const train::ClassifierEpochReport& r) -> Status {
        seconds += r.seconds;
        std::string line = "epoch " + std::to_string(r.epoch) + ": train loss " +
                           std::to_string(r.train_loss) + ", accuracy " + percent(r.train_accuracy);
        char row[200];
        std::snprintf(row, sizeof row, "| %d | %.2g | %.3f | %s |", r.epoch, r.lr, r.train_loss,
                      percent(r.train_accuracy).c_str());
        table << row;
        if (test) {
          auto scores = train::score_classifier(model, *test, norm);
          if (!scores) return scores.error();
          line += ", test accuracy " + percent(scores->accuracy);
          table << " " << percent(scores->accuracy) << " |";
          last_test = std::move(scores).value();
        }
        table << " " << static_cast<int>(r.seconds) << " |\n";
        std::cerr << (terminal ? "\r" : "") << "convlab train: " << line << " ("
                  << static_cast<int>(r.seconds) << " s)\n";
        return {};
      });
  if (!trained) return runtime_error(kName, trained.message());

  const std::map<std::string, std::string> metadata = {
      {"convlab.image_size", std::to_string(args.size)},
      {"convlab.color", "rgb"},
      {"convlab.pixel_range", "0-1"},
      {"convlab.resize", "center_crop"},
      {"convlab.mean", join_floats(norm.mean)},
      {"convlab.std", join_floats(norm.std)},
      {"convlab.labels", labels_text(category_name_en)},
      {"convlab.labels.pt_BR", labels_text(category_name_pt)},
      {"convlab.trained_with", args.command_line}};
  Status written = onnx_model::write_onnx_file(args.output, model, metadata, graph->description());
  if (!written) return runtime_error(kName, written.message());
  // The same weights for builds without an ONNX reader (the browser).
  const std::string twin = fs::path(args.output).replace_extension(".safetensors").string();
  Status twin_written =
      write_safetensors(twin, tiny_vgg_safetensors(model, {3, args.channels, kClasses, args.size}, metadata));
  if (!twin_written) return runtime_error(kName, twin_written.message());
  std::cout << "wrote " << twin << "\n";
  std::cout << "wrote " << args.output;
  if (last_test) std::cout << "; test accuracy " << percent(last_test->accuracy);
  std::cout << "\n";
  if (!args.card.empty()) {
    Status card =
        write_card(args, model, norm, static_cast<int>(data->images.n()), table.str(), last_test, seconds);
    if (!card) return runtime_error(kName, card.message());
    std::cout << "wrote " << args.card << "\n";
  }
  if (last_test) std::cout << confusion_table(*last_test);
  return kExitOk;
}

}  // namespace convlab::cli
