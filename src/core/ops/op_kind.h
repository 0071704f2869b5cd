// The op list: every op ConvLab has, by name. Adding an op means adding it
// here, and the static_assert makes the name table follow; each backend then
// implements it and the backend tests run it.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace convlab {

enum class OpKind {
  Conv2d,
  ConvTranspose2d,
  BatchNorm2d,
  Relu,
  Concat,
  EmbedBroadcast,
  RgbToLab,
  LabToRgb,
  UpsampleBilinear,
  // The ops of CNNs read from ONNX files (tensor_ops.h, pool.h).
  Pool2d,             // max or average pooling window
  GlobalAveragePool,  // (N,C,H,W) -> (N,C,1,1)
  Activation,         // LeakyRelu, Sigmoid, Tanh, Clip (ReLU6), Identity
  Elementwise,        // Add, Sub, Mul, Div, PRelu, numpy broadcasting
  Reshape,            // Flatten and Reshape: the same values, a new shape
  Gemm,               // Linear layers: alpha * A' B' + beta * C
  MatMul,             // numpy.matmul
  Softmax,            // softmax and log-softmax along an axis
  Pad,                // constant padding on any axis
  Resize,             // nearest and linear resize (Resize, Upsample)
  Gather,             // rows of a table by index (an embedding)
  Expand,             // broadcast to a larger shape (an embedding over H x W)
  Count
};

inline constexpr std::array<std::string_view, static_cast<size_t>(OpKind::Count)> kOpNames = {
    "conv2d",
    "conv_transpose2d",
    "batch_norm",
    "relu",
    "concat",
    "embed",
    "rgb_to_lab",
    "lab_to_rgb",
    "upsample_bilinear",
    "pool2d",
    "global_average_pool",
    "activation",
    "elementwise",
    "reshape",
    "gemm",
    "matmul",
    "softmax",
    "pad",
    "resize",
    "gather",
    "expand"};
static_assert(kOpNames.size() == static_cast<size_t>(OpKind::Count), "every op needs a name");

inline constexpr std::string_view op_name(OpKind kind) { return kOpNames[static_cast<size_t>(kind)]; }
inline std::optional<OpKind> op_from_name(std::string_view name) {
  for (size_t i = 0; i < kOpNames.size(); ++i)
    if (kOpNames[i] == name) return static_cast<OpKind>(i);
  return std::nullopt;
}

}  // namespace convlab
