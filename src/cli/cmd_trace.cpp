// `convlab trace conv|tconv|bn|maxpool|avgpool`: the step-by-step record of one op, from a
// .safetensors file or from small generated tensors, as a table or JSON.
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/conv_flags.h"
#include "cli/tensor_file.h"
#include "cli/trace_inputs.h"
#include "cli/trace_output.h"

namespace convlab::cli {

namespace {

constexpr const char* kName = "trace";
// Beyond this many steps a table is too long to read; ask for --steps.
constexpr int64_t kMaxPrintedSteps = 2000;
// Traces keep every tap / intermediate in memory; refuse what would not fit.
constexpr int64_t kMaxTraceValues = 8'000'000;
constexpr int64_t kMaxGeneratedValues = 4'000'000;

struct TraceArgs {
  std::string op;
  std::string in_file;
  std::string input;
  int channels = 1;
  int batch = 1;
  std::string input_values = "ramp";
  std::string kernel = "3";
  std::string kernel_values = "ones";
  int filters = 1;
  int64_t seed = 0;
  std::string bias;
  ConvFlags conv;
  bool train = false;
  float momentum = 0.1f;
  float eps = 1e-5f;
  std::string gamma = "1", beta = "0", running_mean = "0", running_var = "1";
  bool ceil_mode = false;
  bool exclude_pad = false;
  CLI::Option* stride = nullptr;  // given or not: a pool's stride defaults to its window
  std::string steps;
  bool json = false;
  std::vector<CLI::Option*> generators;  // flags that make tensors instead of reading --in
};

const char* kTraceFooter = R"(Inputs come from --in FILE.safetensors (tensors input, weight, optional bias;
bn: input, weight, bias, running_mean, running_var) or are generated from --input and the value flags.
Value patterns: ramp (0,1,2,... row-major), ones, random (seeded, one decimal in [-1,1]),
a list v1,v2,... ; kernels also identity and box (the mean filter).
Tables longer than 2000 steps need --steps A:B (steps A to B-1) or --json.
Examples:
  convlab trace conv --input 3x3 --kernel 2                     # ramp input, kernel of ones
  convlab trace conv --input 5x5 --kernel 3 --kernel-values box --padding same --steps 0:3
  convlab trace conv --input 4x4 --channels 2 --filters 2 --kernel-values random --seed 7 --bias 0.5
  convlab trace tconv --input 2x2 --input-values 0,1,2,3 --kernel 2 --kernel-values 0,1,2,3
  convlab trace tconv --input 2x2 --kernel 4 --stride 2 --padding 1 --json
  convlab trace bn --input 2x2 --channels 2 --batch 2 --train --gamma 1,2 --beta 0.5
  convlab trace maxpool --input 4x4 --kernel 2                  # stride = the window, as PyTorch
  convlab trace avgpool --input 5x5 --kernel 3 --stride 2 --padding 1 --exclude-pad
  convlab trace conv --in tensors.safetensors --stride 2 --padding 1 --json)";

struct Prepared {
  Tensor input, weight, bias, running_mean, running_var;
  bool has_bias = false;
};

int steps_guard(const TraceArgs& args, StepRange range, int64_t steps, const char* what) {
  if (range.first >= steps)
    return usage_error(kName, "--steps " + args.steps + " starts past the last step; this trace has " +
                                  std::to_string(steps) + " steps (" + what + "), numbered 0 to " +
                                  std::to_string(steps - 1));
  if (args.json || !args.steps.empty() || steps <= kMaxPrintedSteps) return kExitOk;
  return usage_error(kName, "this trace has " + std::to_string(steps) + " steps (" + what +
                                "), too many to print as a table; pass --steps A:B to print steps A to B-1 "
                                "(e.g. --steps 0:20), or --json for all of them");
}

