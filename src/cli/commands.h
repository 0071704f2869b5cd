// Each subcommand lives in its own file and registers itself on the root app
// through one of these functions; main() runs whichever was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_common.h"

namespace convlab::cli {

Command add_colorize_command(CLI::App& root);
Command add_shape_command(CLI::App& root);
Command add_trace_command(CLI::App& root);
Command add_op_command(CLI::App& root);
Command add_bench_command(CLI::App& root);
Command add_train_command(CLI::App& root);
Command add_eval_command(CLI::App& root);
Command add_lesson_command(CLI::App& root);
Command add_model_command(CLI::App& root);  // ONNX models (libonnx)

}  // namespace convlab::cli
