// Opens the backend a command asked for with --backend. A GPU that cannot be
// used (no EGL display, no OpenGL 4.3) is not fatal: the command says why on
// stderr and runs on the CPU. A shader that fails to compile is reported the
// same way when the op runs (see run_with_fallback).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/backend/backend.h"
#include "gpu/gpu_backend.h"

namespace convlab::cli {

struct OpenedBackend {
  std::unique_ptr<Backend> cpu;          // always there: the fallback
  std::unique_ptr<gpu::GpuBackend> gpu;  // when --backend gpu worked
  Backend& active() { return gpu ? static_cast<Backend&>(*gpu) : *cpu; }
  std::string name() const { return gpu ? "gpu" : "cpu"; }
};

// backend: "cpu" or "gpu" (anything else is a usage error).
Result<OpenedBackend> open_backend(std::string_view command, const std::string& backend, CpuOpsPath cpu_path,
                                   const std::string& shader_dir);

// A GPU failure the CPU can stand in for (a shader that does not compile, a
// buffer too big): the op reruns on the CPU after a warning.
bool is_gpu_failure(const Error& error);

void warn_gpu_fallback(std::string_view command, const std::string& reason);

// Runs `op(backend)` on the active backend; if the GPU fails for a GPU reason,
// warns and runs it on the CPU instead.
template <class Op>
auto run_with_fallback(std::string_view command, OpenedBackend& opened, Op&& op)
    -> decltype(op(*opened.cpu)) {
  auto result = op(opened.active());
  if (!result.ok() && opened.gpu && is_gpu_failure(result.error())) {
    warn_gpu_fallback(command, result.message());
    return op(*opened.cpu);
  }
  return result;
}

}  // namespace convlab::cli