// Generated input (N,C,H,W) from --input and --input-values.
Result<Tensor> generated_input(const TraceArgs& args) {
  if (args.input.empty())
    return make_error("give the input: --input HxW (with --channels, --batch, --input-values) or --in FILE");
  auto size = parse_size(args.input, "--input");
  if (!size) return size.error();
  if (size->h < 1 || size->w < 1) return make_error("--input: ", args.input, " must be at least 1x1");
  if (args.channels < 1 || args.batch < 1) return make_error("--channels and --batch must be >= 1");
  const Shape shape = {args.batch, args.channels, size->h, size->w};
  if (shape_numel(shape) > kMaxGeneratedValues)
    return make_error("--input: ", shape_to_string(shape), " has more than ", kMaxGeneratedValues,
                      " values; trace a smaller input");
  return make_tensor(shape, args.input_values, "--input-values", static_cast<uint64_t>(args.seed), 1);
}

// Generated conv/tconv kernel: (O,C,KH,KW) for conv, (C,O,KH,KW) for tconv.
Result<Tensor> generated_weight(const TraceArgs& args, int64_t in_channels, bool transposed) {
  auto k = parse_size(args.kernel, "--kernel");
  if (!k) return k.error();
  if (k->h < 1 || k->w < 1 || k->h > 64 || k->w > 64)
    return make_error("--kernel: ", args.kernel, " must be between 1x1 and 64x64");
  if (args.filters < 1 || args.filters > 1024) return make_error("--filters: must be between 1 and 1024");
  const Shape shape = transposed ? Shape{in_channels, args.filters, k->h, k->w}
                                 : Shape{args.filters, in_channels, k->h, k->w};
  return make_tensor(shape, args.kernel_values, "--kernel-values", static_cast<uint64_t>(args.seed), 2,
                     transposed ? WeightLayout::InOut : WeightLayout::OutIn);
}

// Loads or generates the tensors of a conv/tconv trace. Returns an exit code on failure.
int prepare_conv(const TraceArgs& args, bool transposed, Prepared& p) {
  if (!args.in_file.empty()) {
    auto file =
        TensorFile::open(args.in_file, transposed ? "input (N,C,H,W), weight (C,O,KH,KW), optional bias (O)"
                                                  : "input (N,C,H,W), weight (O,C,KH,KW), optional bias (O)");
    if (!file) return runtime_error(kName, file.message());
    auto input = file->get("input");
    if (!input) return runtime_error(kName, input.message());
    auto weight = file->get("weight");
    if (!weight) return runtime_error(kName, weight.message());
    auto bias = file->get_optional("bias");
    if (!bias) return runtime_error(kName, bias.message());
    p.input = std::move(input).value();
    p.weight = std::move(weight).value();
    if (bias->has_value()) {
      p.bias = std::move(**bias);
      p.has_bias = true;
    }
    if (auto s = expect_rank(p.input, 4, args.in_file + ": input"); !s)
      return runtime_error(kName, s.message());
    if (auto s = expect_rank(p.weight, 4, args.in_file + ": weight"); !s)
      return runtime_error(kName, s.message());
    return kExitOk;
  }
  auto input = generated_input(args);
  if (!input) return usage_error(kName, input.message());
  p.input = std::move(input).value();
  auto weight = generated_weight(args, p.input.c(), transposed);
  if (!weight) return usage_error(kName, weight.message());
  p.weight = std::move(weight).value();
  if (!args.bias.empty()) {
    auto bias = per_channel(args.bias, args.filters, "--bias");
    if (!bias) return usage_error(kName, bias.message());
    p.bias = std::move(bias).value();
    p.has_bias = true;
  }
  return kExitOk;
}

void emit_json(const std::string& text) { std::cout << text << "\n"; }

