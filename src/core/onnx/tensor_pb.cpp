// ONNX TensorProto <-> Tensor: initializers (inline or in external data
// files), Constant values, and the .pb files of ONNX's test data.
#include "core/onnx/tensor_pb.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/io/safetensors.h"
#include "core/onnx/onnx_graph.h"

namespace convlab::onnx_model {

namespace {

constexpr int64_t kMaxDimension = (int64_t{1} << 31) - 1;
constexpr int64_t kMaxElements = int64_t{1} << 31;  // 8 GiB of float32: far above any CNN's tensor
constexpr double kExactInFloat = 16777216.0;        // 2^24: integers float32 holds exactly

size_t element_size(int type) {
  switch (type) {
    case onnx::TensorProto::FLOAT:
      return 4;
    case onnx::TensorProto::DOUBLE:
      return 8;
    case onnx::TensorProto::FLOAT16:
      return 2;
    case onnx::TensorProto::INT64:
      return 8;
    case onnx::TensorProto::INT32:
      return 4;
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::BOOL:
      return 1;
    default:
      return 0;
  }
}

const char* type_name(int type) {
  return onnx::TensorProto::DataType_IsValid(type)
             ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(type)).c_str()
             : "unknown";
}

// IEEE half to float.
float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  float value;
  if (exponent == 0)
    value = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31)
    value = mantissa ? NAN : INFINITY;
  else
    value = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  return sign ? -value : value;
}

// Bytes of an external data file: location relative to the model's folder,
// never outside it; offset and length as the proto says.
Result<std::string> external_bytes(const onnx::TensorProto& t, const std::string& base_dir,
                                   const std::string& what) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& entry : t.external_data()) {
    try {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset")
        offset = std::stoll(entry.value());
      else if (entry.key() == "length")
        length = std::stoll(entry.value());
    } catch (const std::exception&) {
      return make_error(what, ": external data ", entry.key(), " = \"", entry.value(), "\" is not a number");
    }
  }
  namespace fs = std::filesystem;
  const fs::path relative(location);
  if (location.empty() || relative.is_absolute() || relative.lexically_normal().string().rfind("..", 0) == 0)
    return make_error(what, ": external data location \"", location,
                      "\" must be a file name relative to the model's folder");
  const fs::path file = fs::path(base_dir.empty() ? "." : base_dir) / relative;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return make_error(what, ": its external data file ", file.string(),
                      " is missing (keep it beside the model, as the exporter wrote it)");
  in.seekg(0, std::ios::end);
  const int64_t size = static_cast<int64_t>(in.tellg());
  if (length < 0) length = size - offset;
  if (offset < 0 || length < 0 || offset + length > size)
    return make_error(what, ": external data offset ", offset, " and length ", length, " lie outside ",
                      file.string(), " (", size, " bytes)");
  std::string bytes(static_cast<size_t>(length), '\0');
  in.seekg(offset);
  in.read(bytes.data(), length);
  if (!in) return make_error(what, ": cannot read ", length, " bytes of ", file.string());
  return bytes;
}

}  // namespace

