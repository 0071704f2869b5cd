// NumPy .npy files (numpy.save): a float32 Tensor from float32/float64 or
// int32/int64 arrays (integers exact up to 2^24), C order, little-endian.
// Every failure names the file and what a valid file has.
#pragma once

#include <string>

#include "core/base/tensor.h"

namespace convlab {

Result<Tensor> read_npy(const std::string& path);
Result<Tensor> decode_npy(const std::string& bytes, const std::string& source);

}  // namespace convlab