int run_conv(const TraceArgs& args, StepRange range) {
  Prepared p;
  if (int rc = prepare_conv(args, false, p)) return rc;
  const Size2d in{static_cast<int>(p.input.h()), static_cast<int>(p.input.w())};
  const Size2d k{static_cast<int>(p.weight.dim(2)), static_cast<int>(p.weight.dim(3))};
  auto params = conv2d_params(args.conv, in, k);
  if (!params) return usage_error(kName, params.message());
  auto out = conv2d_output_size(in, k, *params);
  if (!out) return usage_error(kName, out.message());

  const int64_t steps = p.input.n() * p.weight.dim(0) * out->h * out->w;
  const int64_t taps = steps * p.weight.dim(1) * k.h * k.w;
  if (taps > kMaxTraceValues)
    return usage_error(kName, "this trace would record " + std::to_string(taps) + " kernel taps, more than " +
                                  std::to_string(kMaxTraceValues) +
                                  "; trace a smaller input, fewer channels or fewer filters");
  if (int rc = steps_guard(args, range, steps, "output cells")) return rc;

  const Tensor* bias = p.has_bias ? &p.bias : nullptr;
  auto trace = trace_conv2d(p.input, p.weight, bias, *params);
  if (!trace) return usage_error(kName, trace.message());
  const TraceInputs inputs{&p.input, &p.weight, bias};
  if (args.json)
    emit_json(explore::conv_trace_json(*trace, inputs, range, 1));
  else
    print_conv_text(std::cout, *trace, inputs, range);
  return kExitOk;
}

int run_tconv(const TraceArgs& args, StepRange range) {
  Prepared p;
  if (int rc = prepare_conv(args, true, p)) return rc;
  auto params = conv_transpose2d_params(args.conv);
  if (!params) return usage_error(kName, params.message());
  const Size2d in{static_cast<int>(p.input.h()), static_cast<int>(p.input.w())};
  const Size2d k{static_cast<int>(p.weight.dim(2)), static_cast<int>(p.weight.dim(3))};
  auto out = conv_transpose2d_output_size(in, k, *params);
  if (!out) return usage_error(kName, out.message());

  // Each intermediate is a whole uncropped output plane.
  const int64_t full_h = conv_transpose2d_output_extent(in.h, k.h, params->stride_h, 0,
                                                        params->output_padding_h, params->dilation_h);
  const int64_t full_w = conv_transpose2d_output_extent(in.w, k.w, params->stride_w, 0,
                                                        params->output_padding_w, params->dilation_w);
  const int64_t steps = p.input.n() * p.weight.dim(1) * p.input.c() * in.h * in.w;
  if (steps * full_h * full_w > kMaxTraceValues)
    return usage_error(kName, "this trace would hold " + std::to_string(steps) + " intermediate grids of " +
                                  std::to_string(full_h) + "x" + std::to_string(full_w) +
                                  ", too many to keep in memory; trace a smaller input or fewer channels");
  if (int rc = steps_guard(args, range, steps, "intermediate grids")) return rc;

  const Tensor* bias = p.has_bias ? &p.bias : nullptr;
  auto trace = trace_conv_transpose2d(p.input, p.weight, bias, *params);
  if (!trace) return usage_error(kName, trace.message());
  const TraceInputs inputs{&p.input, &p.weight, bias};
  if (args.json)
    emit_json(explore::tconv_trace_json(*trace, inputs, range, 1));
  else
    print_tconv_text(std::cout, *trace, inputs, range);
  return kExitOk;
}

// maxpool / avgpool: the input from --in (tensor "input") or generated; the
// window from --kernel and the conv flags.
int run_pool(const TraceArgs& args, StepRange range, PoolKind kind) {
  Tensor input;
  if (!args.in_file.empty()) {
    auto file = TensorFile::open(args.in_file, "input (N,C,H,W)");
    if (!file) return runtime_error(kName, file.message());
    auto read = file->get("input");
    if (!read) return runtime_error(kName, read.message());
    input = std::move(read).value();
    if (auto s = expect_rank(input, 4, args.in_file + ": input"); !s)
      return runtime_error(kName, s.message());
  } else {
    auto generated = generated_input(args);
    if (!generated) return usage_error(kName, generated.message());
    input = std::move(generated).value();
  }
  auto k = parse_size(args.kernel, "--kernel");
  if (!k) return usage_error(kName, k.message());
  PoolOptions options;
  options.kind = kind;
  options.kernel = *k;
  options.count_include_pad = !args.exclude_pad;
  const Size2d in{static_cast<int>(input.h()), static_cast<int>(input.w())};
  auto params = pool2d_params(args.conv, args.stride->count() > 0, args.ceil_mode, in, *k);
  if (!params) return usage_error(kName, params.message());
  options.params = *params;
  auto out = pool2d_output_size(in, *k, *params);
  if (!out) return usage_error(kName, out.message());
  const int64_t steps = input.n() * input.c() * out->h * out->w;
  if (steps * k->h * k->w > kMaxTraceValues)
    return usage_error(kName, "this trace would record " + std::to_string(steps * k->h * k->w) +
                                  " window taps, more than " + std::to_string(kMaxTraceValues) +
                                  "; trace a smaller input or a smaller window");
  if (int rc = steps_guard(args, range, steps, "output cells")) return rc;
  auto trace = trace_pool2d(input, options);
  if (!trace) return usage_error(kName, trace.message());
  if (args.json)
    emit_json(explore::pool_trace_json(*trace, {&input}, range, 1));
  else
    print_pool_text(std::cout, *trace, range);
  return kExitOk;
}

