#include "core/train/loss.h"

#include <cmath>
#include <vector>

namespace convlab::train {
namespace {

Status check_pair(const Tensor& prediction, const Tensor& target, const char* op) {
  if (prediction.shape() != target.shape())
    return make_error(op, ": the prediction has shape ", shape_to_string(prediction.shape()),
                      " but the target has shape ", shape_to_string(target.shape()), ": they must match");
  if (prediction.numel() == 0) return make_error(op, ": the prediction has no values");
  return {};
}

// The per-pixel weights of chroma_weighted_loss, (N, 1, H, W) flattened, and
// their sum over every value of the prediction (each weight counts for a and b).
struct ChromaWeights {
  std::vector<float> w;
  double sum = 0;
};

Result<ChromaWeights> chroma_weights(const Tensor& prediction, const Tensor& target, float chroma_weight,
                                     const char* op) {
  CONVLAB_TRY(check_pair(prediction, target, op));
  if (target.rank() != 4 || target.c() != 2)
    return make_error(op, ": the target has shape ", shape_to_string(target.shape()),
                      " but must be (N, 2, H, W): the a and b channels");
  if (!(chroma_weight >= 0.0f) || !std::isfinite(chroma_weight))
    return make_error(op, ": the chroma weight is ", chroma_weight, " but must be a finite number >= 0");
  const int64_t plane = target.h() * target.w();
  ChromaWeights out;
  out.w.resize(static_cast<size_t>(target.n() * plane));
  for (int64_t n = 0; n < target.n(); ++n)
    for (int64_t i = 0; i < plane; ++i) {
      const float a = target[(n * 2) * plane + i], b = target[(n * 2 + 1) * plane + i];
      const float w = 1.0f + chroma_weight * std::sqrt(a * a + b * b) / 100.0f;
      out.w[static_cast<size_t>(n * plane + i)] = w;
      out.sum += 2.0 * w;
    }
  return out;
}

// The weight of flat index i of an (N, 2, H, W) tensor.
float weight_at(const ChromaWeights& weights, int64_t i, int64_t plane) {
  return weights.w[static_cast<size_t>((i / (2 * plane)) * plane + i % plane)];
}

}  // namespace

Result<float> chroma_weighted_loss(const Tensor& prediction, const Tensor& target, float chroma_weight) {
  auto weights = chroma_weights(prediction, target, chroma_weight, "chroma_weighted_loss");
  if (!weights) return weights.error();
  const int64_t plane = target.h() * target.w();
  double sum = 0.0;
  for (int64_t i = 0; i < prediction.numel(); ++i) {
    const double d = static_cast<double>(prediction[i]) - target[i];
    sum += weight_at(*weights, i, plane) * d * d;
  }
  return static_cast<float>(sum / weights->sum);
}

Result<Tensor> chroma_weighted_loss_backward(const Tensor& prediction, const Tensor& target,
                                             float chroma_weight, float grad_loss) {
  auto weights = chroma_weights(prediction, target, chroma_weight, "chroma_weighted_loss backward");
  if (!weights) return weights.error();
  const int64_t plane = target.h() * target.w();
  const auto norm = static_cast<float>(2.0 / weights->sum);
  Tensor grad(prediction.shape());
  for (int64_t i = 0; i < prediction.numel(); ++i)
    grad[i] = norm * weight_at(*weights, i, plane) * (prediction[i] - target[i]) * grad_loss;
  return grad;
}

Result<float> mse_loss(const Tensor& prediction, const Tensor& target) {
  CONVLAB_TRY(check_pair(prediction, target, "mse_loss"));
  double sum = 0.0;
  for (int64_t i = 0; i < prediction.numel(); ++i) {
    const double d = static_cast<double>(prediction[i]) - target[i];
    sum += d * d;
  }
  return static_cast<float>(sum / static_cast<double>(prediction.numel()));
}

Result<Tensor> mse_loss_backward(const Tensor& prediction, const Tensor& target, float grad_loss) {
  CONVLAB_TRY(check_pair(prediction, target, "mse_loss backward"));
  const auto norm = static_cast<float>(2.0 / static_cast<double>(prediction.numel()));
  Tensor grad(prediction.shape());
  for (int64_t i = 0; i < prediction.numel(); ++i) grad[i] = norm * (prediction[i] - target[i]) * grad_loss;
  return grad;
}

}  // namespace convlab::train
