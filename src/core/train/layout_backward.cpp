// Gradients of the ops that only move or mask values: ReLU, channel concat,
// and the category embedding's broadcast.
#include <cstring>
#include <string>

#include "core/train/backward.h"
#include "core/train/elementwise.h"

namespace convlab::train {

Result<Tensor> relu_backward(const Tensor& output, const Tensor& grad_output) {
  CONVLAB_TRY(expect_shape(grad_output, output.shape(), "relu backward: grad_output"));
  Tensor grad(output.shape());
  const float* y = output.data();
  const float* dy = grad_output.data();
  float* dx = grad.data();
  detail::parallel_values(output.numel(), [&](int64_t begin, int64_t end) {
    detail::relu_backward_values(y + begin, dy + begin, dx + begin, end - begin);
  });
  return grad;
}

Result<std::vector<Tensor>> concat_channels_backward(const Tensor& grad_output,
                                                     std::span<const int64_t> channels) {
  if (grad_output.rank() != 4)
    return make_error("concat backward: grad_output must have shape (N, C, H, W), got ",
                      shape_to_string(grad_output.shape()));
  int64_t total = 0;
  for (size_t i = 0; i < channels.size(); ++i) {
    if (channels[i] < 1)
      return make_error("concat backward: input ", i, " has ", channels[i], " channels, must be >= 1");
    total += channels[i];
  }
  if (total != grad_output.c())
    return make_error("concat backward: the inputs have ", total, " channels in all but grad_output ",
                      shape_to_string(grad_output.shape()), " has ", grad_output.c());
  const int64_t plane = grad_output.h() * grad_output.w();
  std::vector<Tensor> grads;
  int64_t offset = 0;
  for (const int64_t c : channels) {
    Tensor part({grad_output.n(), c, grad_output.h(), grad_output.w()});
    detail::parallel_items(grad_output.n(), c * plane, [&](int64_t n) {
      std::memcpy(part.data() + n * c * plane, grad_output.data() + grad_output.offset(n, offset, 0, 0),
                  static_cast<size_t>(c * plane) * sizeof(float));
    });
    grads.push_back(std::move(part));
    offset += c;
  }
  return grads;
}

Result<Tensor> embed_broadcast_backward(const Tensor& grad_output, std::span<const int64_t> categories,
                                        int64_t rows) {
  if (grad_output.rank() != 4)
    return make_error("embed backward: grad_output must have shape (N, dim, H, W), got ",
                      shape_to_string(grad_output.shape()));
  if (static_cast<int64_t>(categories.size()) != grad_output.n())
    return make_error("embed backward: ", categories.size(), " categories for grad_output ",
                      shape_to_string(grad_output.shape()), ": need one per image (", grad_output.n(), ")");
  if (rows < 1) return make_error("embed backward: the table has ", rows, " rows, must be >= 1");
  const int64_t dim = grad_output.c();
  const int64_t plane = grad_output.h() * grad_output.w();
  for (size_t n = 0; n < categories.size(); ++n)
    if (categories[n] < 0 || categories[n] >= rows)
      return make_error("embed backward: category ", categories[n], " (image ", n,
                        ") is outside the table's ", rows, " rows: use 0..", rows - 1);
  // Each plane summed in double (threads share the planes), then added to
  // its row in image order: the result does not depend on the threads.
  std::vector<double> plane_sums(static_cast<size_t>(grad_output.n() * dim));
  detail::parallel_items(grad_output.n() * dim, plane, [&](int64_t i) {
    const float* p = grad_output.data() + i * plane;
    double s[4] = {0.0, 0.0, 0.0, 0.0};  // independent chains, fixed order
    int64_t j = 0;
    for (; j + 4 <= plane; j += 4)
      for (int k = 0; k < 4; ++k) s[k] += p[j + k];
    for (; j < plane; ++j) s[0] += p[j];
    plane_sums[static_cast<size_t>(i)] = (s[0] + s[1]) + (s[2] + s[3]);
  });
  std::vector<double> sums(static_cast<size_t>(rows * dim), 0.0);
  for (int64_t n = 0; n < grad_output.n(); ++n)
    for (int64_t d = 0; d < dim; ++d)
      sums[static_cast<size_t>(categories[static_cast<size_t>(n)] * dim + d)] +=
          plane_sums[static_cast<size_t>(n * dim + d)];
  Tensor grad({rows, dim});
  for (int64_t i = 0; i < rows * dim; ++i) grad[i] = static_cast<float>(sums[static_cast<size_t>(i)]);
  return grad;
}

}  // namespace convlab::train