int prepare_bn(const TraceArgs& args, Prepared& p) {
  if (!args.in_file.empty()) {
    auto file = TensorFile::open(args.in_file,
                                 "input (N,C,H,W), weight (C), bias (C), running_mean (C), running_var (C)");
    if (!file) return runtime_error(kName, file.message());
    Tensor* targets[] = {&p.input, &p.weight, &p.bias, &p.running_mean, &p.running_var};
    const char* names[] = {"input", "weight", "bias", "running_mean", "running_var"};
    for (size_t i = 0; i < 5; ++i) {
      auto t = file->get(names[i]);
      if (!t) return runtime_error(kName, t.message());
      *targets[i] = std::move(t).value();
    }
    if (auto s = expect_rank(p.input, 4, args.in_file + ": input"); !s)
      return runtime_error(kName, s.message());
    return kExitOk;
  }
  auto input = generated_input(args);
  if (!input) return usage_error(kName, input.message());
  p.input = std::move(input).value();
  const int64_t c = p.input.c();
  const std::pair<const std::string*, Tensor*> specs[] = {{&args.gamma, &p.weight},
                                                          {&args.beta, &p.bias},
                                                          {&args.running_mean, &p.running_mean},
                                                          {&args.running_var, &p.running_var}};
  const char* flags[] = {"--gamma", "--beta", "--running-mean", "--running-var"};
  for (size_t i = 0; i < 4; ++i) {
    auto t = per_channel(*specs[i].first, c, flags[i]);
    if (!t) return usage_error(kName, t.message());
    *specs[i].second = std::move(t).value();
  }
  return kExitOk;
}

int run_bn(const TraceArgs& args, StepRange range) {
  Prepared p;
  if (int rc = prepare_bn(args, p)) return rc;
  if (int rc = steps_guard(args, range, p.input.c(), "channels")) return rc;
  BatchNormParams params;
  params.training = args.train;
  params.momentum = args.momentum;
  params.eps = args.eps;
  auto trace = trace_batch_norm2d(p.input, p.weight, p.bias, p.running_mean, p.running_var, params);
  if (!trace) return usage_error(kName, trace.message());
  const TraceInputs inputs{&p.input, &p.weight, &p.bias, &p.running_mean, &p.running_var};
  if (args.json)
    emit_json(explore::batch_norm_trace_json(*trace, inputs, range, 1));
  else
    print_bn_text(std::cout, *trace, inputs, range);
  return kExitOk;
}

