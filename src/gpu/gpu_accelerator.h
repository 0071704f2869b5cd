// The network session's GPU (session/accelerator.h) on OpenGL compute
// shaders: GpuModel's weights uploaded once, GpuPass stepped a plan step at
// a time, each step waited for (glFinish) so the session's clock measures
// the GPU's real time and the next frame is not stuck behind queued work.
#pragma once

#include <memory>

#include "core/model/model.h"
#include "session/accelerator.h"

namespace convlab::gpu {

// Needs a current OpenGL 4.3 context (the window's, or a headless one), which
// it checks: the error says what the driver lacks.
Result<std::unique_ptr<session::Accelerator>> make_gpu_accelerator(std::shared_ptr<const Model> model);

}  // namespace convlab::gpu
