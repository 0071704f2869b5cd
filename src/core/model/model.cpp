// Model weights: load (checked against the graph), save, and deterministic
// random weights that match tests/golden/ecnn_random.py value for value.
#include "core/model/model.h"

#include <cmath>
#include <set>
#include <sstream>

#include "core/base/i18n.h"
namespace convlab {
namespace {

bool is_float(DType d) { return d == DType::F32 || d == DType::F16; }
bool is_integer(DType d) { return d == DType::I64 || d == DType::I32; }

// num_batches_tracked is a scalar; a one-element vector is accepted too.
bool shape_fits(const WeightSpec& spec, const Shape& shape) {
  if (spec.integer) return shape_numel(shape) == 1 && shape.size() <= 1;
  return shape == spec.shape;
}

std::string shape_text(const Shape& shape) {
  return shape.empty() ? std::string(tr("scalar")) : shape_to_string(shape);
}

// Collects the problems of one file, then words them as one message.
struct WeightProblems {
  std::vector<std::string> missing, extra, misshaped, wrong_dtype;

  bool empty() const { return missing.empty() && extra.empty() && misshaped.empty() && wrong_dtype.empty(); }

  std::string message() const {
    std::ostringstream out;
    const auto list = [&](const char* what, const std::vector<std::string>& items) {
      if (items.empty()) return;
      out << "\n  " << format(tr("%zu %s: "), items.size(), tr(what));
      for (size_t i = 0; i < items.size(); ++i) out << (i ? ", " : "") << items[i];
    };
    // TRANSLATORS: counted tensors of a weights file, in "%zu %s: " ("3 missing: ...").
    list(tr_noop("missing"), missing);
    list(tr_noop("extra (not in the model)"), extra);
    list(tr_noop("with the wrong shape"), misshaped);
    list(tr_noop("with the wrong dtype"), wrong_dtype);
    return out.str();
  }
};

WeightProblems find_problems(const std::vector<WeightSpec>& specs, const SafeTensors& file) {
  WeightProblems problems;
  std::set<std::string> expected;
  for (const auto& spec : specs) {
    expected.insert(spec.name);
    auto it = file.tensors().find(spec.name);
    if (it == file.tensors().end()) {
      problems.missing.push_back(spec.name + " (" + shape_text(spec.shape) + ")");
      continue;
    }
    const StoredTensor& stored = it->second;
    if (spec.integer ? !is_integer(stored.dtype) : !is_float(stored.dtype))
      problems.wrong_dtype.push_back(format(tr("%s is %s, expected %s"), spec.name.c_str(),
                                            dtype_name(stored.dtype),
                                            spec.integer ? tr("I64 or I32") : tr("F32 or F16")));
    if (!shape_fits(spec, stored.shape))
      problems.misshaped.push_back(format(tr("%s is %s, expected %s"), spec.name.c_str(),
                                          shape_text(stored.shape).c_str(), shape_text(spec.shape).c_str()));
  }
  for (const auto& [name, stored] : file.tensors())
    if (!expected.count(name)) problems.extra.push_back(name + " (" + shape_text(stored.shape) + ")");
  return problems;
}

// --- deterministic random weights (formula: see model.h / ecnn_random.py) ---

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

uint64_t splitmix64(uint64_t x) {
  x += kGolden;
  uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t fnv1a64(const std::string& text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char byte : text) {
    h ^= byte;
    h *= 0x100000001B3ULL;
  }
  return h;
}

// value = offset + scale * (symmetric ? 2u - 1 : u), in double, rounded once.
struct Recipe {
  double offset = 0.0;
  double scale = 1.0;
  bool symmetric = true;
};

Tensor random_tensor(const std::string& name, const Shape& shape, const Recipe& recipe, uint64_t seed) {
  Tensor t(shape);
  const uint64_t base = seed ^ fnv1a64(name);
  for (int64_t i = 0; i < t.numel(); ++i) {
    const uint64_t bits = splitmix64(base ^ (static_cast<uint64_t>(i) * kGolden));
    const double u = static_cast<double>(bits >> 40) * 0x1p-24;
    // Same operation order as ecnn_random.py so both round identically.
    const double v = recipe.symmetric ? (2.0 * u - 1.0) * recipe.scale : recipe.offset + recipe.scale * u;
    t[i] = static_cast<float>(v);
  }
  return t;
}

Recipe conv_weight_recipe(const Shape& shape) {
  const double fan_in = static_cast<double>(shape[1] * shape[2] * shape[3]);
  return {0.0, (1.0 / std::sqrt(fan_in)) * std::sqrt(3.0), true};
}

// The recipe of one expected tensor, from the op of the node that owns it.
Recipe recipe_for(const GraphNode& node, const std::string& field, const Shape& shape) {
  switch (node.op) {
    case OpKind::Conv2d:
    case OpKind::ConvTranspose2d:
      return field == "weight" ? conv_weight_recipe(shape) : Recipe{0.0, 0.1, true};
    case OpKind::BatchNorm2d:
      if (field == "weight") return {0.75, 0.5, false};
      if (field == "running_var") return {0.5, 1.0, false};
      return {0.0, 0.2, true};  // bias, running_mean
    default:
      return {0.0, 1.0, true};  // embedding table
  }
}

}  // namespace

Result<Model> model_from_safetensors(const Graph& graph, const SafeTensors& file, const std::string& source) {
  const auto specs = graph.expected_weights();
  const WeightProblems problems = find_problems(specs, file);
  if (!problems.empty()) {
    if (auto it = file.metadata().find("arch"); it != file.metadata().end() && it->second != graph.name())
      return Error{format(tr("%s: these weights do not fit the %s model (the file says arch=%s):%s"),
                          source.c_str(), graph.name().c_str(), it->second.c_str(),
                          problems.message().c_str())};
    return Error{format(tr("%s: these weights do not fit the %s model:%s"), source.c_str(),
                        graph.name().c_str(), problems.message().c_str())};
  }
  Model model{graph, {}, 0};
  for (const auto& spec : specs) {
    if (spec.integer) {
      auto count = file.get_ints(spec.name);
      if (!count) return with_context(source + ": " + spec.name + ": ", count.error());
      model.num_batches_tracked = std::max(model.num_batches_tracked, count->at(0));
      continue;
    }
    auto tensor = file.get_float(spec.name);
    if (!tensor) return with_context(source + ": " + spec.name + ": ", tensor.error());
    model.weights.emplace(spec.name, std::move(tensor).value());
  }
  return model;
}

Result<Model> load_model(const Graph& graph, const std::string& weights_path) {
  auto file = read_safetensors(weights_path);
  if (!file) return file.error();
  return model_from_safetensors(graph, *file, weights_path);
}

Status save_model(const Model& model, const std::string& path, DType dtype) {
  if (!is_float(dtype))
    return make_error(path, ": weights can be saved as F32 or F16, not ", dtype_name(dtype));
  SafeTensors file;
  for (const auto& spec : model.graph.expected_weights()) {
    if (spec.integer) {
      const int64_t count = model.num_batches_tracked;
      file.put_ints(spec.name, {}, std::span<const int64_t>(&count, 1), DType::I64);
      continue;
    }
    auto it = model.weights.find(spec.name);
    if (it == model.weights.end())
      return make_error(path, ": the model has no tensor ", spec.name, " to save");
    CONVLAB_TRY(expect_shape(it->second, spec.shape, spec.name));
    file.put_float(spec.name, it->second, dtype);
  }
  file.metadata()["format"] = "pt";
  file.metadata()["arch"] = model.graph.name();
  return write_safetensors(path, file);
}

Model random_model(const Graph& graph, uint64_t seed) {
  Model model{graph, {}, 0};
  const auto specs = graph.expected_weights();
  for (const auto& node : graph.nodes()) {
    if (node.weights.empty()) continue;
    for (const auto& spec : specs) {
      // Tensors of this node: "<prefix>.<field>"; shared tables are made once.
      if (spec.integer || spec.name.rfind(node.weights + ".", 0) != 0 || model.weights.count(spec.name))
        continue;
      const std::string field = spec.name.substr(node.weights.size() + 1);
      model.weights.emplace(spec.name,
                            random_tensor(spec.name, spec.shape, recipe_for(node, field, spec.shape), seed));
    }
  }
  return model;
}

}  // namespace convlab
