// safetensors read/write (https://huggingface.co/docs/safetensors): an 8-byte
// little-endian header length, a JSON header {name: {dtype, shape,
// data_offsets}, "__metadata__": {...}}, then the raw data. Every offset and
// size is validated before use, so a malformed file yields an Error, never a
// crash or an out-of-bounds read. Files are written to a temporary name and
// renamed, so a failed write never leaves a half-written file.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/base/tensor.h"

namespace convlab {

enum class DType { F32, F16, I64, I32 };
const char* dtype_name(DType dtype);  // "F32", ...

struct StoredTensor {
  DType dtype = DType::F32;
  Shape shape;
  std::vector<uint8_t> bytes;  // little-endian, shape_numel * element size
};

class SafeTensors {
 public:
  bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
  const std::map<std::string, StoredTensor>& tensors() const { return tensors_; }
  std::map<std::string, std::string>& metadata() { return metadata_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // F32 and F16 load as float32; I32/I64 convert to float too (exact below 2^24).
  Result<Tensor> get_float(const std::string& name) const;
  // I64/I32 as int64; float types are accepted only when every value is integral.
  Result<std::vector<int64_t>> get_ints(const std::string& name, Shape* shape = nullptr) const;

  // Stores a float tensor as F32 or F16 (round to nearest even).
  void put_float(const std::string& name, const Tensor& tensor, DType dtype = DType::F32);
  void put_ints(const std::string& name, const Shape& shape, std::span<const int64_t> values,
                DType dtype = DType::I64);
  // Stores raw little-endian bytes as they are (used by the reader); bytes
  // must hold shape_numel(shape) elements of dtype, which get_* re-check.
  void put_stored(const std::string& name, StoredTensor tensor) { tensors_[name] = std::move(tensor); }

 private:
  std::map<std::string, StoredTensor> tensors_;
  std::map<std::string, std::string> metadata_;
};

// `source` names the data in error messages (usually the file path).
Result<SafeTensors> parse_safetensors(std::span<const uint8_t> bytes, const std::string& source);
Result<SafeTensors> read_safetensors(const std::string& path);
std::vector<uint8_t> serialize_safetensors(const SafeTensors& file);
Status write_safetensors(const std::string& path, const SafeTensors& file);

// Whole-file helpers shared by the readers and writers of core/io (and anyone
// exporting files): errors name the path and give the system's reason.
Result<std::vector<uint8_t>> read_file_bytes(const std::string& path);
// Writes to "path.tmp-XXXXXX" next to `path`, then renames it over `path`, so
// an existing file is either replaced whole or left untouched.
Status write_file_atomically(const std::string& path, std::span<const uint8_t> bytes);

// IEEE half <-> float conversions (round to nearest even).
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);

}  // namespace convlab
