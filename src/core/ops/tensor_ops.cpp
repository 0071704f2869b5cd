#include "core/ops/tensor_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace convlab::reference {

std::vector<int64_t> strides_of(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

std::vector<int64_t> broadcast_strides(const Shape& shape, const Shape& target) {
  const std::vector<int64_t> own = strides_of(shape);
  std::vector<int64_t> out(target.size(), 0);
  const size_t offset = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i) out[offset + i] = shape[i] == 1 ? 0 : own[i];
  return out;
}

namespace {

// Calls visit(flat_output_index, offset_a, offset_b) over `shape` in row-major
// order, offsets advancing by each operand's strides.
template <class Visit>
void for_each_broadcast(const Shape& shape, const std::vector<int64_t>& sa, const std::vector<int64_t>& sb,
                        Visit visit) {
  const int64_t total = shape_numel(shape);
  if (total == 0) return;
  std::vector<int64_t> index(shape.size(), 0);
  int64_t oa = 0, ob = 0;
  for (int64_t i = 0; i < total; ++i) {
    visit(i, oa, ob);
    for (size_t axis = shape.size(); axis-- > 0;) {
      ++index[axis];
      oa += sa[axis];
      ob += sb[axis];
      if (index[axis] < shape[axis]) break;
      oa -= sa[axis] * shape[axis];
      ob -= sb[axis] * shape[axis];
      index[axis] = 0;
    }
  }
}

Status check_dims(const Shape& shape, const char* what) {
  for (int64_t d : shape)
    if (d < 0) return make_error(what, " has a negative dimension (", shape_to_string(shape), ")");
  return {};
}

}  // namespace

Result<int64_t> normalize_axis(int64_t axis, int64_t rank, const char* what, bool inclusive) {
  const int64_t high = inclusive ? rank : rank - 1;
  if (axis < -rank || axis > high)
    return make_error(what, " ", axis, " is out of range for a rank-", rank, " tensor; valid: ", -rank,
                      " to ", high);
  return axis < 0 ? axis + rank : axis;
}

// ---- unary --------------------------------------------------------------------

const char* unary_op_name(UnaryOp op) {
  switch (op) {
    case UnaryOp::Identity:
      return "identity";
    case UnaryOp::Relu:
      return "relu";
    case UnaryOp::LeakyRelu:
      return "leaky_relu";
    case UnaryOp::Sigmoid:
      return "sigmoid";
    case UnaryOp::Tanh:
      return "tanh";
    case UnaryOp::Clip:
      return "clip";
  }
  return "?";
}

float apply_unary(float x, const UnaryParams& params) {
  switch (params.op) {
    case UnaryOp::Identity:
      return x;
    case UnaryOp::Relu:
      return x > 0.0f ? x : 0.0f;
    case UnaryOp::LeakyRelu:
      return x >= 0.0f ? x : x * params.alpha;
    case UnaryOp::Sigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case UnaryOp::Tanh:
      return std::tanh(x);
    case UnaryOp::Clip:
      return std::isnan(x) ? x : std::min(std::max(x, params.min), params.max);
  }
  return x;
}

Status check_unary(const UnaryParams& params) {
  if (params.op == UnaryOp::Clip && params.min > params.max)
    return make_error("clip: min ", params.min, " is above max ", params.max, "; valid: min <= max");
  return {};
}

Result<Tensor> unary(const Tensor& x, const UnaryParams& params) {
  CONVLAB_TRY(check_unary(params));
  Tensor out(x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) out[i] = apply_unary(x[i], params);
  return out;
}

// ---- binary -------------------------------------------------------------------

const char* binary_op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "add";
    case BinaryOp::Sub:
      return "sub";
    case BinaryOp::Mul:
      return "mul";
    case BinaryOp::Div:
      return "div";
    case BinaryOp::PRelu:
      return "prelu";
  }
  return "?";
}

float apply_binary(BinaryOp op, float a, float b) {
  switch (op) {
    case BinaryOp::Add:
      return a + b;
    case BinaryOp::Sub:
      return a - b;
    case BinaryOp::Mul:
      return a * b;
    case BinaryOp::Div:
      return a / b;
    case BinaryOp::PRelu:
      return a >= 0.0f ? a : a * b;
  }
  return a;
}

