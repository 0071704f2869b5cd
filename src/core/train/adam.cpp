#include "core/train/adam.h"

#include <cmath>
#include <set>

#include "core/fast/parallel.h"

namespace convlab::train {
namespace {

constexpr int64_t kMinParallelValues = int64_t{1} << 16;

Status check_options(const AdamOptions& o) {
  if (!(o.lr >= 0.0) || !std::isfinite(o.lr)) return make_error("Adam: lr is ", o.lr, ", must be >= 0");
  if (!(o.beta1 >= 0.0 && o.beta1 < 1.0) || !(o.beta2 >= 0.0 && o.beta2 < 1.0))
    return make_error("Adam: betas are (", o.beta1, ", ", o.beta2, "), each must be in [0, 1)");
  if (!(o.eps >= 0.0)) return make_error("Adam: eps is ", o.eps, ", must be >= 0 (PyTorch uses 1e-8)");
  if (!(o.weight_decay >= 0.0)) return make_error("Adam: weight_decay is ", o.weight_decay, ", must be >= 0");
  return {};
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

Status Adam::step(TensorMap& parameters, const TensorMap& gradients) {
  CONVLAB_TRY(check_options(options_));
  for (const auto& [name, grad] : gradients) {
    auto it = parameters.find(name);
    if (it == parameters.end())
      return make_error("Adam: there is a gradient for ", name, " but no such parameter");
    CONVLAB_TRY(expect_shape(grad, it->second.shape(), "Adam: gradient of " + name));
    auto state = state_.find(name);
    if (state != state_.end() && state->second.exp_avg.shape() != it->second.shape())
      return make_error("Adam: the state of ", name, " has shape ",
                        shape_to_string(state->second.exp_avg.shape()), " but the parameter has shape ",
                        shape_to_string(it->second.shape()),
                        ": load a matching optimizer state or start a new one");
  }
  // PyTorch passes the Python floats to float kernels: each scalar is
  // rounded to float once, the bias corrections in double before that.
  const auto beta1 = static_cast<float>(options_.beta1);
  const auto beta2 = static_cast<float>(options_.beta2);
  const auto one_minus_beta1 = static_cast<float>(1.0 - options_.beta1);
  const auto one_minus_beta2 = static_cast<float>(1.0 - options_.beta2);
  const auto eps = static_cast<float>(options_.eps);
  const auto decay = static_cast<float>(options_.weight_decay);
  for (const auto& [name, grad] : gradients) {
    Tensor& param = parameters.at(name);
    State& s = state_[name];
    if (s.step == 0) {  // PyTorch's lazy state: zeros at the first step
      s.exp_avg = Tensor(param.shape());
      s.exp_avg_sq = Tensor(param.shape());
    }
    ++s.step;
    const double t = static_cast<double>(s.step);
    const double bias_correction1 = 1.0 - std::pow(options_.beta1, t);
    const double bias_correction2 = 1.0 - std::pow(options_.beta2, t);
    const auto neg_step_size = static_cast<float>(-(options_.lr / bias_correction1));
    const auto bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    float* p = param.data();
    float* m = s.exp_avg.data();
    float* v = s.exp_avg_sq.data();
    const float* g = grad.data();
    fast::detail::parallel_for(param.numel(), kMinParallelValues, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const float gi = decay != 0.0f ? g[i] + decay * p[i] : g[i];
        m[i] = m[i] * beta1 + one_minus_beta1 * gi;       // exp_avg.mul_().add_(alpha=)
        v[i] = v[i] * beta2 + one_minus_beta2 * gi * gi;  // exp_avg_sq.mul_().addcmul_()
        const float denom = std::sqrt(v[i]) / bias_correction2_sqrt + eps;
        p[i] = p[i] + neg_step_size * m[i] / denom;  // param.addcdiv_()
      }
    });
  }
  return {};
}

int64_t Adam::step_count(const std::string& name) const {
  auto it = state_.find(name);
  return it == state_.end() ? 0 : it->second.step;
}

TensorMap Adam::state_tensors() const {
  TensorMap out;
  for (const auto& [name, s] : state_) {
    out[name + ".exp_avg"] = s.exp_avg;
    out[name + ".exp_avg_sq"] = s.exp_avg_sq;
    out[name + ".step"] = Tensor(Shape{}, static_cast<float>(s.step));
  }
  return out;
}

Status Adam::load_state_tensors(const TensorMap& tensors) {
  std::map<std::string, State> loaded;
  std::set<std::string> used;
  for (const auto& [key, tensor] : tensors) {
    if (!ends_with(key, ".step")) continue;
    const std::string name = key.substr(0, key.size() - 5);
    if (tensor.numel() != 1)
      return make_error("Adam state: ", key, " has shape ", shape_to_string(tensor.shape()),
                        ", expected a scalar step count");
    const float step = tensor[0];
    if (!(step >= 1.0f) || step != std::floor(step) || step > 16777216.0f)
      return make_error("Adam state: ", key, " is ", step, ", expected a whole number of steps >= 1");
    auto m = tensors.find(name + ".exp_avg");
    auto v = tensors.find(name + ".exp_avg_sq");
    if (m == tensors.end() || v == tensors.end())
      return make_error("Adam state: ", key, " has no ",
                        m == tensors.end() ? name + ".exp_avg" : name + ".exp_avg_sq",
                        " next to it (each parameter needs .exp_avg, .exp_avg_sq and .step)");
    if (m->second.shape() != v->second.shape())
      return make_error("Adam state: ", name, ".exp_avg has shape ", shape_to_string(m->second.shape()),
                        " but ", name, ".exp_avg_sq has shape ", shape_to_string(v->second.shape()),
                        ": they must match");
    loaded[name] = State{m->second, v->second, static_cast<int64_t>(step)};
    used.insert({key, m->first, v->first});
  }
  for (const auto& [key, tensor] : tensors)
    if (!used.count(key))
      return make_error("Adam state: ", key, " belongs to no parameter (each needs <name>.exp_avg, ",
                        "<name>.exp_avg_sq and <name>.step)");
  state_ = std::move(loaded);
  return {};
}

}  // namespace convlab::train
