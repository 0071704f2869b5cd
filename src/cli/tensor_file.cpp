#include "cli/tensor_file.h"

namespace convlab::cli {

Result<TensorFile> TensorFile::open(const std::string& path, std::string needs) {
  auto file = read_safetensors(path);
  if (!file) {
    // The io layer names the file already; add what we needed it for.
    return make_error(file.message(), " (expected a .safetensors file with ", needs, ")");
  }
  TensorFile result;
  result.path_ = path;
  result.needs_ = std::move(needs);
  result.file_ = std::move(file).value();
  return result;
}

std::string TensorFile::names() const {
  std::string list;
  for (const auto& [name, stored] : file_.tensors()) {
    if (!list.empty()) list += ", ";
    list += name + " (" + shape_to_string(stored.shape) + " " + dtype_name(stored.dtype) + ")";
  }
  return list.empty() ? "(none)" : list;
}

Result<Tensor> TensorFile::get(const std::string& name) const {
  if (!file_.contains(name))
    return make_error(path_, ": missing tensor '", name, "'; needed: ", needs_, "; the file has: ", names());
  auto tensor = file_.get_float(name);
  if (!tensor) return with_context(path_ + ": tensor '" + name + "': ", tensor.error());
  return tensor;
}

Result<std::optional<Tensor>> TensorFile::get_optional(const std::string& name) const {
  if (!file_.contains(name)) return std::optional<Tensor>();
  auto tensor = get(name);
  if (!tensor) return tensor.error();
  return std::optional<Tensor>(std::move(tensor).value());
}

Result<std::vector<int64_t>> TensorFile::get_ints(const std::string& name) const {
  if (!file_.contains(name))
    return make_error(path_, ": missing tensor '", name, "'; needed: ", needs_, "; the file has: ", names());
  auto values = file_.get_ints(name);
  if (!values) return with_context(path_ + ": tensor '" + name + "': ", values.error());
  return values;
}

}  // namespace convlab::cli