Result<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
  Shape out(std::max(a.size(), b.size()), 1);
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    const int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return make_error("shapes ", shape_to_string(a), " and ", shape_to_string(b),
                        " do not broadcast: aligned from the right, each pair of dimensions must be equal or "
                        "one of them 1");
    out[out.size() - 1 - i] = da == 1 ? db : da;
  }
  return out;
}

Result<Shape> binary_shape(BinaryOp op, const Shape& a, const Shape& b) {
  auto shape = broadcast_shapes(a, b);
  if (!shape) return make_error(binary_op_name(op), ": ", shape.error().message);
  if (op == BinaryOp::PRelu && *shape != a)
    return make_error("prelu: the slope ", shape_to_string(b), " must broadcast to the input ",
                      shape_to_string(a), " without enlarging it");
  return shape;
}

Result<Tensor> binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  auto shape = binary_shape(op, a.shape(), b.shape());
  if (!shape) return shape.error();
  Tensor out(*shape);
  for_each_broadcast(*shape, broadcast_strides(a.shape(), *shape), broadcast_strides(b.shape(), *shape),
                     [&](int64_t i, int64_t ia, int64_t ib) { out[i] = apply_binary(op, a[ia], b[ib]); });
  return out;
}

Result<Tensor> expand(const Tensor& x, std::span<const int64_t> shape) {
  auto out_shape = broadcast_shapes(x.shape(), Shape(shape.begin(), shape.end()));
  if (!out_shape) return make_error("expand: ", out_shape.error().message);
  Tensor out(*out_shape);
  const std::vector<int64_t> strides = broadcast_strides(x.shape(), *out_shape);
  for_each_broadcast(*out_shape, strides, strides, [&](int64_t i, int64_t ix, int64_t) { out[i] = x[ix]; });
  return out;
}

// ---- classifier head -------------------------------------------------------------

Result<Tensor> flatten(const Tensor& x, int64_t axis) {
  auto a = normalize_axis(axis, x.rank(), "flatten: axis", true);
  if (!a) return a.error();
  int64_t outer = 1;
  for (int64_t i = 0; i < *a; ++i) outer *= x.dim(static_cast<int>(i));
  const int64_t inner = outer == 0 ? 0 : x.numel() / std::max<int64_t>(outer, 1);
  return x.reshaped({outer, inner});
}

Result<GemmDims> gemm_dims(const Shape& a, const Shape& b, const Shape* c, const GemmParams& params) {
  if (a.size() != 2 || b.size() != 2)
    return make_error("gemm: A ", shape_to_string(a), " and B ", shape_to_string(b),
                      " must both be matrices (rank 2)");
  GemmDims dims;
  dims.m = params.trans_a ? a[1] : a[0];
  dims.k = params.trans_a ? a[0] : a[1];
  const int64_t kb = params.trans_b ? b[1] : b[0];
  dims.n = params.trans_b ? b[0] : b[1];
  if (dims.k != kb)
    return make_error("gemm: A", params.trans_a ? "'" : "", " is ", dims.m, "x", dims.k, " and B",
                      params.trans_b ? "'" : "", " is ", kb, "x", dims.n, "; the inner sizes must agree (",
                      dims.k, " vs ", kb, ")");
  if (c) {
    const Shape output{dims.m, dims.n};
    auto shape = broadcast_shapes(*c, output);
    if (!shape || *shape != output)
      return make_error("gemm: C ", shape_to_string(*c), " must broadcast to the output ", dims.m, "x",
                        dims.n);
    dims.c_strides = broadcast_strides(*c, output);
  }
  return dims;
}

Result<Tensor> gemm(const Tensor& a, const Tensor& b, const Tensor* c, const GemmParams& params) {
  auto dims = gemm_dims(a.shape(), b.shape(), c ? &c->shape() : nullptr, params);
  if (!dims) return dims.error();
  const int64_t m = dims->m, k = dims->k, n = dims->n;
  const std::vector<int64_t>& c_strides = dims->c_strides;
  Tensor out({m, n});
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float acc = 0.0f;
      for (int64_t t = 0; t < k; ++t) {
        const float av = params.trans_a ? a[t * m + i] : a[i * k + t];
        const float bv = params.trans_b ? b[j * k + t] : b[t * n + j];
        acc += av * bv;
      }
      float y = params.alpha * acc;
      if (c) y += params.beta * (*c)[i * c_strides[0] + j * c_strides[1]];
      out[i * n + j] = y;
    }
  return out;
}

