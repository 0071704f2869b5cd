#include "core/io/npy.h"

#include <cmath>
#include <cstring>
#include <regex>

#include "core/io/safetensors.h"

namespace convlab {

namespace {
constexpr char kMagic[] = "\x93NUMPY";
}

Result<Tensor> decode_npy(const std::string& bytes, const std::string& source) {
  const auto bad = [&](const std::string& why) {
    return make_error(source, " is not a .npy file ConvLab reads: ", why,
                      "; valid: numpy.save of a float32, float64, int32 or int64 array in C order");
  };
  if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0) return bad("no NumPy header");
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t header_length = 0, start = 0;
  if (major == 1) {
    header_length = static_cast<unsigned char>(bytes[8]) |
                    (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return bad("a truncated header");
    for (int i = 0; i < 4; ++i)
      header_length |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + static_cast<size_t>(i)]))
                       << (8 * i);
    start = 12;
  } else {
    return bad("format version " + std::to_string(major));
  }
  if (header_length > bytes.size() - start) return bad("a truncated header");
  const std::string header = bytes.substr(start, header_length);
  std::smatch descr, order, shape;
  if (!std::regex_search(header, descr, std::regex("'descr':\\s*'([^']*)'")) ||
      !std::regex_search(header, order, std::regex("'fortran_order':\\s*(True|False)")) ||
      !std::regex_search(header, shape, std::regex("'shape':\\s*\\(([^)]*)\\)")))
    return bad("a header without descr, fortran_order and shape");
  if (order[1] == "True") return bad("Fortran order");
  const std::string type = descr[1];
  size_t size = 0;
  if (type == "<f4")
    size = 4;
  else if (type == "<f8" || type == "<i8")
    size = 8;
  else if (type == "<i4")
    size = 4;
  else
    return bad("data type " + type);
  Shape dims;
  const std::string shape_text = shape[1];
  static const std::regex number("\\d+");
  std::sregex_iterator it(shape_text.begin(), shape_text.end(), number), end;
  int64_t count = 1;
  for (; it != end; ++it) {
    const std::string digits = it->str();
    if (digits.size() > 10) return bad("a dimension over 2^31");
    const int64_t d = std::stoll(digits);
    if (d > (int64_t{1} << 31)) return bad("a dimension over 2^31");
    dims.push_back(d);
    count *= d;
    if (count > (int64_t{1} << 31)) return bad("more than 2^31 values");
  }
  const size_t data_start = start + header_length;
  if (bytes.size() - data_start != static_cast<size_t>(count) * size)
    return make_error(source, ": the data is ", bytes.size() - data_start, " bytes but shape ",
                      shape_to_string(dims), " of ", type, " needs ", static_cast<size_t>(count) * size);
  std::vector<float> values(static_cast<size_t>(count));
  const char* p = bytes.data() + data_start;
  for (size_t i = 0; i < values.size(); ++i, p += size) {
    if (type == "<f4") {
      std::memcpy(&values[i], p, 4);
    } else if (type == "<f8") {
      double v;
      std::memcpy(&v, p, 8);
      values[i] = static_cast<float>(v);
    } else {
      int64_t v = 0;
      if (size == 8)
        std::memcpy(&v, p, 8);
      else {
        int32_t v32;
        std::memcpy(&v32, p, 4);
        v = v32;
      }
      if (std::llabs(v) > (int64_t{1} << 24))
        return make_error(source, ": integer ", v,
                          " is beyond 2^24, which ConvLab's float tensors hold exactly");
      values[i] = static_cast<float>(v);
    }
  }
  return Tensor::from_data(std::move(dims), std::move(values));
}

Result<Tensor> read_npy(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return decode_npy(std::string(bytes->begin(), bytes->end()), path);
}

}  // namespace convlab
