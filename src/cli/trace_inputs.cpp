#include "cli/trace_inputs.h"

#include <cmath>

#include "cli/cli_common.h"

namespace convlab::cli {

namespace {

// splitmix64: tiny, portable and the same everywhere, unlike std::
// distributions whose output differs between standard libraries.
uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// One decimal in [-1, 1]: 21 values, easy to multiply in your head.
float random_tenth(uint64_t seed, uint64_t stream, uint64_t index) {
  const uint64_t r = splitmix64(seed ^ splitmix64(stream * 0x100000001B3ULL + index));
  return static_cast<float>(static_cast<int>(r % 21) - 10) / 10.0f;
}

}  // namespace

Result<Tensor> make_tensor(const Shape& shape, const std::string& spec, std::string_view setting,
                           uint64_t seed, uint64_t stream, WeightLayout layout) {
  Tensor t(shape);
  const int64_t count = t.numel();
  const bool kernel = layout != WeightLayout::None;
  if (spec == "ramp") {
    for (int64_t i = 0; i < count; ++i) t[i] = static_cast<float>(i);
  } else if (spec == "ones") {
    for (int64_t i = 0; i < count; ++i) t[i] = 1.0f;
  } else if (spec == "random") {
    for (int64_t i = 0; i < count; ++i) t[i] = random_tenth(seed, stream, static_cast<uint64_t>(i));
  } else if (kernel && spec == "box") {
    // The mean over the whole receptive field (all input channels).
    const int64_t field = shape[1] * shape[2] * shape[3];
    for (int64_t i = 0; i < count; ++i) t[i] = 1.0f / static_cast<float>(field);
  } else if (kernel && spec == "identity") {
    // Output channel o copies input channel o % C through the kernel centre.
    const bool out_first = layout == WeightLayout::OutIn;
    const int64_t outs = out_first ? shape[0] : shape[1];
    const int64_t ins = out_first ? shape[1] : shape[0];
    const int64_t cy = (shape[2] - 1) / 2, cx = (shape[3] - 1) / 2;
    for (int64_t o = 0; o < outs; ++o) {
      const int64_t c = o % ins;
      const int64_t a = out_first ? o : c, b = out_first ? c : o;
      t[((a * shape[1] + b) * shape[2] + cy) * shape[3] + cx] = 1.0f;
    }
  } else if (!spec.empty() && (std::isdigit(static_cast<unsigned char>(spec[0])) || spec[0] == '-' ||
                               spec[0] == '+' || spec[0] == '.')) {
    auto values = parse_float_list(spec, setting);
    if (!values) return values.error();
    if (static_cast<int64_t>(values->size()) != count)
      return make_error(setting, ": ", values->size(), " values given but shape ", shape_to_string(shape),
                        " needs ", count, " (row-major order)");
    for (int64_t i = 0; i < count; ++i) t[i] = (*values)[static_cast<size_t>(i)];
  } else {
    return make_error(setting, ": '", spec, "' is not a value pattern; valid: ramp, random, ones, ",
                      kernel ? "identity, box, " : "", "or a comma-separated list v1,v2,...");
  }
  return t;
}

Result<Tensor> per_channel(const std::string& spec, int64_t channels, std::string_view setting) {
  auto values = parse_float_list(spec, setting);
  if (!values) return values.error();
  if (values->size() == 1) return Tensor({channels}, values->front());
  if (static_cast<int64_t>(values->size()) != channels)
    return make_error(setting, ": ", values->size(), " values given; give 1 (for every channel) or ",
                      channels, " (one per channel)");
  return Tensor::from_data({channels}, std::move(values).value());
}

}  // namespace convlab::cli
