// Adam, exactly as torch.optim.Adam (PyTorch 1.13, foreach=False, amsgrad
// off, maximize off). Per parameter, with g its gradient and t its step
// count (counted per parameter, starting at 1):
//   g   += weight_decay * p                       (only when weight_decay != 0)
//   m    = beta1 * m + (1 - beta1) * g             exp_avg
//   v    = beta2 * v + (1 - beta2) * g * g         exp_avg_sq
//   p   -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// The bias corrections are computed in double (Python floats in PyTorch),
// the per-element arithmetic in float in PyTorch's operation order.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/base/tensor.h"

namespace convlab::train {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
};

using TensorMap = std::map<std::string, Tensor>;

class Adam {
 public:
  explicit Adam(AdamOptions options = {}) : options_(options) {}

  const AdamOptions& options() const { return options_; }
  void set_lr(double lr) { options_.lr = lr; }

  // Updates every parameter that has a gradient (others keep their value
  // and step count, as PyTorch skips parameters whose grad is None). Every
  // gradient is checked (a parameter of that name and shape) before any
  // parameter changes.
  Status step(TensorMap& parameters, const TensorMap& gradients);

  // Steps taken by one parameter (0 before its first).
  int64_t step_count(const std::string& name) const;

  // Checkpoint form, per parameter: "<name>.exp_avg", "<name>.exp_avg_sq"
  // (the parameter's shape) and "<name>.step" (a float scalar, as PyTorch
  // >= 1.12 keeps it).
  TensorMap state_tensors() const;
  // Replaces the state with one saved by state_tensors(); the whole map is
  // checked first, so a bad one leaves the optimizer as it was.
  Status load_state_tensors(const TensorMap& tensors);

 private:
  struct State {
    Tensor exp_avg;
    Tensor exp_avg_sq;
    int64_t step = 0;
  };
  AdamOptions options_;
  std::map<std::string, State> state_;
};

}  // namespace convlab::train
