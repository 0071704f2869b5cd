// `convlab op NAME`: runs one op on tensors from a .safetensors file and
// writes the result to another, so ConvLab can be checked against another
// framework (PyTorch, NumPy) number by number.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <variant>

#include "cli/backend_choice.h"
#include "cli/commands.h"
#include "cli/conv_flags.h"
#include "cli/model_args.h"
#include "cli/tensor_file.h"
#include "core/color/lab.h"
#include "core/fast/fast_ops.h"
#include "core/model/runner.h"
#include "core/ops/reference.h"
#include "gpu/gpu_runner.h"

namespace convlab::cli {

namespace {

constexpr const char* kName = "op";

struct OpArgs {
  std::string name;
  std::string in_file;
  std::string out_file;
  std::string backend = "cpu";
  std::string shader_dir;
  std::string path;  // empty: the op's default
  ConvFlags conv;
  bool train = false;
  float momentum = 0.1f;
  float eps = 1e-5f;
  std::string weights;
  std::string arch = "advanced";
  int64_t random_seed = 0;
  CLI::Option* random_option = nullptr;  // given or not
  std::optional<int64_t> seed() const {
    return random_option->count() ? std::optional<int64_t>(random_seed) : std::nullopt;
  }
};

const char* kOpFooter = R"(Ops and the tensors they read from --in (names as in PyTorch):
  conv2d            input (N,C,H,W), weight (O,C,KH,KW), optional bias (O) -> output
  conv_transpose2d  input (N,C,H,W), weight (C,O,KH,KW), optional bias (O) -> output
  batch_norm        input, weight, bias, running_mean, running_var -> output, running_mean, running_var
  relu              input -> output
  rgb_to_lab        input (N,3,H,W), RGB in [0,1] -> output (L, a, b)
  lab_to_rgb        input (N,3,H,W), Lab -> output (RGB in [0,1])
  model             gray (N,1,H,W), category (N, int64 or int32) -> ab (N,2,H,W); needs --weights or --random-weights
--path: fast (im2col or Winograd + oneDNN sgemm, default for conv2d, conv_transpose2d, model) or reference (plain loops).
Examples:
  convlab op conv2d --in x.safetensors -o y.safetensors --stride 2 --padding 1
  convlab op conv2d --in x.safetensors -o y.safetensors --padding 0,1,1,2 --dilation 2 --path reference
  convlab op conv_transpose2d --in x.safetensors -o y.safetensors --stride 2 --padding 1 --output-padding 1
  convlab op batch_norm --in x.safetensors -o y.safetensors --train --momentum 0.1
  convlab op model --in x.safetensors -o y.safetensors --weights ecnn_advanced.safetensors)";

const char* needs_of(const std::string& name) {
  if (name == "conv2d") return "input (N,C,H,W), weight (O,C,KH,KW), optional bias (O)";
  if (name == "conv_transpose2d") return "input (N,C,H,W), weight (C,O,KH,KW), optional bias (O)";
  if (name == "batch_norm") return "input (N,C,H,W), weight (C), bias (C), running_mean (C), running_var (C)";
  if (name == "model") return "gray (N,1,H,W), category (N) as int64 or int32";
  if (name == "relu") return "input";
  return "input (N,3,H,W)";
}

bool has_fast_path(const std::string& name) {
  return name == "conv2d" || name == "conv_transpose2d" || name == "model";
}

// The outputs of one op, by tensor name.
using Outputs = std::vector<std::pair<std::string, Tensor>>;

// A failure while computing: usage (exit 2) when the settings are wrong,
// runtime (exit 1) when the file's tensors are missing or do not fit.
struct OpFailure {
  int code;
  std::string message;
};
using OpResult = std::variant<Outputs, OpFailure>;

OpFailure usage(std::string m) { return {kExitUsage, std::move(m)}; }
OpFailure runtime(std::string m) { return {kExitRuntime, std::move(m)}; }

OpResult run_conv(const OpArgs& args, const TensorFile& file, OpenedBackend& backend, bool transposed) {
  auto input = file.get("input");
  if (!input) return runtime(input.message());
  auto weight = file.get("weight");
  if (!weight) return runtime(weight.message());
  auto bias = file.get_optional("bias");
  if (!bias) return runtime(bias.message());
  if (auto s = expect_rank(*input, 4, file.path() + ": input"); !s) return runtime(s.message());
  if (auto s = expect_rank(*weight, 4, file.path() + ": weight"); !s) return runtime(s.message());
  const Tensor* b = bias->has_value() ? &**bias : nullptr;
  Result<Tensor> out = Error{};
  if (transposed) {
    auto params = conv_transpose2d_params(args.conv);
    if (!params) return usage(params.message());
    out = run_with_fallback(kName, backend,
                            [&](Backend& be) { return be.conv_transpose2d(*input, *weight, b, *params); });
  } else {
    const Size2d in{static_cast<int>(input->h()), static_cast<int>(input->w())};
    const Size2d k{static_cast<int>(weight->dim(2)), static_cast<int>(weight->dim(3))};
    auto params = conv2d_params(args.conv, in, k);
    if (!params) return usage(params.message());
    out = run_with_fallback(kName, backend,
                            [&](Backend& be) { return be.conv2d(*input, *weight, b, *params); });
  }
  if (!out) return usage(out.message());
  return Outputs{{"output", std::move(out).value()}};
}

OpResult run_batch_norm(const OpArgs& args, const TensorFile& file, OpenedBackend& backend) {
  if (!(args.eps > 0)) return usage("--eps must be > 0 (PyTorch's default is 1e-5)");
  if (!(args.momentum >= 0 && args.momentum <= 1))
    return usage("--momentum must be between 0 and 1 (PyTorch's default is 0.1)");
  Tensor t[5];
  const char* names[] = {"input", "weight", "bias", "running_mean", "running_var"};
  for (int i = 0; i < 5; ++i) {
    auto loaded = file.get(names[i]);
    if (!loaded) return runtime(loaded.message());
    t[i] = std::move(loaded).value();
  }
  reference::BatchNormParams params;
  params.training = args.train;
  params.momentum = args.momentum;
  params.eps = args.eps;
  const Tensor running_mean = t[3], running_var = t[4];
  auto out = run_with_fallback(kName, backend, [&](Backend& be) {
    t[3] = running_mean, t[4] = running_var;  // a CPU rerun starts from the file's running stats
    return be.batch_norm2d(t[0], t[1], t[2], t[3], t[4], params);
  });
  if (!out) return usage(out.message());
  return Outputs{{"output", std::move(out).value()}, {"running_mean", t[3]}, {"running_var", t[4]}};
}

OpResult run_unary(const OpArgs& args, const TensorFile& file, OpenedBackend& backend) {
  auto input = file.get("input");
  if (!input) return runtime(input.message());
  auto out = run_with_fallback(kName, backend, [&](Backend& be) {
    if (args.name == "relu") return be.relu(*input);
    return args.name == "rgb_to_lab" ? be.rgb_to_lab(*input) : be.lab_to_rgb(*input);
  });
  if (!out) return runtime(file.path() + ": " + out.message());
  return Outputs{{"output", std::move(out).value()}};
}

OpResult run_model(const OpArgs& args, const TensorFile& file, bool fast, OpenedBackend& backend) {
  if (args.weights.empty() == !args.seed())
    return usage(
        "op model needs the weights: --weights FILE.safetensors or --random-weights SEED (one of them)");
  auto graph = builtin_graph(args.arch);
  if (!graph) return usage(graph.message());
  auto gray = file.get("gray");
  if (!gray) return runtime(gray.message());
  auto category = file.get_ints("category");
  if (!category) return runtime(category.message());
  auto model = load_or_random(*graph, args.weights, args.seed());
  if (!model) return runtime(model.message());
  if (backend.gpu) {
    auto ab = [&]() -> Result<Tensor> {
      auto gpu_model = gpu::GpuModel::upload(*model, backend.gpu->ops());
      if (!gpu_model) return gpu_model.error();
      auto run = (*gpu_model)->run(*gray, *category);
      if (!run) return run.error();
      return run->values.at(model->graph.output()).download();
    }();
    if (ab) return Outputs{{"ab", std::move(ab).value()}};
    if (!is_gpu_failure(ab.error())) return runtime(file.path() + ": " + ab.message());
    warn_gpu_fallback(kName, ab.message());
  }
  auto acts = run_model_cpu(*model, *gray, *category, fast ? CpuPath::Fast : CpuPath::Reference, false);
  if (!acts) return runtime(file.path() + ": " + acts.message());
  return Outputs{{"ab", acts->output(model->graph)}};
}

int run_op(const OpArgs& args) {
  static const char* known[] = {"conv2d",     "conv_transpose2d", "batch_norm", "relu",
                                "rgb_to_lab", "lab_to_rgb",       "model"};
  if (std::find(std::begin(known), std::end(known), args.name) == std::end(known))
    return usage_error(kName,
                       "'" + args.name +
                           "' is not an op; valid: conv2d, conv_transpose2d, batch_norm, relu, rgb_to_lab, "
                           "lab_to_rgb, model");
  if (args.path != "" && args.path != "fast" && args.path != "reference")
    return usage_error(kName, "--path '" + args.path + "' is not a CPU path; valid: fast, reference");
  bool fast = has_fast_path(args.name) && args.path != "reference";
  if (args.path == "fast" && !has_fast_path(args.name))
    warn(kName, args.name + " has only the reference implementation; using it");
  if (args.name != "model" && (!args.weights.empty() || args.seed()))
    return usage_error(kName, "--weights and --random-weights apply to 'op model' only");
  if (args.name != "conv2d" && args.name != "conv_transpose2d" &&
      (args.conv.stride != "1" || args.conv.padding != "0" || args.conv.dilation != "1" ||
       args.conv.output_padding != "0"))
    return usage_error(kName,
                       "--stride, --padding, --dilation and --output-padding apply to conv2d and "
                       "conv_transpose2d only");

  auto opened =
      open_backend(kName, args.backend, fast ? CpuOpsPath::Fast : CpuOpsPath::Reference, args.shader_dir);
  if (!opened) return usage_error(kName, opened.message());
  auto file = TensorFile::open(args.in_file, needs_of(args.name));
  if (!file) return runtime_error(kName, file.message());

  OpResult result = OpFailure{};
  if (args.name == "conv2d" || args.name == "conv_transpose2d")
    result = run_conv(args, *file, *opened, args.name == "conv_transpose2d");
  else if (args.name == "batch_norm")
    result = run_batch_norm(args, *file, *opened);
  else if (args.name == "model")
    result = run_model(args, *file, fast, *opened);
  else
    result = run_unary(args, *file, *opened);
  if (auto* failure = std::get_if<OpFailure>(&result))
    return failure->code == kExitUsage ? usage_error(kName, failure->message)
                                       : runtime_error(kName, failure->message);

  SafeTensors out;
  out.metadata()["convlab_op"] = args.name;
  out.metadata()["convlab_backend"] = opened->name();
  out.metadata()["convlab_path"] = fast ? "fast" : "reference";
  for (const auto& [name, tensor] : std::get<Outputs>(result)) out.put_float(name, tensor);
  if (auto s = write_safetensors(args.out_file, out); !s) return runtime_error(kName, s.message());
  for (const auto& [name, tensor] : std::get<Outputs>(result))
    std::cout << "wrote " << name << " (" << shape_to_string(tensor.shape()) << ") to " << args.out_file
              << "\n";
  return kExitOk;
}

}  // namespace

