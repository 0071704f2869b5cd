// convlab: the command-line entry point. With a subcommand it runs that
// command; with none it opens the GUI (src/app), whose flags live here too.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>
#include <vector>

#include "cli/commands.h"
#include "core/base/allocator.h"
#if CONVLAB_HEADLESS
#include <iostream>
#include <string>
#else
#include "app/app.h"
#include "cli/app_model_opener.h"
#endif

#ifndef CONVLAB_VERSION
#define CONVLAB_VERSION "unknown"
#endif

namespace {

const char* kFooter = R"(Examples:
  convlab                                   (opens the app)
  convlab --panel about --theme light --scale 1.5
  convlab --screenshot about.png --panel about --window 1280x720
  convlab shape conv --input 5x5 --kernel 3 --stride 2 --padding 1
  convlab trace conv --input 4x4 --kernel 3 --kernel-values box --padding same
  convlab op conv2d --in tensors.safetensors -o out.safetensors --stride 2 --padding 1
  convlab colorize photo.jpg -o photo_color.png -c animals --weights ecnn_advanced.safetensors
  convlab bench --size 128,256 --runs 5
  convlab lesson check lessons/en/*.md
  convlab --lesson lessons/en/02-padding.md --presenter
Run 'convlab SUBCOMMAND --help' for each command's options and examples.)";

#if CONVLAB_HEADLESS
// The headless build (CMake option CONVLAB_HEADLESS, scripts/bench-gpu) has
// no window, Dear ImGui or lessons. Its absent parts answer with why, rather
// than with CLI11's bare "unknown subcommand".
constexpr const char* kHeadless =
    "this convlab is the headless build (CONVLAB_HEADLESS, made by scripts/bench-gpu) and has no ";
constexpr const char* kFullBuild = "; build ConvLab without CONVLAB_HEADLESS (scripts/run) for it";

convlab::cli::Command add_absent_command(CLI::App& root, const std::string& name, const std::string& what) {
  CLI::App* app = root.add_subcommand(name, "(not in the headless build)");
  app->prefix_command();  // any arguments: the answer is the same
  return {app, [name, what] { return convlab::cli::usage_error(name, kHeadless + what + kFullBuild); }};
}
#endif

}  // namespace

int main(int argc, char** argv) {
  using namespace convlab::cli;
  convlab::keep_freed_memory_for_reuse();  // repeated forward passes reuse their memory
  CLI::App app{"ConvLab: learn how convolutional networks work, and run the ECNN image colorizer.",
               "convlab"};
  app.set_version_flag("--version", std::string("convlab ") + CONVLAB_VERSION);
  app.footer(kFooter);
  app.require_subcommand(0, 1);
#if !CONVLAB_HEADLESS
  convlab::app::AppOptions app_options;
  convlab::app::add_app_options(app, app_options);
#endif

  std::vector<Command> commands = {add_colorize_command(app), add_shape_command(app), add_op_command(app),
                                   add_bench_command(app),    add_train_command(app), add_eval_command(app)};
#if CONVLAB_HEADLESS
  commands.push_back(add_absent_command(app, "lesson", "lessons (md4c)"));
  commands.push_back(add_absent_command(app, "trace", "traces (their JSON is the explorers', core/explore)"));
  commands.push_back(add_absent_command(app, "model", "ONNX models (libonnx)"));
#else
  commands.push_back(add_trace_command(app));
  commands.push_back(add_lesson_command(app));
  commands.push_back(add_model_command(app));
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints its own message (and --help / --version); every parse
    // failure is a usage error.
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  for (const Command& command : commands) {
    if (!command.app->parsed()) continue;
    // Last line of defence: core reports errors as values, but a failed
    // allocation or a bug must still end with a message, not a crash.
    try {
      return command.run();
    } catch (const std::bad_alloc&) {
      return runtime_error(command.app->get_name(), "out of memory; try a smaller input or size");
    } catch (const std::exception& e) {
      return runtime_error(command.app->get_name(), std::string("internal error: ") + e.what());
    }
  }

#if CONVLAB_HEADLESS
  std::cerr << "convlab: error: " << kHeadless
            << "app (Dear ImGui, GLFW); run a subcommand, e.g. convlab bench "
            << "--backend gpu --layers" << kFullBuild << "\nRun 'convlab --help' for the subcommands.\n";
  return kExitUsage;
#else
  try {
    convlab::cli::install_app_model_opener();  // the network panel opens ONNX files
    return convlab::app::run_app(app_options);
  } catch (const std::exception& e) {
    return runtime_error("app", std::string("internal error: ") + e.what());
  }
#endif
}
