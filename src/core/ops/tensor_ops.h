// The CPU reference of the ops a CNN exported to ONNX uses beyond
// convolutions and batch norm: activations, element-wise arithmetic with
// broadcasting, the classifier head (flatten, Gemm, MatMul, softmax), global
// average pooling, concatenation on any axis, constant padding, resizing and
// gathering rows of a table. Any rank; ONNX's semantics (which match
// PyTorch's for everything an exporter writes).
//
// Like reference.h these read like the math and are the ground truth other
// paths are tested against; every error names the tensor or setting, what is
// wrong and what would be valid.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/base/tensor.h"

namespace convlab::reference {

// ---- one input, value by value ----------------------------------------------
enum class UnaryOp { Identity, Relu, LeakyRelu, Sigmoid, Tanh, Clip };
const char* unary_op_name(UnaryOp op);

struct UnaryParams {
  UnaryOp op = UnaryOp::Identity;
  float alpha = 0.01f;                                  // LeakyRelu: the slope below 0
  float min = -std::numeric_limits<float>::infinity();  // Clip (ReLU6: 0 and 6)
  float max = std::numeric_limits<float>::infinity();
};
float apply_unary(float x, const UnaryParams& params);
Result<Tensor> unary(const Tensor& x, const UnaryParams& params);

// ---- two inputs, broadcast as numpy does --------------------------------------
// PRelu: x where x >= 0, else x * slope (the slope broadcast to x's shape).
enum class BinaryOp { Add, Sub, Mul, Div, PRelu };
const char* binary_op_name(BinaryOp op);
float apply_binary(BinaryOp op, float a, float b);

// The shape two shapes broadcast to (dimensions aligned from the right, each
// pair equal or one of them 1), or an error naming both shapes.
Result<Shape> broadcast_shapes(const Shape& a, const Shape& b);
Result<Tensor> binary(BinaryOp op, const Tensor& a, const Tensor& b);

// ONNX Expand: `x` broadcast (numpy rules, both ways) with `shape`, the
// values repeated along the axes where x has 1 (an embedding over H x W).
Result<Tensor> expand(const Tensor& x, std::span<const int64_t> shape);

// ---- the classifier head ----------------------------------------------------
// (d0..d[axis-1], d[axis]..) -> (d0*..*d[axis-1], d[axis]*..*d[r-1]); axis in
// [-r, r] (negative counts from the end).
Result<Tensor> flatten(const Tensor& x, int64_t axis);

// Y = alpha * A' * B' + beta * C, A' = transpose(A) if trans_a (same for B);
// A' is (M, K), B' is (K, N), C broadcasts to (M, N). torch.nn.Linear exports
// as Gemm with trans_b (its weight is (out, in)). Each output is one float sum
// over k in order, then scaled.
struct GemmParams {
  float alpha = 1.0f, beta = 1.0f;
  bool trans_a = false, trans_b = false;
};
Result<Tensor> gemm(const Tensor& a, const Tensor& b, const Tensor* c, const GemmParams& params);

// numpy.matmul: rank 1 operands are promoted (a row, a column) and the
// promoted axis dropped again; leading (batch) axes broadcast.
Result<Tensor> matmul(const Tensor& a, const Tensor& b);

// Softmax (or its log) along `axis`: exp(x - max) / sum(exp(x - max)). With
// coerce_2d (ONNX opsets before 13) the input is seen as 2-D, flattened at
// `axis`, and each row of the trailing size is normalized as one.
struct SoftmaxParams {
  int64_t axis = -1;
  bool log = false;
  bool coerce_2d = false;
};
Result<Tensor> softmax(const Tensor& x, const SoftmaxParams& params);

// ---- spatial ----------------------------------------------------------------
// (N, C, d1.., dk) -> (N, C, 1.., 1): the mean of each channel's values.
Result<Tensor> global_average_pool(const Tensor& x);

// Joins tensors along `axis` (negative counts from the end); every other
// dimension must agree.
Result<Tensor> concat(std::span<const Tensor* const> inputs, int64_t axis);

// ONNX Pad, constant mode: pads = (begin_0.., begin_r-1, end_0.., end_r-1);
// negative values crop.
Result<Tensor> pad_constant(const Tensor& x, std::span<const int64_t> pads, float value);

// The shape Reshape makes of `input` with the requested `shape`: a 0 copies
// the input's dimension (unless allow_zero), one -1 takes what is left.
Result<Shape> reshape_shape(const Shape& input, std::span<const int64_t> shape, bool allow_zero = false);

// ONNX Resize / Upsample over any axes (output sizes given, and the scales
// the coordinates are mapped with: output_size / input_size unless the model
// gave scales). Linear mode interpolates along each resized axis in turn.
enum class ResizeMode { Nearest, Linear };
enum class ResizeCoordinates { HalfPixel, PytorchHalfPixel, Asymmetric, AlignCorners, TfHalfPixelForNn };
enum class ResizeNearest { RoundPreferFloor, RoundPreferCeil, Floor, Ceil };
struct ResizeParams {
  ResizeMode mode = ResizeMode::Nearest;
  ResizeCoordinates coordinates = ResizeCoordinates::HalfPixel;
  ResizeNearest nearest = ResizeNearest::RoundPreferFloor;
};
Result<Tensor> resize(const Tensor& x, const Shape& output_shape, std::span<const double> scales,
                      const ResizeParams& params);

// ONNX Gather: rows of `data` picked along `axis` by integer indices (an
// embedding table's rows by category). Output shape: data's axes before
// `axis`, then indices' shape, then data's axes after it. Negative indices
// count from the end; out-of-range ones are refused.
Result<Tensor> gather(const Tensor& data, std::span<const int64_t> indices, const Shape& indices_shape,
                      int64_t axis);

// ---- output shapes without the values (a graph's shape inference) -------------
Result<Shape> flatten_shape(const Shape& input, int64_t axis);
Result<Shape> gemm_shape(const Shape& a, const Shape& b, const Shape* c, const GemmParams& params);
Result<Shape> matmul_shape(const Shape& a, const Shape& b);
Result<Shape> concat_shape(std::span<const Shape* const> inputs, int64_t axis);
Result<Shape> gather_shape(const Shape& data, const Shape& indices_shape, int64_t axis);
// Resize's output: `sizes` when given (one per axis), else floor(input * scale).
Result<Shape> resize_shape(const Shape& input, std::span<const int64_t> sizes,
                           std::span<const double> scales);

// Normalizes an axis in [-rank, rank) (or [-rank, rank] when `inclusive`).
Result<int64_t> normalize_axis(int64_t axis, int64_t rank, const char* what, bool inclusive = false);

// ---- shape rules ---------------------------------------------------------------
// What each op above checks and derives from its operands' shapes before it
// touches a value. The ops call these, and so do the GPU dispatchers
// (src/gpu/gpu_ops.cpp), so a rule and its error message exist once.

// Row-major strides of a shape.
std::vector<int64_t> strides_of(const Shape& shape);
// Strides that read `shape` as if it were broadcast to `target` (aligned from
// the right; 0 where the tensor's dimension is 1 or missing).
std::vector<int64_t> broadcast_strides(const Shape& shape, const Shape& target);

Status check_unary(const UnaryParams& params);
// The output shape of binary(op, a, b): broadcast_shapes, and PRelu's slope
// must not enlarge the input.
Result<Shape> binary_shape(BinaryOp op, const Shape& a, const Shape& b);

// Gemm's sizes: A' is (m, k), B' is (k, n); c_strides read C (if given) as
// broadcast to (m, n).
struct GemmDims {
  int64_t m = 0, k = 0, n = 0;
  std::vector<int64_t> c_strides;
};
Result<GemmDims> gemm_dims(const Shape& a, const Shape& b, const Shape* c, const GemmParams& params);

// MatMul's sizes after rank-1 promotion: each of the `batch` products is
// (m, k) x (k, n); batch_strides_a/b count whole matrices of each operand
// (0 on a broadcast batch axis); `output` is the final shape, promoted axes
// dropped.
struct MatmulDims {
  Shape batch;
  int64_t m = 0, k = 0, n = 0;
  std::vector<int64_t> batch_strides_a, batch_strides_b;
  Shape output;
};
Result<MatmulDims> matmul_dims(const Shape& a, const Shape& b);

// Softmax's rows: outer blocks x inner offsets, each row `length` values
// `inner` apart (coerce_2d folds every axis after `axis` into the row).
struct SoftmaxRows {
  int64_t outer = 1, length = 1, inner = 1;
};
Result<SoftmaxRows> softmax_rows(const Shape& shape, const SoftmaxParams& params);

Result<Shape> global_average_pool_shape(const Shape& shape);
Result<Shape> pad_shape(const Shape& shape, std::span<const int64_t> pads);

// Resize's sampling, per axis and output coordinate: the two source indices
// (equal for nearest) and the second's weight (0 for nearest). Computed once
// per axis in double precision, so ties (x.5) round the same on every path.
struct ResizeTap {
  int64_t low = 0, high = 0;
  double weight = 0;
};
Result<std::vector<std::vector<ResizeTap>>> resize_taps(const Shape& input, const Shape& output_shape,
                                                        std::span<const double> scales,
                                                        const ResizeParams& params);

// Gather's layout: `outer` blocks of `rows` rows of `inner` values along the
// normalized `axis`; every index is checked to be in [-rows, rows).
struct GatherDims {
  int64_t axis = 0, outer = 1, rows = 0, inner = 1;
  Shape output;
};
Result<GatherDims> gather_dims(const Shape& data, std::span<const int64_t> indices,
                               const Shape& indices_shape, int64_t axis);

}  // namespace convlab::reference