Result<MatmulDims> matmul_dims(const Shape& a, const Shape& b) {
  if (a.empty() || b.empty()) return make_error("matmul: operands must have rank 1 or more");
  Shape sa = a, sb = b;
  const bool a_vector = sa.size() == 1, b_vector = sb.size() == 1;
  if (a_vector) sa.insert(sa.begin(), 1);
  if (b_vector) sb.push_back(1);
  MatmulDims dims;
  dims.m = sa[sa.size() - 2], dims.k = sa.back(), dims.n = sb.back();
  const int64_t kb = sb[sb.size() - 2];
  if (dims.k != kb)
    return make_error("matmul: ", shape_to_string(a), " times ", shape_to_string(b),
                      ": the inner sizes must agree (", dims.k, " vs ", kb, ")");
  const Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  auto batch = broadcast_shapes(batch_a, batch_b);
  if (!batch) return make_error("matmul: batch axes: ", batch.error().message);
  dims.batch = *batch;
  dims.batch_strides_a = broadcast_strides(batch_a, dims.batch);
  dims.batch_strides_b = broadcast_strides(batch_b, dims.batch);
  dims.output = dims.batch;
  if (!a_vector) dims.output.push_back(dims.m);
  if (!b_vector) dims.output.push_back(dims.n);
  return dims;
}

Result<Tensor> matmul(const Tensor& a, const Tensor& b) {
  auto dims = matmul_dims(a.shape(), b.shape());
  if (!dims) return dims.error();
  const int64_t m = dims->m, k = dims->k, n = dims->n;
  Shape out_shape = dims->batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor out(out_shape);
  const int64_t batches = shape_numel(dims->batch);
  std::vector<int64_t> offsets_a, offsets_b;
  for_each_broadcast(dims->batch, dims->batch_strides_a, dims->batch_strides_b,
                     [&](int64_t, int64_t ia, int64_t ib) {
                       offsets_a.push_back(ia);
                       offsets_b.push_back(ib);
                     });
  if (dims->batch.empty()) offsets_a = offsets_b = {0};
  for (int64_t p = 0; p < batches; ++p) {
    const float* pa = a.data() + offsets_a[static_cast<size_t>(p)] * m * k;
    const float* pb = b.data() + offsets_b[static_cast<size_t>(p)] * k * n;
    float* po = out.data() + p * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int64_t t = 0; t < k; ++t) acc += pa[i * k + t] * pb[t * n + j];
        po[i * n + j] = acc;
      }
  }
  return out.reshaped(dims->output);
}

Result<SoftmaxRows> softmax_rows(const Shape& shape, const SoftmaxParams& params) {
  const auto rank = static_cast<int64_t>(shape.size());
  auto axis = normalize_axis(params.axis, rank, params.log ? "log_softmax: axis" : "softmax: axis");
  if (!axis) return axis.error();
  SoftmaxRows rows;
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t d = shape[static_cast<size_t>(i)];
    if (i < *axis)
      rows.outer *= d;
    else if (i == *axis || params.coerce_2d)
      rows.length *= d;
    else
      rows.inner *= d;
  }
  return rows;
}

Result<Tensor> softmax(const Tensor& x, const SoftmaxParams& params) {
  auto rows = softmax_rows(x.shape(), params);
  if (!rows) return rows.error();
  // Rows of `length` values `inner` apart: outer blocks x inner offsets.
  const int64_t outer = rows->outer, length = rows->length, inner = rows->inner;
  Tensor out(x.shape());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      const int64_t base = o * length * inner + in;
      float top = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < length; ++i) top = std::max(top, x[base + i * inner]);
      float sum = 0.0f;
      for (int64_t i = 0; i < length; ++i) sum += std::exp(x[base + i * inner] - top);
      for (int64_t i = 0; i < length; ++i) {
        const float shifted = x[base + i * inner] - top;
        out[base + i * inner] = params.log ? shifted - std::log(sum) : std::exp(shifted) / sum;
      }
    }
  return out;
}

