// `convlab model info MODEL.onnx`: a CNN someone trained (exported to ONNX
// from PyTorch or Keras) as a layer table, as torchinfo prints one. The
// numbers come from core/onnx (ONNX's own checker and shape inference).
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/model_run.h"
#include "core/onnx/onnx_summary.h"

namespace convlab::cli {

namespace {

struct ModelArgs {
  std::string file;
};

// 1234567 -> "1,234,567": parameter and multiply-add counts read at a glance.
std::string grouped(int64_t value) {
  const std::string digits = std::to_string(value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') text += ',';
    text += digits[i];
  }
  return text;
}

std::string cell(const std::string& text, size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

int run_info(const ModelArgs& args) {
  auto summary = onnx_model::summarize_file(args.file);
  if (!summary) return runtime_error("model info", summary.message());
  std::cout << args.file << ": ONNX opset " << summary->opset
            << (summary->producer.empty() ? "" : ", made by " + summary->producer) << "\n";
  for (const auto& input : summary->inputs)
    std::cout << "input   " << input.name << "  " << input.shape << "\n";
  // Columns as wide as their longest entry (names from exporters run long).
  size_t name_w = 5, op_w = 2, settings_w = 8, output_w = 6;
  for (const auto& l : summary->layers) {
    name_w = std::max(name_w, l.name.size());
    op_w = std::max(op_w, l.op.size());
    settings_w = std::max(settings_w, l.settings.size());
    output_w = std::max(output_w, l.output.size());
  }
  std::cout << "\n"
            << cell("layer", name_w + 2) << cell("op", op_w + 2) << cell("settings", settings_w + 2)
            << cell("output", output_w + 2) << pad_left("parameters", 12) << pad_left("multiply-adds", 16)
            << "\n";
  for (const auto& l : summary->layers)
    std::cout << cell(l.name, name_w + 2) << cell(l.op, op_w + 2) << cell(l.settings, settings_w + 2)
              << cell(l.output, output_w + 2) << pad_left(l.parameters ? grouped(l.parameters) : "-", 12)
              << pad_left(l.multiply_adds ? grouped(l.multiply_adds) : "-", 16) << "\n";
  std::cout << "\ntotal: " << summary->layers.size() << " layers, " << grouped(summary->parameters)
            << " parameters, " << grouped(summary->multiply_adds) << " multiply-adds per forward pass\n";
  for (const auto& output : summary->outputs)
    std::cout << "output  " << output.name << "  " << output.shape << "\n";
  return kExitOk;
}

}  // namespace

Command add_model_command(CLI::App& root) {
  auto args = std::make_shared<ModelArgs>();
  auto run_args = std::make_shared<ModelRunArgs>();
  auto test_args = std::make_shared<ModelTestArgs>();
  auto chosen = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("model", "Look inside a CNN exported to ONNX (PyTorch, Keras)");
  app->require_subcommand(1, 1);
  CLI::App* info =
      app->add_subcommand("info", "Layer table: op, settings, output shape, parameters, multiply-adds");
  info->add_option("file", args->file, "The model (.onnx)")->required();
  info->callback([chosen] { *chosen = "info"; });
  CLI::App* run =
      app->add_subcommand("run", "Run the model on input files; write each output as DIR/output_K.pb");
  run->add_option("model", run_args->model, "The model (.onnx)")->required();
  run->add_option("inputs", run_args->inputs,
                  "One file per graph input, in the graph's order: .pb (ONNX TensorProto), .npy, or a photo")
      ->required();
  run->add_option("--out", run_args->out, "Folder for output_0.pb, output_1.pb, ...")->required();
  run->add_option("--backend", run_args->backend, "cpu (default) or gpu (compute shaders, node by node)");
  run->callback([chosen] { *chosen = "run"; });
  CLI::App* test = app->add_subcommand(
      "test", "Run ONNX backend test cases (model.onnx + test_data_set_N/input_K.pb, output_K.pb)");
  test->add_option("cases", test_args->cases, "Case folders")->required();
  test->add_option("--backend", test_args->backend, "cpu (default) or gpu");
  test->add_flag("--verbose", test_args->verbose, "Say why each unsupported case is");
  test->callback([chosen] { *chosen = "test"; });
  app->footer(R"(Examples:
  convlab model info tinyvgg.onnx
  convlab model run tinyvgg.onnx cat.png --out out/
  convlab model test /usr/share/libonnx-testdata/data/node/test_relu
Shapes are ONNX's own (its shape inference); opsets 6 to 17. model test prints one line per
case, pass|fail|unsupported CASE max_abs_err=X, then the counts; it exits 1 when a case fails.)");
  return {app, [args, run_args, test_args, chosen] {
            if (*chosen == "run") return run_model_run(*run_args);
            if (*chosen == "test") return run_model_test(*test_args);
            return run_info(*args);
          }};
}

}  // namespace convlab::cli