Command add_op_command(CLI::App& root) {
  auto a = std::make_shared<OpArgs>();
  CLI::App* app =
      root.add_subcommand("op", "Run one op on tensors from a .safetensors file, write the result");
  app->add_option("name", a->name,
                  "conv2d, conv_transpose2d, batch_norm, relu, rgb_to_lab, lab_to_rgb or model")
      ->required();
  app->add_option("--in", a->in_file, "Input tensors (.safetensors)")->required();
  app->add_option("-o,--out", a->out_file, "Where to write the result (.safetensors)")->required();
  app->add_option("--backend", a->backend, "cpu or gpu (OpenGL compute shaders; default cpu)");
  app->add_option("--shader-dir", a->shader_dir,
                  "gpu: load the .comp shaders from this folder instead of the built-in ones");
  app->add_option("--path", a->path, "CPU implementation: fast or reference");
  add_conv_flags(app, a->conv, true);
  app->add_flag("--train", a->train, "batch_norm: training mode (batch statistics, updates running stats)");
  app->add_option("--momentum", a->momentum, "batch_norm: running-stat momentum (default 0.1)");
  app->add_option("--eps", a->eps, "batch_norm: added to the variance (default 1e-5)");
  CLI::Option* weights = app->add_option("--weights", a->weights, "model: trained weights (.safetensors)");
  app->add_option("--arch", a->arch, "model: advanced or basic (default advanced)");
  a->random_option =
      app->add_option("--random-weights", a->random_seed, "model: random weights from this seed instead");
  a->random_option->excludes(weights);
  app->footer(kOpFooter);
  return {app, [a] { return run_op(*a); }};
}

}  // namespace convlab::cli
