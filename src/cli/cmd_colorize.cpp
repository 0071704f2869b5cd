// `convlab colorize`: runs the ECNN colorizer on image files. The pipeline
// (Lab, working size, upsampling) is core/model/colorize.h; this file picks
// the weights, the output names, and reports what happened.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/backend_choice.h"
#include "cli/commands.h"
#include "cli/model_args.h"
#include "core/model/colorize.h"
#include "gpu/gpu_colorize.h"

namespace convlab::cli {

namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "colorize";

struct ColorizeArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::string outdir;
  std::string category;
  std::string weights;
  std::string backend = "cpu";
  std::string shader_dir;
  int size = 256;
  std::string arch = "advanced";
  std::string path = "fast";
  int64_t random_seed = 0;
  CLI::Option* random_option = nullptr;
};

const char* kColorizeFooter =
    R"(Categories: 0 none (nenhuma), 1 food (alimentos), 2 animals (animais), 3 people (pessoas),
4 objects (objetos), 5 vehicles (veiculos), 6 indoor (ambientes internos), 7 outdoor (ambientes externos).
The model runs with the long side at --size (rounded to a multiple of 16); the colors are
upsampled to the full image and joined with its original lightness, so the output has the input's size.
Default weights: assets/models/ecnn_<arch>.safetensors, from $CONVLAB_ASSETS if set, else next to the
program, else the source tree (assets/models/MODEL_CARD.md says how the shipped ones were trained).
Examples:
  convlab colorize photo.jpg -o photo_color.png -c animals --weights my_ecnn.safetensors
  convlab colorize a.png b.jpg --outdir colored -c 7 --weights my_ecnn.safetensors --size 384
  convlab colorize photo.png -o out.png -c pessoas --random-weights 1   # pipeline check, meaningless colors)";