Result<Tensor> tensor_from_proto(const onnx::TensorProto& t, const std::string& base_dir,
                                 const std::string& what) {
  Shape shape;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || d > kMaxDimension)
      return make_error(what, ": dimension ", d, " is out of range; valid: 0 to 2^31-1");
    shape.push_back(d);
    count *= d;
    if (count > kMaxElements)
      return make_error(what, ": more than 2^31 values; ConvLab holds up to 2^31 per tensor");
  }
  const int type = t.data_type();
  const size_t size = element_size(type);
  if (size == 0)
    return make_error(what, ": data type ", type_name(type),
                      " is not supported; valid: FLOAT, DOUBLE, FLOAT16, INT64, INT32, INT8, UINT8, BOOL");
  std::string external;
  const std::string* raw = nullptr;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    auto bytes = external_bytes(t, base_dir, what);
    if (!bytes) return bytes.error();
    external = std::move(bytes).value();
    raw = &external;
  } else if (t.has_raw_data()) {
    raw = &t.raw_data();
  }
  std::vector<float> values(static_cast<size_t>(count));
  const auto integer = [&](double v, int64_t i) -> Status {
    if (std::fabs(v) > kExactInFloat)
      return make_error(what, ": integer value ", static_cast<int64_t>(v), " at ", i,
                        " is beyond 2^24, which ConvLab's float tensors hold exactly");
    values[static_cast<size_t>(i)] = static_cast<float>(v);
    return {};
  };
  if (raw) {
    if (raw->size() != static_cast<size_t>(count) * size)
      return make_error(what, ": holds ", raw->size(), " bytes but its shape ", shape_to_string(shape),
                        " of ", type_name(type), " needs ", static_cast<size_t>(count) * size);
    const char* p = raw->data();
    for (int64_t i = 0; i < count; ++i, p += size) {
      switch (type) {
        case onnx::TensorProto::FLOAT:
          std::memcpy(&values[static_cast<size_t>(i)], p, 4);
          break;
        case onnx::TensorProto::DOUBLE: {
          double v;
          std::memcpy(&v, p, 8);
          values[static_cast<size_t>(i)] = static_cast<float>(v);
          break;
        }
        case onnx::TensorProto::FLOAT16: {
          uint16_t h;
          std::memcpy(&h, p, 2);
          values[static_cast<size_t>(i)] = half_to_float(h);
          break;
        }
        case onnx::TensorProto::INT64: {
          int64_t v;
          std::memcpy(&v, p, 8);
          CONVLAB_TRY(integer(static_cast<double>(v), i));
          break;
        }
        case onnx::TensorProto::INT32: {
          int32_t v;
          std::memcpy(&v, p, 4);
          CONVLAB_TRY(integer(v, i));
          break;
        }
        case onnx::TensorProto::INT8:
          values[static_cast<size_t>(i)] = static_cast<int8_t>(*p);
          break;
        default:
          values[static_cast<size_t>(i)] = static_cast<uint8_t>(*p);
          break;  // UINT8, BOOL
      }
    }
  } else {
    // The typed fields: float_data (FLOAT), double_data, int64_data, and
    // int32_data (INT32, INT8, UINT8, BOOL, and FLOAT16's bits).
    int64_t have = 0;
    switch (type) {
      case onnx::TensorProto::FLOAT:
        have = t.float_data_size();
        break;
      case onnx::TensorProto::DOUBLE:
        have = t.double_data_size();
        break;
      case onnx::TensorProto::INT64:
        have = t.int64_data_size();
        break;
      default:
        have = t.int32_data_size();
        break;
    }
    if (have != count)
      return make_error(what, ": holds ", have, " values but its shape ", shape_to_string(shape), " needs ",
                        count);
    for (int64_t i = 0; i < count; ++i) {
      const int k = static_cast<int>(i);
      switch (type) {
        case onnx::TensorProto::FLOAT:
          values[static_cast<size_t>(i)] = t.float_data(k);
          break;
        case onnx::TensorProto::DOUBLE:
          values[static_cast<size_t>(i)] = static_cast<float>(t.double_data(k));
          break;
        case onnx::TensorProto::INT64:
          CONVLAB_TRY(integer(static_cast<double>(t.int64_data(k)), i));
          break;
        case onnx::TensorProto::FLOAT16:
          values[static_cast<size_t>(i)] = half_to_float(static_cast<uint16_t>(t.int32_data(k)));
          break;
        default:
          CONVLAB_TRY(integer(t.int32_data(k), i));
          break;
      }
    }
  }
  return Tensor::from_data(std::move(shape), std::move(values));
}

bool is_integer_type(int data_type) {
  return data_type == onnx::TensorProto::INT64 || data_type == onnx::TensorProto::INT32 ||
         data_type == onnx::TensorProto::INT8 || data_type == onnx::TensorProto::UINT8 ||
         data_type == onnx::TensorProto::BOOL;
}

Result<std::vector<int64_t>> int64_values(const onnx::TensorProto& t, const std::string& base_dir,
                                          const std::string& what) {
  if (t.data_type() == onnx::TensorProto::INT64 && t.data_location() != onnx::TensorProto::EXTERNAL) {
    std::vector<int64_t> out;
    if (t.has_raw_data()) {
      if (t.raw_data().size() % 8 != 0)
        return make_error(what, ": raw data is not a whole number of int64 values");
      out.resize(t.raw_data().size() / 8);
      std::memcpy(out.data(), t.raw_data().data(), t.raw_data().size());
    } else {
      out.assign(t.int64_data().begin(), t.int64_data().end());
    }
    int64_t count = 1;
    for (int64_t d : t.dims()) count *= d;
    if (static_cast<int64_t>(out.size()) != count)
      return make_error(what, ": holds ", out.size(), " values but its shape needs ", count);
    return out;
  }
  auto tensor = tensor_from_proto(t, base_dir, what);
  if (!tensor) return tensor.error();
  std::vector<int64_t> out;
  for (float v : tensor->values()) out.push_back(static_cast<int64_t>(v));
  return out;
}

Result<Tensor> tensor_pb_from_bytes(const std::string& bytes, const std::string& source) {
  onnx::TensorProto t;
  if (bytes.empty() || !t.ParseFromString(bytes))
    return make_error(source, " is not an ONNX TensorProto file (",
                      bytes.empty() ? "it is empty" : "its bytes do not parse",
                      "); valid: a .pb file as ONNX's test data has them");
  return tensor_from_proto(t, std::filesystem::path(source).parent_path().string(), source);
}

Result<Tensor> read_tensor_pb(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return tensor_pb_from_bytes(std::string(bytes->begin(), bytes->end()), path);
}

Result<std::string> tensor_pb_name(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  onnx::TensorProto t;
  if (!t.ParseFromString(std::string(bytes->begin(), bytes->end())))
    return make_error(path, " is not an ONNX TensorProto file");
  return t.name();
}

Status write_tensor_pb(const std::string& path, const Tensor& tensor, const std::string& name) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : tensor.shape()) t.add_dims(d);
  t.set_raw_data(
      std::string(reinterpret_cast<const char*>(tensor.data()), static_cast<size_t>(tensor.numel()) * 4));
  std::string bytes;
  if (!t.SerializeToString(&bytes)) return make_error("cannot encode ", name, " for ", path);
  // Written beside and renamed, so a failed write never leaves half a file.
  return write_file_atomically(
      path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace convlab::onnx_model
