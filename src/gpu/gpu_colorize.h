// The colorizer pipeline (core/model/colorize.h) with every step after the
// resize on the GPU: sRGB->Lab at working and full size, the model, bilinear
// upsampling of a,b, the join with the full-resolution L and Lab->sRGB. Only
// the finished image is read back.
#pragma once

#include "core/model/colorize.h"
#include "gpu/gpu_runner.h"

namespace convlab::gpu {

struct GpuColorizeTimes {
  double model_ms = 0;  // GPU time of the network (timer queries)
};

Result<RgbImage> colorize_gpu(GpuModel& model, GpuOps& ops, const RgbImage& image,
                              const ColorizeOptions& options, GpuColorizeTimes* times = nullptr);

}  // namespace convlab::gpu