const char* kWritableExtensions[] = {".png", ".jpg", ".jpeg", ".bmp", ".tga"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool writable_extension(const fs::path& path) {
  const std::string ext = lower(path.extension().string());
  return std::find(std::begin(kWritableExtensions), std::end(kWritableExtensions), ext) !=
         std::end(kWritableExtensions);
}

// --outdir: <stem>_color with the input's extension when it can be written, else .png.
fs::path output_in_dir(const fs::path& dir, const fs::path& input) {
  const std::string ext = writable_extension(input) ? input.extension().string() : ".png";
  return dir / (input.stem().string() + "_color" + ext);
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec1, ec2;
  return fs::weakly_canonical(a, ec1) == fs::weakly_canonical(b, ec2) && !ec1 && !ec2;
}

// Colorizes on the GPU when one was opened (falling back to the CPU if the GPU
// fails for a GPU reason), else on the CPU.
struct Colorizer {
  const Model& model;
  OpenedBackend& backend;
  std::unique_ptr<gpu::GpuModel> gpu_model;

  Result<RgbImage> operator()(const RgbImage& image, const ColorizeOptions& options) {
    if (gpu_model) {
      auto colored = gpu::colorize_gpu(*gpu_model, backend.gpu->ops(), image, options);
      if (colored || !is_gpu_failure(colored.error())) return colored;
      warn_gpu_fallback(kName, colored.message());
    }
    return colorize_cpu(model, image, options);
  }
};

// Loads, colorizes and saves one image; prints where it went and how long it took.
bool colorize_one(Colorizer& colorize, const ColorizeOptions& options, const fs::path& input,
                  const fs::path& output) {
  const auto start = std::chrono::steady_clock::now();
  auto image = load_image(input.string());
  if (!image) {
    runtime_error(kName, image.message());
    return false;
  }
  auto colored = colorize(*image, options);
  if (!colored) {
    runtime_error(kName, input.string() + ": " + colored.message());
    return false;
  }
  if (auto saved = save_image(output.string(), *colored); !saved) {
    runtime_error(kName, saved.message());
    return false;
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char timing[32];
  std::snprintf(timing, sizeof timing, "%.1f ms", ms);
  std::cout << input.string() << " -> " << output.string() << " (" << colored->width << "x" << colored->height
            << ", category " << options.category << " " << category_name_en(options.category) << ", "
            << timing << ")\n";
  return true;
}

int run_colorize(const ColorizeArgs& args) {
  auto category = parse_category(args.category);
  if (!category) return usage_error(kName, "-c/--category: " + category.message());
  if (args.output.empty() && args.outdir.empty())
    return usage_error(kName, "say where to write: -o OUT.png (one input) or --outdir DIR (any number)");
  if (!args.output.empty()) {
    if (args.inputs.size() != 1)
      return usage_error(kName, "-o takes one input but " + std::to_string(args.inputs.size()) +
                                    " were given; use --outdir DIR for several");
    if (!writable_extension(args.output))
      return usage_error(kName, "-o " + args.output +
                                    ": unknown image type; valid extensions: .png, .jpg, .jpeg, "
                                    ".bmp, .tga");
    if (same_file(args.inputs[0], args.output))
      return usage_error(
          kName, "-o " + args.output + " is the input file; choose another name to keep the original");
  }
  if (args.size < 16 || args.size > 4096)
    return usage_error(kName, "--size " + std::to_string(args.size) +
                                  " is out of range; valid: 16 to 4096 (the long side the model works at)");
  if (args.path != "fast" && args.path != "reference")
    return usage_error(kName, "--path '" + args.path + "' is not a CPU path; valid: fast, reference");
  auto graph = builtin_graph(args.arch);
  if (!graph) return usage_error(kName, graph.message());

  std::optional<int64_t> seed;
  if (args.random_option->count()) seed = args.random_seed;
  std::string weights = args.weights;
  if (seed) {
    warn(kName,
         "--random-weights: the model has random weights, so the colors are meaningless; this only shows "
         "the pipeline running");
  } else if (weights.empty()) {
    std::string searched;
    auto found = find_default_weights(args.arch, &searched);
    if (!found)
      return runtime_error(
          kName,
          "no weights for the " + args.arch + " model found (looked for " + searched +
              "; ConvLab ships assets/models/ecnn_advanced.safetensors). Pass --weights FILE.safetensors, "
              "train your own with `convlab train`, or use --random-weights SEED to see the pipeline run "
              "with "
              "random weights (their colors are meaningless).");
    weights = *found;
  }
  auto model = load_or_random(*graph, weights, seed);
  if (!model) return runtime_error(kName, model.message());
  auto opened = open_backend(kName, args.backend,
                             args.path == "fast" ? CpuOpsPath::Fast : CpuOpsPath::Reference, args.shader_dir);
  if (!opened) return usage_error(kName, opened.message());
  Colorizer colorizer{*model, *opened, nullptr};
  if (opened->gpu) {
    auto uploaded = gpu::GpuModel::upload(*model, opened->gpu->ops());
    if (uploaded)
      colorizer.gpu_model = std::move(uploaded).value();
    else
      warn_gpu_fallback(kName, uploaded.message());
  }
  if (!seed) std::cout << "weights: " << weights << "\n";

  if (!args.outdir.empty()) {
    std::error_code ec;
    fs::create_directories(args.outdir, ec);
    if (ec || !fs::is_directory(args.outdir, ec))
      return runtime_error(
          kName, "--outdir " + args.outdir + ": cannot create the directory (" + ec.message() + ")");
  }

  ColorizeOptions options;
  options.category = *category;
  options.working_size = args.size;
  options.path = args.path == "fast" ? CpuPath::Fast : CpuPath::Reference;
  int failures = 0;
  for (const std::string& input : args.inputs) {
    const fs::path output = args.output.empty() ? output_in_dir(args.outdir, input) : fs::path(args.output);
    if (!colorize_one(colorizer, options, input, output)) ++failures;
  }
  if (failures > 0 && args.inputs.size() > 1)
    std::cerr << "convlab colorize: " << failures << " of " << args.inputs.size() << " images failed\n";
  return failures ? kExitRuntime : kExitOk;
}

}  // namespace

Command add_colorize_command(CLI::App& root) {
  auto a = std::make_shared<ColorizeArgs>();
  CLI::App* app = root.add_subcommand("colorize", "Colorize grayscale photos with the ECNN model");
  app->add_option("inputs", a->inputs, "Image files (PNG, JPEG, BMP, TGA, ...)")->required();
  CLI::Option* out = app->add_option("-o,--output", a->output, "Output image (one input only)");
  app->add_option("--outdir", a->outdir, "Directory for <stem>_color.<ext> of each input")->excludes(out);
  app->add_option("-c,--category", a->category, "Category: 0-7 or a name in English or Portuguese")
      ->required();
  CLI::Option* weights = app->add_option("--weights", a->weights, "Trained weights (.safetensors)");
  app->add_option("--backend", a->backend, "cpu or gpu (OpenGL compute shaders) (default cpu)");
  app->add_option("--shader-dir", a->shader_dir, "gpu: load the .comp shaders from this folder");
  app->add_option("--size", a->size, "Working size: the long side the model sees (default 256)");
  app->add_option("--arch", a->arch, "advanced or basic (default advanced)");
  app->add_option("--path", a->path, "CPU implementation: fast or reference (default fast)");
  a->random_option =
      app->add_option("--random-weights", a->random_seed,
                      "Random weights from this seed (meaningless colors; checks the pipeline)");
  a->random_option->excludes(weights);
  app->footer(kColorizeFooter);
  return {app, [a] { return run_colorize(*a); }};
}

}  // namespace convlab::cli
