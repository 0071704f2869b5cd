// sRGB <-> CIE Lab (D65, 2 degree observer), matching scikit-image's
// rgb2lab / lab2rgb (0.19): sRGB companding, the same matrices and the same
// clipping, so a model trained on skimage Lab runs here unchanged.
#pragma once

#include "core/base/tensor.h"

namespace convlab {

// (N,3,H,W) RGB in [0,1] -> (N,3,H,W) L in [0,100], a, b.
Result<Tensor> rgb_to_lab(const Tensor& rgb);
// (N,3,H,W) Lab -> RGB in [0,1] (clipped as skimage does).
Result<Tensor> lab_to_rgb(const Tensor& lab);

}  // namespace convlab