// ---- spatial ------------------------------------------------------------------

Result<Shape> global_average_pool_shape(const Shape& shape) {
  if (shape.size() < 3)
    return make_error("global_average_pool: the input ", shape_to_string(shape),
                      " needs rank 3 or more (N, C, spatial axes)");
  Shape out_shape = shape;
  int64_t plane = 1;
  for (size_t i = 2; i < out_shape.size(); ++i) {
    plane *= out_shape[i];
    out_shape[i] = 1;
  }
  if (plane == 0) return make_error("global_average_pool: the input ", shape_to_string(shape), " is empty");
  return out_shape;
}

Result<Tensor> global_average_pool(const Tensor& x) {
  auto out_shape = global_average_pool_shape(x.shape());
  if (!out_shape) return out_shape.error();
  const int64_t plane = shape_numel(Shape(x.shape().begin() + 2, x.shape().end()));
  Tensor out(*out_shape);
  for (int64_t nc = 0; nc < out.numel(); ++nc) {
    float sum = 0.0f;
    for (int64_t i = 0; i < plane; ++i) sum += x[nc * plane + i];
    out[nc] = sum / static_cast<float>(plane);
  }
  return out;
}

Result<Tensor> concat(std::span<const Tensor* const> inputs, int64_t axis) {
  if (inputs.empty()) return make_error("concat: no inputs");
  const Shape& first = inputs[0]->shape();
  auto a = normalize_axis(axis, static_cast<int64_t>(first.size()), "concat: axis");
  if (!a) return a.error();
  Shape out_shape = first;
  out_shape[static_cast<size_t>(*a)] = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Shape& s = inputs[i]->shape();
    bool agree = s.size() == first.size();
    for (size_t d = 0; agree && d < s.size(); ++d) agree = d == static_cast<size_t>(*a) || s[d] == first[d];
    if (!agree)
      return make_error("concat: input ", i + 1, " is ", shape_to_string(s), " but input 1 is ",
                        shape_to_string(first), "; all dimensions but axis ", *a, " must agree");
    out_shape[static_cast<size_t>(*a)] += s[static_cast<size_t>(*a)];
  }
  Tensor out(out_shape);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(first.size()); ++d) {
    if (d < *a) outer *= first[static_cast<size_t>(d)];
    if (d > *a) inner *= first[static_cast<size_t>(d)];
  }
  const int64_t out_block = out_shape[static_cast<size_t>(*a)] * inner;
  int64_t offset = 0;
  for (const Tensor* t : inputs) {
    const int64_t block = t->dim(static_cast<int>(*a)) * inner;
    for (int64_t o = 0; o < outer; ++o)
      std::copy_n(t->data() + o * block, block, out.data() + o * out_block + offset);
    offset += block;
  }
  return out;
}

Result<Shape> pad_shape(const Shape& shape, std::span<const int64_t> pads) {
  const size_t rank = shape.size();
  if (pads.size() != 2 * rank)
    return make_error("pad: ", pads.size(), " pads for a rank-", rank, " input; valid: ", 2 * rank,
                      " (the begin of each axis, then the end of each)");
  Shape out_shape(rank);
  for (size_t d = 0; d < rank; ++d) {
    out_shape[d] = shape[d] + pads[d] + pads[d + rank];
    if (out_shape[d] < 0)
      return make_error("pad: axis ", d, " of ", shape_to_string(shape), " padded by ", pads[d], " and ",
                        pads[d + rank], " would have ", out_shape[d], " elements; valid: 0 or more");
  }
  return out_shape;
}

Result<Tensor> pad_constant(const Tensor& x, std::span<const int64_t> pads, float value) {
  auto padded = pad_shape(x.shape(), pads);
  if (!padded) return padded.error();
  const size_t rank = x.shape().size();
  const Shape& out_shape = *padded;
  Tensor out(out_shape, value);
  const auto in_strides = strides_of(x.shape());
  const auto out_strides = strides_of(out_shape);
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < out.numel(); ++i) {
    int64_t rem = i, src = 0;
    bool inside = true;
    for (size_t d = 0; d < rank; ++d) {
      const int64_t o = rem / out_strides[d];
      rem %= out_strides[d];
      const int64_t s = o - pads[d];
      if (s < 0 || s >= x.shape()[d]) {
        inside = false;
        break;
      }
      src += s * in_strides[d];
    }
    if (inside) out[i] = x[src];
  }
  return out;
}

