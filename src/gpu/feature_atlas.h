// Feature maps as images, drawn on the GPU: shaders/feature_atlas.comp maps
// channels of an activation buffer through a colormap (the core's tables,
// core/explore/colormap.h) into an RGBA texture laid out by
// core/explore/atlas_layout.h. The network panel shows the texture with
// ImGui; nothing is read back. Needs a current GL context.
#pragma once

#include <span>

#include "core/explore/atlas_layout.h"
#include "gpu/gpu_tensor.h"
#include "gpu/programs.h"

namespace convlab::gpu {

struct AtlasRange {
  float lo = 0, hi = 0;  // sequential: the values mapped to the dark and light ends
};

class FeatureAtlas {
 public:
  explicit FeatureAtlas(ProgramCache& programs);
  ~FeatureAtlas();
  FeatureAtlas(const FeatureAtlas&) = delete;
  FeatureAtlas& operator=(const FeatureAtlas&) = delete;

  // Channels [first, first + layout.channels) of batch item 0 of `activation`
  // (N, C, H, W), one range per shown channel. diverging: the signed map,
  // symmetric around 0 with max_abs = max(|lo|, |hi|); otherwise the
  // sequential map from lo to hi.
  Status render(const GpuTensor& activation, int first, const explore::AtlasLayout& layout,
                std::span<const AtlasRange> ranges, bool diverging);

  unsigned texture() const { return texture_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  Status ensure_texture(int width, int height);
  Status ensure_colormaps();
  ProgramCache& programs_;
  unsigned texture_ = 0;
  int width_ = 0, height_ = 0;
  unsigned diverging_lut_ = 0, sequential_lut_ = 0, ranges_ = 0;
};

}  // namespace convlab::gpu
