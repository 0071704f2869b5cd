// ReLU, channel concat and the embedding broadcast of training: the same
// values as reference.h (whose checks and messages they reuse), with the
// copying shared between threads.
#include <algorithm>
#include <cstring>

#include "core/ops/reference.h"
#include "core/train/elementwise.h"
#include "core/train/forward.h"

namespace convlab::train {

Tensor relu(const Tensor& input) {
  Tensor output(input.shape());
  const float* x = input.data();
  float* y = output.data();
  detail::parallel_values(input.numel(), [&](int64_t begin, int64_t end) {
    detail::relu_values(x + begin, y + begin, end - begin);
  });
  return output;
}

Result<Tensor> concat_channels(std::span<const Tensor* const> inputs) {
  if (inputs.empty()) return make_error("concat needs at least one input tensor");
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i] == nullptr) return make_error("concat input ", i, " is missing");
    if (inputs[i]->rank() != 4 || inputs[i]->numel() == 0)
      return make_error("concat input ", i, " must have shape (N, C, H, W) with values, got ",
                        shape_to_string(inputs[i]->shape()));
  }
  const Tensor& first = *inputs[0];
  int64_t channels = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = *inputs[i];
    if (t.n() != first.n() || t.h() != first.h() || t.w() != first.w())
      return make_error("concat input ", i, " has shape ", shape_to_string(t.shape()), " but input 0 has ",
                        shape_to_string(first.shape()), ": N, H and W must agree");
    channels += t.c();
  }
  Tensor output({first.n(), channels, first.h(), first.w()});
  const int64_t plane = first.h() * first.w();
  detail::parallel_items(first.n(), channels * plane, [&](int64_t n) {
    float* dst = output.data() + output.offset(n, 0, 0, 0);
    for (const Tensor* t : inputs) {
      const int64_t block = t->c() * plane;
      std::memcpy(dst, t->data() + n * block, static_cast<size_t>(block) * sizeof(float));
      dst += block;
    }
  });
  return output;
}

Result<Tensor> embed_broadcast(const Tensor& table, std::span<const int64_t> categories, int64_t height,
                               int64_t width) {
  // One row broadcast to check every argument with reference.h's messages.
  if (categories.empty()) return reference::embed_broadcast(table, categories, height, width);
  CONVLAB_TRY(reference::embed_broadcast(table, categories, 1, 1));
  if (height < 1 || width < 1) return reference::embed_broadcast(table, categories, height, width);
  const int64_t dim = table.dim(1), plane = height * width;
  Tensor output({static_cast<int64_t>(categories.size()), dim, height, width});
  detail::parallel_items(output.n(), dim * plane, [&](int64_t n) {
    for (int64_t d = 0; d < dim; ++d) {
      float* dst = output.data() + output.offset(n, d, 0, 0);
      std::fill(dst, dst + plane, table[categories[static_cast<size_t>(n)] * dim + d]);
    }
  });
  return output;
}

}  // namespace convlab::train