Result<Shape> reshape_shape(const Shape& input, std::span<const int64_t> shape, bool allow_zero) {
  Shape out(shape.begin(), shape.end());
  int64_t known = 1;
  int infer = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      if (infer >= 0)
        return make_error("reshape: the target ", shape_to_string(out), " has more than one -1");
      infer = static_cast<int>(i);
      continue;
    }
    if (out[i] == 0 && !allow_zero) {
      if (i >= input.size())
        return make_error("reshape: a 0 at position ", i, " of ", shape_to_string(out),
                          " copies a dimension the ", shape_to_string(input), " input does not have");
      out[i] = input[i];
    }
    if (out[i] < 0)
      return make_error("reshape: dimension ", out[i], " in ", shape_to_string(out),
                        "; valid: a size, 0 (copy) or one -1 (infer)");
    known *= out[i];
  }
  const int64_t total = shape_numel(input);
  if (infer >= 0) {
    if (known == 0 || total % known != 0)
      return make_error("reshape: ", shape_to_string(input), " (", total, " values) cannot be shaped as ",
                        shape_to_string(Shape(shape.begin(), shape.end())));
    out[static_cast<size_t>(infer)] = total / known;
  } else if (known != total) {
    return make_error("reshape: ", shape_to_string(input), " has ", total, " values but ",
                      shape_to_string(out), " has ", known);
  }
  return out;
}

namespace {

// Where output coordinate `x` of an axis resized from `in` to `out` samples
// the input (ONNX Resize's coordinate_transformation_mode).
// ONNX measures the output by in * scale, unrounded (with sizes given, the
// scale is out / in, so that is the output size itself).
double source_coordinate(int64_t x, int64_t in, double scale, ResizeCoordinates mode) {
  const double xd = static_cast<double>(x);
  const double out = static_cast<double>(in) * scale;
  switch (mode) {
    case ResizeCoordinates::HalfPixel:
      return (xd + 0.5) / scale - 0.5;
    case ResizeCoordinates::PytorchHalfPixel:
      return out > 1 ? (xd + 0.5) / scale - 0.5 : -0.5;
    case ResizeCoordinates::Asymmetric:
      return xd / scale;
    case ResizeCoordinates::AlignCorners:
      return out == 1 ? 0.0 : xd * static_cast<double>(in - 1) / (out - 1);
    case ResizeCoordinates::TfHalfPixelForNn:
      return (xd + 0.5) / scale;
  }
  return xd;
}

int64_t nearest_index(double x, ResizeNearest mode) {
  switch (mode) {
    case ResizeNearest::RoundPreferFloor:
      return static_cast<int64_t>(x == std::floor(x) + 0.5 ? std::floor(x) : std::round(x));
    case ResizeNearest::RoundPreferCeil:
      return static_cast<int64_t>(x == std::floor(x) + 0.5 ? std::ceil(x) : std::round(x));
    case ResizeNearest::Floor:
      return static_cast<int64_t>(std::floor(x));
    case ResizeNearest::Ceil:
      return static_cast<int64_t>(std::ceil(x));
  }
  return 0;
}

}  // namespace