int run_trace(const TraceArgs& args) {
  StepRange range;
  if (!args.steps.empty()) {
    auto parsed = parse_steps(args.steps, "--steps");
    if (!parsed) return usage_error(kName, parsed.message());
    range = *parsed;
  }
  if (args.seed < 0) return usage_error(kName, "--seed must be >= 0");
  if (!args.in_file.empty())
    for (const CLI::Option* g : args.generators)
      if (g->count() > 0)
        return usage_error(kName, "--in reads the tensors from a file, " + g->get_name() +
                                      " generates them: use one or the other");
  const bool pool = args.op == "maxpool" || args.op == "avgpool";
  if (!pool && (args.ceil_mode || args.exclude_pad))
    return usage_error(kName, std::string(args.ceil_mode ? "--ceil-mode" : "--exclude-pad") +
                                  " applies to pooling only (trace maxpool or avgpool)");
  if (args.exclude_pad && args.op == "maxpool")
    return usage_error(kName, "--exclude-pad applies to avgpool only: padding is never a max");
  if (pool) return run_pool(args, range, args.op == "maxpool" ? PoolKind::Max : PoolKind::Average);
  if (args.op == "conv") return run_conv(args, range);
  if (args.op == "tconv") return run_tconv(args, range);
  if (args.op == "bn") {
    if (!(args.eps > 0)) return usage_error(kName, "--eps must be > 0 (PyTorch's default is 1e-5)");
    if (!(args.momentum >= 0 && args.momentum <= 1))
      return usage_error(kName, "--momentum must be between 0 and 1 (PyTorch's default is 0.1)");
    return run_bn(args, range);
  }
  return usage_error(kName,
                     "'" + args.op + "' is not a traceable op; valid: conv, tconv, bn, maxpool, avgpool");
}

}  // namespace

Command add_trace_command(CLI::App& root) {
  auto a = std::make_shared<TraceArgs>();
  CLI::App* app = root.add_subcommand("trace", "Step-by-step record of one conv, tconv, batch norm or pool");
  app->add_option("op", a->op, "conv, tconv (transposed convolution), bn (batch norm), maxpool or avgpool")
      ->required();
  app->add_option("--in", a->in_file, "Read the tensors from this .safetensors file");
  // Generator flags make no sense next to a file: CLI11 reports the clash.
  std::vector<CLI::Option*> generators = {
      app->add_option("--input", a->input, "Generated input size HxW"),
      app->add_option("--channels", a->channels, "Input channels (default 1)"),
      app->add_option("--batch", a->batch, "Batch size N (default 1)"),
      app->add_option("--input-values", a->input_values, "ramp|random|ones|v1,v2,... (default ramp)"),
      app->add_option("--kernel", a->kernel, "Kernel size K or KHxKW (default 3)"),
      app->add_option("--kernel-values", a->kernel_values,
                      "identity|box|random|ones|v1,v2,... (default ones)"),
      app->add_option("--filters", a->filters, "Output channels O (default 1)"),
      app->add_option("--seed", a->seed, "Seed for random values (default 0)"),
      app->add_option("--bias", a->bias, "Bias: one value for all filters or one per filter (default: none)"),
      app->add_option("--gamma", a->gamma, "bn: scale, one value or one per channel (default 1)"),
      app->add_option("--beta", a->beta, "bn: shift, one value or one per channel (default 0)"),
      app->add_option("--running-mean", a->running_mean, "bn: running mean before (default 0)"),
      app->add_option("--running-var", a->running_var, "bn: running variance before (default 1)"),
  };
  // Checked in run_trace rather than with CLI11's excludes(), which would
  // list thirteen flags in the help of --in.
  a->generators = generators;
  add_conv_flags(app, a->conv, true);
  a->stride = app->get_option("--stride");
  app->add_flag("--ceil-mode", a->ceil_mode, "pool: round the output size up (PyTorch's ceil_mode)");
  app->add_flag("--exclude-pad", a->exclude_pad,
                "avgpool: divide by the input cells only (PyTorch's count_include_pad=False)");
  app->add_flag("--train", a->train, "bn: training mode (batch statistics, updates running stats)");
  app->add_option("--momentum", a->momentum, "bn: running-stat momentum (default 0.1)");
  app->add_option("--eps", a->eps, "bn: added to the variance (default 1e-5)");
  app->add_option("--steps", a->steps, "Print only steps A to B-1: A:B, A:, :B or A");
  app->add_flag("--json", a->json, "JSON with every field of the trace, for tools");
  app->footer(kTraceFooter);
  return {app, [a] { return run_trace(*a); }};
}

}  // namespace convlab::cli
