// `convlab eval`: scores a colorizer on held-out photos against the gray and
// category-mean baselines (core/model/evaluate.h) and can write a contact
// sheet of the results.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/model_args.h"
#include "core/model/evaluate.h"

namespace convlab::cli {

namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "eval";

struct EvalArgs {
  std::string data;
  std::string categories;
  std::string train;
  std::string weights;
  std::string arch = "advanced";
  std::string sheet;
  int size = 128;
  int sheet_rows = 24;
};

const char* kEvalFooter =
    R"(Scores: MSE of the predicted (a,b) against the photo's own (Lab units squared; lower is better) and the
PSNR of the colorized RGB against the original (dB; higher is better), averaged over the photos;
the chroma ratio: mean |ab| predicted over mean |ab| of the photos (1 = as vivid, 0 = gray).
Then the same per category. --size sets the working size (the app's default is 256).
Baselines: gray (a = b = 0) and the mean (a,b) of the photo's category over the training photos
(--train, default DATA/../train). Data layout as for `convlab train`.
Example:
  convlab eval --data colorize128/test --sheet sheet.png)";

int run_eval(const EvalArgs& args) {
  if (args.size < 16 || args.size > 512)
    return usage_error(kName, "--size " + std::to_string(args.size) + " is out of range; valid: 16 to 512");
  if (args.sheet_rows < 1 || args.sheet_rows > 200)
    return usage_error(
        kName, "--sheet-rows " + std::to_string(args.sheet_rows) + " is out of range; valid: 1 to 200");
  auto graph = builtin_graph(args.arch);
  if (!graph) return usage_error(kName, graph.message());
  if (args.size % graph->size_multiple() != 0)
    return usage_error(kName, "--size " + std::to_string(args.size) + " is not a multiple of " +
                                  std::to_string(graph->size_multiple()));
  const fs::path data_parent = fs::path(args.data).lexically_normal().parent_path();
  const std::string categories =
      args.categories.empty() ? (data_parent / "categories.csv").string() : args.categories;
  const std::string train = args.train.empty() ? (data_parent / "train").string() : args.train;
  std::string weights = args.weights;
  if (weights.empty()) {
    std::string searched;
    auto found = find_default_weights(args.arch, &searched);
    if (!found)
      return runtime_error(kName, "no weights for the " + args.arch + " model (looked for " + searched +
                                      "); pass --weights FILE");
    weights = *found;
  }
  auto model = load_model(*graph, weights);
  if (!model) return runtime_error(kName, model.message());
  auto test = list_dataset(args.data, categories);
  if (!test) return runtime_error(kName, test.message());
  auto train_listing = list_dataset(train, categories);
  if (!train_listing) return runtime_error(kName, "--train: " + train_listing.message());
  std::cerr << "convlab eval: category means from " << train_listing->images.size()
            << " training photos...\n";
  auto means = category_mean_ab(*train_listing, args.size);
  if (!means) return runtime_error(kName, means.message());
  std::cerr << "convlab eval: " << test->images.size() << " test photos at " << args.size << "x" << args.size
            << "...\n";
  auto report =
      evaluate_colorizer(*model, *test, *means, args.size, args.sheet.empty() ? 0 : args.sheet_rows);
  if (!report) return runtime_error(kName, report.message());
  for (const std::string& line : report->skipped) std::cerr << "convlab eval: skipped: " << line << "\n";
  std::printf("%d test photos at %dx%d, weights %s\n", report->images, args.size, args.size, weights.c_str());
  std::printf("%-22s %12s %16s %14s\n", "", "MSE (a,b)", "PSNR RGB (dB)", "chroma ratio");
  const auto row = [](const char* name, const ColorScores& s) {
    std::printf("%-22s %12.2f %16.2f %14.3f\n", name, s.mse_ab, s.psnr, s.chroma_ratio);
  };
  row("gray (a = b = 0)", report->gray);
  row("category mean (a,b)", report->category_mean);
  row("model", report->model);
  std::printf("\nper category (MSE of (a,b); chroma ratio of the model)\n");
  std::printf("%-12s %7s %10s %15s %11s %14s %14s\n", "category", "photos", "MSE gray", "MSE cat. mean",
              "MSE model", "PSNR model", "chroma model");
  for (int c = 0; c < 8; ++c) {
    const CategoryScores& s = report->categories[static_cast<size_t>(c)];
    if (s.images == 0) continue;
    std::printf("%d %-10s %7d %10.2f %15.2f %11.2f %14.2f %14.3f\n", c, category_name(c), s.images,
                s.gray.mse_ab, s.category_mean.mse_ab, s.model.mse_ab, s.model.psnr, s.model.chroma_ratio);
  }
  if (!args.sheet.empty()) {
    if (Status saved = save_image(args.sheet, contact_sheet(report->sheet)); !saved)
      return runtime_error(kName, saved.message());
    std::printf("contact sheet: %s (%zu photos: gray | category mean | model | original)\n",
                args.sheet.c_str(), report->sheet.size());
  }
  return kExitOk;
}

}  // namespace

Command add_eval_command(CLI::App& root) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* app = root.add_subcommand("eval", "Score a colorizer on held-out photos against two baselines");
  app->add_option("--data", a->data, "Folder of test images")->required();
  app->add_option("--categories", a->categories, "categories.csv (default: next to the data folder)");
  app->add_option("--train", a->train,
                  "Training images, for the category-mean baseline (default DATA/../train)");
  app->add_option("--weights", a->weights, "Weights (.safetensors; default: the shipped ones)");
  app->add_option("--arch", a->arch, "advanced or basic (default advanced)");
  app->add_option("--size", a->size, "Evaluation size, square (default 128)");
  app->add_option("--sheet", a->sheet, "Write a contact sheet PNG");
  app->add_option("--sheet-rows", a->sheet_rows, "Photos on the contact sheet (default 24)");
  app->footer(kEvalFooter);
  return {app, [a] { return run_eval(*a); }};
}

}  // namespace convlab::cli
