// One headless GL context for the whole GPU test executable (creating one per
// test case would dominate the run time on llvmpipe).
#pragma once

#include <doctest/doctest.h>

#include <memory>

#include "gpu/gl_context.h"
#include "gpu/gpu_ops.h"
#include "gpu/programs.h"

namespace convlab::testing {

struct GpuFixture {
  std::unique_ptr<gpu::GlContext> context;
  std::unique_ptr<gpu::ProgramCache> programs;
  std::unique_ptr<gpu::GpuOps> ops;
  std::string error;
};

inline GpuFixture& gpu_fixture() {
  static GpuFixture fixture = [] {
    GpuFixture f;
    auto context = gpu::GlContext::create_headless();
    if (!context) {
      f.error = context.message();
      return f;
    }
    f.context = std::move(context).value();
    f.programs = std::make_unique<gpu::ProgramCache>();
    f.ops = std::make_unique<gpu::GpuOps>(*f.programs);
    return f;
  }();
  return fixture;
}

// The GPU tests require a GL 4.3 context: on CI that is Mesa llvmpipe. A
// missing context fails the test (it does not skip), so the suite cannot pass
// without running.
inline gpu::GpuOps& gpu_ops() {
  GpuFixture& f = gpu_fixture();
  REQUIRE_MESSAGE(f.ops != nullptr, "no OpenGL 4.3 context: " << f.error);
  return *f.ops;
}

}  // namespace convlab::testing
