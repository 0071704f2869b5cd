// `convlab shape conv|tconv`: the output size of one convolution and the
// formula that gives it, with the numbers put in. All arithmetic and
// validation comes from core/base/conv_arithmetic.h.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/conv_flags.h"

namespace convlab::cli {

namespace {

struct ShapeArgs {
  std::string op;
  std::string input;
  std::string kernel;
  ConvFlags conv;
  bool ceil_mode = false;
  CLI::Option* stride = nullptr;  // given or not: a pool's stride defaults to its window
};

const char* kShapeFooter =
    R"(Prints the output size HxW on the first line, then the formula with the numbers put in.
Examples:
  convlab shape conv --input 5x5 --kernel 3 --stride 2 --padding 1        # 3x3
  convlab shape conv --input 7x7 --kernel 3 --padding same --dilation 2   # 7x7
  convlab shape conv --input 6x6 --kernel 4 --padding 1,0 --stride 2,1
  convlab shape conv --input 5x5 --kernel 3 --padding 0,1,2,1             # top,bottom,left,right
  convlab shape tconv --input 2x2 --kernel 2                              # 3x3
  convlab shape tconv --input 8x8 --kernel 4 --stride 2 --padding 1 --output-padding 1
  convlab shape pool --input 7x7 --kernel 2                               # 3x3 (stride = window)
  convlab shape pool --input 7x7 --kernel 2 --ceil-mode                   # 4x4)";

int run_shape(const ShapeArgs& args) {
  const char* name = "shape";
  if (args.op != "conv" && args.op != "tconv" && args.op != "pool")
    return usage_error(name, "'" + args.op + "' is not an op; valid: conv, tconv, pool");
  if (args.ceil_mode && args.op != "pool")
    return usage_error(name, "--ceil-mode applies to pooling only (shape pool)");
  auto input = parse_size(args.input, "--input");
  if (!input) return usage_error(name, input.message());
  auto kernel = parse_size(args.kernel, "--kernel");
  if (!kernel) return usage_error(name, kernel.message());

  if (args.op == "pool") {
    auto params = pool2d_params(args.conv, args.stride->count() > 0, args.ceil_mode, *input, *kernel);
    if (!params) return usage_error(name, params.message());
    auto out = pool2d_output_size(*input, *kernel, *params);
    if (!out) return usage_error(name, out.message());
    std::cout << out->h << "x" << out->w << "\n" << pool2d_formula(*input, *kernel, *params) << "\n";
    return kExitOk;
  }
  if (args.op == "conv") {
    auto params = conv2d_params(args.conv, *input, *kernel);
    if (!params) return usage_error(name, params.message());
    auto out = conv2d_output_size(*input, *kernel, *params);
    if (!out) return usage_error(name, out.message());
    std::cout << out->h << "x" << out->w << "\n" << conv2d_formula(*input, *kernel, *params) << "\n";
    auto choice = parse_padding(args.conv.padding);
    if (choice && choice->preset != PaddingPreset::Custom) {
      const Padding2d& p = params->padding;
      std::cout << "padding " << padding_preset_name(choice->preset) << ": top " << p.top << ", bottom "
                << p.bottom << ", left " << p.left << ", right " << p.right << "\n";
    }
    return kExitOk;
  }
  auto params = conv_transpose2d_params(args.conv);
  if (!params) return usage_error(name, params.message());
  auto out = conv_transpose2d_output_size(*input, *kernel, *params);
  if (!out) return usage_error(name, out.message());
  std::cout << out->h << "x" << out->w << "\n" << conv_transpose2d_formula(*input, *kernel, *params) << "\n";
  return kExitOk;
}

}  // namespace

Command add_shape_command(CLI::App& root) {
  auto args = std::make_shared<ShapeArgs>();
  CLI::App* app =
      root.add_subcommand("shape", "Output size of a conv, transposed conv or pool, with the formula");
  app->add_option("op", args->op, "conv, tconv (transposed convolution) or pool (max or average)")
      ->required();
  app->add_option("--input", args->input, "Input size HxW (or N for NxN)")->required();
  app->add_option("--kernel", args->kernel, "Kernel size K or KHxKW")->required();
  add_conv_flags(app, args->conv, true);
  args->stride = app->get_option("--stride");
  app->add_flag("--ceil-mode", args->ceil_mode, "pool: round the output size up (PyTorch's ceil_mode)");
  app->footer(kShapeFooter);
  return {app, [args] { return run_shape(*args); }};
}

}  // namespace convlab::cli
