// Reading named tensors from a user's .safetensors file for `trace` and `op`,
// with errors that say which names the file has and which were needed.
#pragma once

#include <optional>
#include <string>

#include "core/base/tensor.h"
#include "core/io/safetensors.h"

namespace convlab::cli {

class TensorFile {
 public:
  // `needs` describes what the command reads, for error messages, e.g.
  // "input (N,C,H,W), weight (O,C,KH,KW), optional bias (O)".
  static Result<TensorFile> open(const std::string& path, std::string needs);

  Result<Tensor> get(const std::string& name) const;
  // nullopt when absent; an error only when present but unreadable.
  Result<std::optional<Tensor>> get_optional(const std::string& name) const;
  Result<std::vector<int64_t>> get_ints(const std::string& name) const;
  const std::string& path() const { return path_; }
  // "a, b, c" or "(none)".
  std::string names() const;

 private:
  std::string path_;
  std::string needs_;
  SafeTensors file_;
};

}  // namespace convlab::cli
