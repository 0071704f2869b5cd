#include "cli/backend_choice.h"

#include "cli/cli_common.h"

namespace convlab::cli {

Result<OpenedBackend> open_backend(std::string_view command, const std::string& backend, CpuOpsPath cpu_path,
                                   const std::string& shader_dir) {
  if (backend != "cpu" && backend != "gpu")
    return make_error("--backend '", backend, "' is not a backend; valid: cpu, gpu");
  OpenedBackend opened;
  opened.cpu = make_cpu_backend(cpu_path);
  if (backend == "gpu") {
    auto gpu = gpu::GpuBackend::create(shader_dir);
    if (gpu)
      opened.gpu = std::move(gpu).value();
    else
      warn_gpu_fallback(command, gpu.message());
  } else if (!shader_dir.empty()) {
    return make_error("--shader-dir applies to --backend gpu only");
  }
  return opened;
}

bool is_gpu_failure(const Error& error) {
  const std::string& m = error.message;
  return m.rfind("shader ", 0) == 0 || m.find("GPU") != std::string::npos ||
         m.find("work groups") != std::string::npos;
}

void warn_gpu_fallback(std::string_view command, const std::string& reason) {
  warn(command, "the GPU backend cannot run this: " + reason + "\n  -> running on the CPU instead");
}

}  // namespace convlab::cli
