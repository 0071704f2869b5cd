// Small tensors made from a text spec, for `convlab trace` without a file:
// ramp (0,1,2,... row-major), ones, random (seeded, one decimal in [-1,1],
// so the arithmetic stays readable), an explicit list v1,v2,..., and for
// kernels identity and box (the mean filter).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/tensor.h"

namespace convlab::cli {

// Where the output/input channel axes of a weight are: conv (O,C,KH,KW),
// transposed conv (C,O,KH,KW). Only identity needs to know.
enum class WeightLayout { None, OutIn, InOut };

// `setting` names the flag in errors; `stream` separates the random values of
// different tensors made from the same seed.
Result<Tensor> make_tensor(const Shape& shape, const std::string& spec, std::string_view setting,
                           uint64_t seed, uint64_t stream, WeightLayout layout = WeightLayout::None);

// One value for every channel, or one per channel: "0.5" or "1,2,3".
Result<Tensor> per_channel(const std::string& spec, int64_t channels, std::string_view setting);

}  // namespace convlab::cli
