#include "core/train/loss.h"

namespace convlab::train {
namespace {

Status check_pair(const Tensor& prediction, const Tensor& target, const char* op) {
  if (prediction.shape() != target.shape())
    return make_error(op, ": the prediction has shape ", shape_to_string(prediction.shape()),
                      " but the target has shape ", shape_to_string(target.shape()), ": they must match");
  if (prediction.numel() == 0) return make_error(op, ": the prediction has no values");
  return {};
}

}  // namespace

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