Result<std::vector<std::vector<ResizeTap>>> resize_taps(const Shape& input, const Shape& output_shape,
                                                        std::span<const double> scales,
                                                        const ResizeParams& params) {
  const size_t rank = input.size();
  if (output_shape.size() != rank || scales.size() != rank)
    return make_error("resize: the output shape ", shape_to_string(output_shape), " and ", scales.size(),
                      " scales must both have the input's rank ", rank);
  CONVLAB_TRY(check_dims(output_shape, "resize: the output shape"));
  for (size_t d = 0; d < rank; ++d)
    if (!(scales[d] > 0) || !std::isfinite(scales[d]))
      return make_error("resize: scale ", scales[d], " of axis ", d, " must be a positive number");
  for (size_t d = 0; d < rank; ++d)
    if (input[d] == 0 && output_shape[d] != 0)
      return make_error("resize: axis ", d, " of the input ", shape_to_string(input), " is empty");
  std::vector<std::vector<ResizeTap>> taps(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = input[d], out = output_shape[d];
    for (int64_t o = 0; o < out; ++o) {
      const double src = source_coordinate(o, in, scales[d], params.coordinates);
      ResizeTap tap;
      if (params.mode == ResizeMode::Nearest) {
        tap.low = tap.high = std::clamp<int64_t>(nearest_index(src, params.nearest), 0, in - 1);
      } else {
        const double base = std::floor(src);
        tap.weight = src - base;
        tap.low = std::clamp<int64_t>(static_cast<int64_t>(base), 0, in - 1);
        tap.high = std::clamp<int64_t>(static_cast<int64_t>(base) + 1, 0, in - 1);
      }
      taps[d].push_back(tap);
    }
  }
  return taps;
}

Result<Tensor> resize(const Tensor& x, const Shape& output_shape, std::span<const double> scales,
                      const ResizeParams& params) {
  auto resize_plan = resize_taps(x.shape(), output_shape, scales, params);
  if (!resize_plan) return resize_plan.error();
  const std::vector<std::vector<ResizeTap>>& taps = *resize_plan;
  const size_t rank = x.shape().size();
  Tensor out(output_shape);
  const auto in_strides = strides_of(x.shape());
  const auto out_strides = strides_of(output_shape);
  std::vector<int64_t> index(rank);
  for (int64_t i = 0; i < out.numel(); ++i) {
    int64_t rem = i;
    for (size_t d = 0; d < rank; ++d) {
      index[d] = rem / out_strides[d];
      rem %= out_strides[d];
    }
    // Sum over the 2^k corners of the resized axes (k = 0 for nearest).
    double value = 0;
    const size_t corners = params.mode == ResizeMode::Linear ? (size_t{1} << rank) : 1;
    for (size_t corner = 0; corner < corners; ++corner) {
      double weight = 1;
      int64_t src = 0;
      for (size_t d = 0; d < rank; ++d) {
        const ResizeTap& tap = taps[d][static_cast<size_t>(index[d])];
        const bool high = (corner >> d) & 1;
        if (params.mode == ResizeMode::Linear) weight *= high ? tap.weight : 1.0 - tap.weight;
        src += (high ? tap.high : tap.low) * in_strides[d];
      }
      if (weight != 0) value += weight * static_cast<double>(x[src]);
    }
    out[i] = static_cast<float>(value);
  }
  return out;
}

Result<GatherDims> gather_dims(const Shape& data, std::span<const int64_t> indices,
                               const Shape& indices_shape, int64_t axis) {
  const auto rank = static_cast<int64_t>(data.size());
  auto a = normalize_axis(axis, rank, "gather: axis");
  if (!a) return a.error();
  if (shape_numel(indices_shape) != static_cast<int64_t>(indices.size()))
    return make_error("gather: ", indices.size(), " indices for the index shape ",
                      shape_to_string(indices_shape));
  GatherDims dims;
  dims.axis = *a;
  dims.rows = data[static_cast<size_t>(*a)];
  for (int64_t d = 0; d < rank; ++d) {
    if (d < *a) dims.outer *= data[static_cast<size_t>(d)];
    if (d > *a) dims.inner *= data[static_cast<size_t>(d)];
  }
  for (int64_t row : indices)
    if (row < -dims.rows || row >= dims.rows)
      return make_error("gather: index ", row, " is out of range for axis ", *a, " of ",
                        shape_to_string(data), "; valid: ", -dims.rows, " to ", dims.rows - 1);
  dims.output.assign(data.begin(), data.begin() + *a);
  dims.output.insert(dims.output.end(), indices_shape.begin(), indices_shape.end());
  dims.output.insert(dims.output.end(), data.begin() + *a + 1, data.end());
  return dims;
}

