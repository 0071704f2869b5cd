// An OpenGL 4.3+ context for compute. Headless (EGL, no window) for the CLI,
// tests and benchmarks: the device platform first (NVIDIA and other real
// GPUs), then Mesa's surfaceless platform (llvmpipe on a machine without a
// GPU). The app makes its window's context current and uses the same code.
#pragma once

#include <memory>
#include <string>

#include "core/base/result.h"

namespace convlab::gpu {

class GlContext {
 public:
  // Creates and makes current a headless core-profile context, or says what
  // is missing (no EGL display, no GL 4.3, no compute shaders).
  static Result<std::unique_ptr<GlContext>> create_headless();
  // Wraps a context that is already current (the app's window); checks GL 4.3.
  static Result<std::unique_ptr<GlContext>> adopt_current();
  ~GlContext();
  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;

  const std::string& renderer() const { return renderer_; }
  const std::string& version() const { return version_; }
  bool has_timer_queries() const { return timer_queries_; }
  void make_current();

 private:
  GlContext() = default;
  Status describe_and_check();

  void* display_ = nullptr;  // EGLDisplay, null when adopted
  void* context_ = nullptr;  // EGLContext, null when adopted
  std::string renderer_, version_;
  bool timer_queries_ = false;
};

}  // namespace convlab::gpu