Result<Tensor> gather(const Tensor& data, std::span<const int64_t> indices, const Shape& indices_shape,
                      int64_t axis) {
  auto dims = gather_dims(data.shape(), indices, indices_shape, axis);
  if (!dims) return dims.error();
  const int64_t rows = dims->rows, outer = dims->outer, inner = dims->inner;
  Tensor out(dims->output);
  const int64_t count = static_cast<int64_t>(indices.size());
  for (int64_t i = 0; i < count; ++i) {
    int64_t row = indices[static_cast<size_t>(i)];
    if (row < 0) row += rows;
    for (int64_t o = 0; o < outer; ++o)
      std::copy_n(data.data() + (o * rows + row) * inner, inner, out.data() + (o * count + i) * inner);
  }
  return out;
}

// ---- shapes ---------------------------------------------------------------------

Result<Shape> flatten_shape(const Shape& input, int64_t axis) {
  auto a = normalize_axis(axis, static_cast<int64_t>(input.size()), "flatten: axis", true);
  if (!a) return a.error();
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < static_cast<int64_t>(input.size()); ++i)
    (i < *a ? outer : inner) *= input[static_cast<size_t>(i)];
  return Shape{outer, inner};
}

Result<Shape> gemm_shape(const Shape& a, const Shape& b, const Shape* c, const GemmParams& params) {
  auto dims = gemm_dims(a, b, c, params);
  if (!dims) return dims.error();
  return Shape{dims->m, dims->n};
}

Result<Shape> matmul_shape(const Shape& a, const Shape& b) {
  auto dims = matmul_dims(a, b);
  if (!dims) return dims.error();
  return dims->output;
}

Result<Shape> concat_shape(std::span<const Shape* const> inputs, int64_t axis) {
  if (inputs.empty()) return make_error("concat: no inputs");
  const Shape& first = *inputs[0];
  auto a = normalize_axis(axis, static_cast<int64_t>(first.size()), "concat: axis");
  if (!a) return a.error();
  Shape out = first;
  out[static_cast<size_t>(*a)] = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Shape& s = *inputs[i];
    bool agree = s.size() == first.size();
    for (size_t d = 0; agree && d < s.size(); ++d) agree = d == static_cast<size_t>(*a) || s[d] == first[d];
    if (!agree)
      return make_error("concat: input ", i + 1, " is ", shape_to_string(s), " but input 1 is ",
                        shape_to_string(first), "; all dimensions but axis ", *a, " must agree");
    out[static_cast<size_t>(*a)] += s[static_cast<size_t>(*a)];
  }
  return out;
}

Result<Shape> gather_shape(const Shape& data, const Shape& indices_shape, int64_t axis) {
  auto a = normalize_axis(axis, static_cast<int64_t>(data.size()), "gather: axis");
  if (!a) return a.error();
  Shape out(data.begin(), data.begin() + *a);
  out.insert(out.end(), indices_shape.begin(), indices_shape.end());
  out.insert(out.end(), data.begin() + *a + 1, data.end());
  return out;
}

Result<Shape> resize_shape(const Shape& input, std::span<const int64_t> sizes,
                           std::span<const double> scales) {
  if (!sizes.empty()) {
    if (sizes.size() != input.size())
      return make_error("resize: ", sizes.size(), " sizes for a rank-", input.size(),
                        " input; valid: one per axis");
    for (int64_t v : sizes)
      if (v < 1 || v > (int64_t{1} << 31))
        return make_error("resize: output size ", v, " is out of range; valid: 1 to 2^31");
    return Shape(sizes.begin(), sizes.end());
  }
  if (scales.size() != input.size())
    return make_error("resize: ", scales.size(), " scales for a rank-", input.size(),
                      " input; valid: one per axis");
  Shape out(input.size());
  for (size_t d = 0; d < input.size(); ++d) {
    const double size = std::floor(static_cast<double>(input[d]) * scales[d]);
    if (!(scales[d] > 0) || !(size >= 1) || size > static_cast<double>(int64_t{1} << 31))
      return make_error("resize: scale ", scales[d], " of axis ", d, " gives ", size,
                        " elements; valid: a positive scale giving 1 to 2^31");
    out[d] = static_cast<int64_t>(size);
  }
  return out;
}

}  // namespace convlab::reference
