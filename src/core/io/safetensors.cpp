// safetensors reader/writer. The reader trusts nothing in the file: every
// header field is type-checked, every size is computed with overflow checks,
// and the data section must be covered exactly once by the tensors (as the
// format's spec demands), before a single byte of tensor data is copied.
#include "core/io/safetensors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "core/base/i18n.h"

namespace convlab {

namespace {

using json = nlohmann::json;

// A header larger than this is not a model description but a broken or
// hostile file; refusing it early avoids parsing gigabytes of "JSON".
constexpr uint64_t kMaxHeaderBytes = 100ULL * 1024 * 1024;
constexpr const char* kSupportedDTypes = "F32, F16, I64, I32";

// Byte counts and offsets in messages (%llu).
unsigned long long ull(uint64_t value) { return static_cast<unsigned long long>(value); }

size_t element_size(DType dtype) {
  switch (dtype) {
    case DType::F32:
    case DType::I32:
      return 4;
    case DType::F16:
      return 2;
    case DType::I64:
      return 8;
  }
  return 4;
}

bool parse_dtype(const std::string& name, DType* dtype) {
  static const std::pair<const char*, DType> kTable[] = {
      {"F32", DType::F32}, {"F16", DType::F16}, {"I64", DType::I64}, {"I32", DType::I32}};
  for (const auto& [text, value] : kTable) {
    if (name == text) {
      *dtype = value;
      return true;
    }
  }
  return false;
}

uint64_t read_le_u64(const uint8_t* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

void write_le_u64(uint64_t value, uint8_t* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(value >> (8 * i));
}

// Tensor data is little-endian and may sit at any offset, so values are read
// with memcpy (no unaligned loads); this host is little-endian.
template <class T>
T load_at(const std::vector<uint8_t>& bytes, size_t index) {
  T value;
  std::memcpy(&value, bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}

template <class T>
void append_value(std::vector<uint8_t>& bytes, T value) {
  uint8_t raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  bytes.insert(bytes.end(), raw, raw + sizeof(T));
}

// One tensor's header entry after validation; offsets are relative to the
// start of the data section.
struct Entry {
  std::string name;
  DType dtype = DType::F32;
  Shape shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// Parses the header JSON, reporting the first key that appears twice in any
// object: nlohmann::json would otherwise silently keep only the last one.
Result<json> parse_header_json(const char* begin, const char* end, const std::string& source) {
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  int duplicate_depth = 0;
  auto on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      open_objects.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == json::parse_event_t::key && !open_objects.empty() && parsed.is_string()) {
      if (!open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
        duplicate = parsed.get<std::string>();
        duplicate_depth = depth;
      }
    }
    return true;
  };
  json header;
  try {
    header = json::parse(begin, end, on_event);
  } catch (const json::exception& e) {
    return Error{
        format(tr("%s: the header is not valid JSON (%s); expected a JSON object {name: {dtype, shape, "
                  "data_offsets}}"),
               source.c_str(), e.what())};
  }
  if (!duplicate.empty()) {
    if (duplicate_depth == 1)
      return Error{
          format(tr("%s: tensor name '%s' appears twice in the header"), source.c_str(), duplicate.c_str())};
    return Error{
        format(tr("%s: key '%s' appears twice in one header object"), source.c_str(), duplicate.c_str())};
  }
  if (!header.is_object()) {
    return Error{
        format(tr("%s: the header is a JSON %s; expected a JSON object {name: {dtype, shape, data_offsets}}"),
               source.c_str(), header.type_name())};
  }
  return header;
}

std::string describe(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text + " (" + value.type_name() + ")";
}

bool is_non_negative_integer(const json& value) {
  return value.is_number_unsigned() || (value.is_number_integer() && value.get<int64_t>() >= 0);
}

Status parse_metadata(const json& value, const std::string& source, std::map<std::string, std::string>* out) {
  if (!value.is_object()) {
    return Error{format(tr("%s: __metadata__ is %s; expected an object of string values"), source.c_str(),
                        describe(value).c_str())};
  }
  for (const auto& [key, item] : value.items()) {
    if (!item.is_string()) {
      return Error{format(tr("%s: __metadata__ entry '%s' is %s; metadata values must be strings"),
                          source.c_str(), key.c_str(), describe(item).c_str())};
    }
    (*out)[key] = item.get<std::string>();
  }
  return {};
}

Result<Shape> parse_shape(const json& value, const std::string& where) {
  if (!value.is_array())
    return Error{
        format(tr("%s: shape is %s; expected an array of integers"), where.c_str(), describe(value).c_str())};
  Shape shape;
  for (const json& dim : value) {
    if (!is_non_negative_integer(dim)) {
      return Error{format(tr("%s: shape %s has dimension %s; dimensions must be integers >= 0"),
                          where.c_str(), describe(value).c_str(), describe(dim).c_str())};
    }
    const uint64_t size = dim.get<uint64_t>();
    if (size > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Error{format(tr("%s: shape dimension %llu is too large"), where.c_str(), ull(size))};
    }
    shape.push_back(static_cast<int64_t>(size));
  }
  return shape;
}

// Byte size of a tensor, or an error when numel * element size overflows.
Result<uint64_t> byte_size(const Shape& shape, DType dtype, const std::string& where) {
  uint64_t total = element_size(dtype);
  for (int64_t dim : shape) {
    if (__builtin_mul_overflow(total, static_cast<uint64_t>(dim), &total)) {
      return Error{format(tr("%s: shape %s of %s overflows 64-bit byte counts"), where.c_str(),
                          shape_to_string(shape).c_str(), dtype_name(dtype))};
    }
  }
  return total;
}

Result<Entry> parse_entry(const std::string& name, const json& value, const std::string& source,
                          uint64_t data_size) {
  const std::string where = format(tr("%s: tensor '%s'"), source.c_str(), name.c_str());
  if (!value.is_object()) {
    return Error{format(tr("%s is %s; expected an object {dtype, shape, data_offsets}"), where.c_str(),
                        describe(value).c_str())};
  }
  for (const char* key : {"dtype", "shape", "data_offsets"}) {
    if (!value.contains(key))
      return Error{format(tr("%s has no \"%s\"; expected {dtype, shape, data_offsets}"), where.c_str(), key)};
  }
  Entry entry;
  entry.name = name;
  const json& dtype = value["dtype"];
  if (!dtype.is_string())
    return Error{format(tr("%s: dtype is %s; expected a string"), where.c_str(), describe(dtype).c_str())};
  if (!parse_dtype(dtype.get<std::string>(), &entry.dtype)) {
    return Error{format(tr("%s: unsupported dtype '%s'; supported dtypes are %s"), where.c_str(),
                        dtype.get<std::string>().c_str(), kSupportedDTypes)};
  }
  auto shape = parse_shape(value["shape"], where);
  if (!shape.ok()) return shape.error();
  entry.shape = std::move(shape).value();

  const json& offsets = value["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !is_non_negative_integer(offsets[0]) ||
      !is_non_negative_integer(offsets[1])) {
    return Error{format(tr("%s: data_offsets is %s; expected [begin, end] with integers 0 <= begin <= end"),
                        where.c_str(), describe(offsets).c_str())};
  }
  entry.begin = offsets[0].get<uint64_t>();
  entry.end = offsets[1].get<uint64_t>();
  if (entry.begin > entry.end) {
    return Error{format(tr("%s: data_offsets [%llu, %llu] has begin > end"), where.c_str(), ull(entry.begin),
                        ull(entry.end))};
  }
  if (entry.end > data_size) {
    return Error{
        format(tr("%s: data_offsets [%llu, %llu] end past the data section (%llu bytes); the file is "
                  "truncated or the offsets are wrong"),
               where.c_str(), ull(entry.begin), ull(entry.end), ull(data_size))};
  }
  auto bytes = byte_size(entry.shape, entry.dtype, where);
  if (!bytes.ok()) return bytes.error();
  if (*bytes != entry.end - entry.begin) {
    return Error{format(tr("%s: data_offsets [%llu, %llu] hold %llu bytes, but %s shape %s needs %llu bytes"),
                        where.c_str(), ull(entry.begin), ull(entry.end), ull(entry.end - entry.begin),
                        dtype_name(entry.dtype), shape_to_string(entry.shape).c_str(), ull(*bytes))};
  }
  return entry;
}

// The spec requires the data section to be indexed completely, with neither
// holes nor overlaps; a violation means a corrupt or mis-written file.
Status check_coverage(std::vector<const Entry*> entries, const std::string& source, uint64_t data_size) {
  entries.erase(
      std::remove_if(entries.begin(), entries.end(), [](const Entry* e) { return e->begin == e->end; }),
      entries.end());
  std::sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->name < b->name;
  });
  uint64_t covered = 0;
  const Entry* previous = nullptr;
  for (const Entry* entry : entries) {
    if (entry->begin < covered) {
      return Error{
          format(tr("%s: tensor '%s' bytes [%llu, %llu) overlap tensor '%s' bytes [%llu, %llu); each byte "
                    "of the data section must belong to exactly one tensor"),
                 source.c_str(), entry->name.c_str(), ull(entry->begin), ull(entry->end),
                 previous->name.c_str(), ull(previous->begin), ull(previous->end))};
    }
    if (entry->begin > covered) {
      return Error{
          format(tr("%s: data bytes [%llu, %llu) before tensor '%s' belong to no tensor; the data section "
                    "must have no holes"),
                 source.c_str(), ull(covered), ull(entry->begin), entry->name.c_str())};
    }
    covered = entry->end;
    previous = entry;
  }
  if (covered != data_size) {
    return Error{
        format(tr("%s: data bytes [%llu, %llu) at the end belong to no tensor; the data section must have "
                  "no holes"),
               source.c_str(), ull(covered), ull(data_size))};
  }
  return {};
}

std::string list_names(const std::map<std::string, StoredTensor>& tensors) {
  if (tensors.empty()) return "the file has no tensors";
  std::string out = "tensors are: ";
  size_t count = 0;
  for (const auto& [name, tensor] : tensors) {
    if (count == 12) {
      out += ", ... (" + std::to_string(tensors.size()) + " in all)";
      break;
    }
    out += (count++ ? ", " : "") + name;
  }
  return out;
}

// The named tensor, once its byte count is known to match its shape (the
// reader guarantees it; put_stored callers might not).
Result<const StoredTensor*> find_tensor(const std::map<std::string, StoredTensor>& tensors,
                                        const std::string& name) {
  auto it = tensors.find(name);
  if (it == tensors.end()) return make_error("no tensor named '", name, "'; ", list_names(tensors));
  const StoredTensor& stored = it->second;
  const uint64_t count = static_cast<uint64_t>(shape_numel(stored.shape));
  if (stored.bytes.size() != count * element_size(stored.dtype)) {
    return make_error("tensor '", name, "': ", stored.bytes.size(), " bytes do not match ",
                      dtype_name(stored.dtype), " shape ", shape_to_string(stored.shape));
  }
  return &stored;
}

// Nearest integer, saturated at the int64 range; NaN becomes 0.
int64_t round_to_int64(float v) {
  constexpr float kTwoTo63 = 9.2233720368547758e18f;  // exactly 2^63
  if (std::isnan(v)) return 0;
  if (v >= kTwoTo63) return std::numeric_limits<int64_t>::max();
  if (v < -kTwoTo63) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(std::nearbyint(v));
}

std::string system_reason() { return std::strerror(errno); }

}  // namespace

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::F32:
      return "F32";
    case DType::F16:
      return "F16";
    case DType::I64:
      return "I64";
    case DType::I32:
      return "I32";
  }
  return "?";
}

// ---------------------------------------------------------------- half floats

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t mantissa = h & 0x3ffu;
  uint32_t bits = 0;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // inf, or NaN keeping its payload
  } else if (exponent != 0) {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;  // signed zero
  } else {
    // Subnormal half: normalize, since every half subnormal is a normal float.
    int32_t e = 127 - 15 + 1;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --e;
    }
    bits = sign | (static_cast<uint32_t>(e) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

namespace {
// Shifts `value` right by `shift` bits rounding to nearest, ties to even.
uint32_t shift_round_even(uint32_t value, uint32_t shift) {
  const uint32_t kept = value >> shift;
  const uint32_t rest = value & ((1u << shift) - 1);
  const uint32_t half = 1u << (shift - 1);
  return (rest > half || (rest == half && (kept & 1u))) ? kept + 1 : kept;
}
}  // namespace

uint16_t float_to_half(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const int32_t exponent = static_cast<int32_t>((bits >> 23) & 0xffu);
  const uint32_t mantissa = bits & 0x7fffffu;
  if (exponent == 0xff) {
    // Inf stays inf; NaN stays a (quiet) NaN with the top payload bits.
    return static_cast<uint16_t>(sign | 0x7c00u | (mantissa ? (0x200u | (mantissa >> 13)) : 0u));
  }
  const int32_t half_exponent = exponent - 127 + 15;
  if (half_exponent >= 0x1f) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow -> inf
  if (half_exponent >= 1) {
    // Normal: a carry out of the mantissa correctly bumps the exponent (and
    // turns 65520 and above into inf).
    const uint32_t magnitude = (static_cast<uint32_t>(half_exponent) << 10) | (mantissa >> 13);
    const uint32_t rest = mantissa & 0x1fffu;
    const bool round_up = rest > 0x1000u || (rest == 0x1000u && (magnitude & 1u));
    return static_cast<uint16_t>(sign | (magnitude + (round_up ? 1u : 0u)));
  }
  if (half_exponent < -10) return static_cast<uint16_t>(sign);  // below half the smallest subnormal
  // Subnormal half: value / 2^-24 = (1.mantissa) * 2^(exponent - 126).
  const uint32_t full = mantissa | 0x800000u;
  const uint32_t shift = static_cast<uint32_t>(14 - half_exponent);
  return static_cast<uint16_t>(sign | shift_round_even(full, shift));
}

// ---------------------------------------------------------------- SafeTensors

Result<Tensor> SafeTensors::get_float(const std::string& name) const {
  auto found = find_tensor(tensors_, name);
  if (!found.ok()) return found.error();
  const StoredTensor& stored = **found;
  const size_t count = static_cast<size_t>(shape_numel(stored.shape));
  std::vector<float> values(count);
  for (size_t i = 0; i < count; ++i) {
    switch (stored.dtype) {
      case DType::F32:
        values[i] = load_at<float>(stored.bytes, i);
        break;
      case DType::F16:
        values[i] = half_to_float(load_at<uint16_t>(stored.bytes, i));
        break;
      case DType::I64:
        values[i] = static_cast<float>(load_at<int64_t>(stored.bytes, i));
        break;
      case DType::I32:
        values[i] = static_cast<float>(load_at<int32_t>(stored.bytes, i));
        break;
    }
  }
  return Tensor::from_data(stored.shape, std::move(values));
}

Result<std::vector<int64_t>> SafeTensors::get_ints(const std::string& name, Shape* shape) const {
  auto found = find_tensor(tensors_, name);
  if (!found.ok()) return found.error();
  const StoredTensor& stored = **found;
  std::vector<int64_t> values;
  if (stored.dtype == DType::I64 || stored.dtype == DType::I32) {
    const size_t count = stored.bytes.size() / element_size(stored.dtype);
    values.resize(count);
    for (size_t i = 0; i < count; ++i) {
      values[i] =
          stored.dtype == DType::I64 ? load_at<int64_t>(stored.bytes, i) : load_at<int32_t>(stored.bytes, i);
    }
  } else {
    auto floats = get_float(name);
    if (!floats.ok()) return floats.error();
    for (int64_t i = 0; i < floats->numel(); ++i) {
      const float v = (*floats)[i];
      // 2^63 is exactly representable as a float; from there on no int64 fits.
      if (!(std::trunc(v) == v && std::fabs(v) < 9.2233720368547758e18f)) {
        return Error{format(tr("tensor '%s' (%s) holds %s at index %lld; expected integer values"),
                            name.c_str(), dtype_name(stored.dtype),
                            i18n::display_text(format("%g", static_cast<double>(v))).c_str(),
                            static_cast<long long>(i))};
      }
      values.push_back(static_cast<int64_t>(v));
    }
  }
  if (shape) *shape = stored.shape;
  return values;
}

void SafeTensors::put_float(const std::string& name, const Tensor& tensor, DType dtype) {
  StoredTensor stored;
  stored.dtype = dtype;
  stored.shape = tensor.shape();
  stored.bytes.reserve(static_cast<size_t>(tensor.numel()) * element_size(dtype));
  for (float v : tensor.values()) {
    switch (dtype) {
      case DType::F32:
        append_value(stored.bytes, v);
        break;
      case DType::F16:
        append_value(stored.bytes, float_to_half(v));
        break;
      case DType::I64:  // integer dtypes store the rounded value, saturated
        append_value(stored.bytes, round_to_int64(v));
        break;
      case DType::I32:
        append_value(stored.bytes,
                     static_cast<int32_t>(std::clamp<int64_t>(round_to_int64(v), INT32_MIN, INT32_MAX)));
        break;
    }
  }
  tensors_[name] = std::move(stored);
}

void SafeTensors::put_ints(const std::string& name, const Shape& shape, std::span<const int64_t> values,
                           DType dtype) {
  StoredTensor stored;
  stored.dtype = dtype;
  stored.shape = shape;
  for (int64_t v : values) {
    switch (dtype) {
      case DType::I64:
        append_value(stored.bytes, v);
        break;
      case DType::I32:  // saturate rather than wrap
        append_value(stored.bytes, static_cast<int32_t>(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX)));
        break;
      case DType::F32:
        append_value(stored.bytes, static_cast<float>(v));
        break;
      case DType::F16:
        append_value(stored.bytes, float_to_half(static_cast<float>(v)));
        break;
    }
  }
  tensors_[name] = std::move(stored);
}

// ---------------------------------------------------------------- parsing

Result<SafeTensors> parse_safetensors(std::span<const uint8_t> bytes, const std::string& source) {
  if (bytes.size() < 8) {
    return Error{
        format(tr("%s: the file is %zu bytes long; a safetensors file starts with an 8-byte header length"),
               source.c_str(), bytes.size())};
  }
  const uint64_t header_size = read_le_u64(bytes.data());
  if (header_size > kMaxHeaderBytes) {
    return Error{
        format(tr("%s: header length %llu is over the %llu-byte limit; this is not a safetensors file or it "
                  "is corrupt"),
               source.c_str(), ull(header_size), ull(kMaxHeaderBytes))};
  }
  if (header_size > bytes.size() - 8) {
    return Error{
        format(tr("%s: header length %llu is larger than the %zu bytes that follow it; the file is truncated "
                  "or not a safetensors file"),
               source.c_str(), ull(header_size), bytes.size() - 8)};
  }
  const char* text = reinterpret_cast<const char*>(bytes.data() + 8);
  auto header = parse_header_json(text, text + header_size, source);
  if (!header.ok()) return header.error();

  const uint64_t data_size = bytes.size() - 8 - header_size;
  const uint8_t* data = bytes.data() + 8 + header_size;
  SafeTensors file;
  std::vector<Entry> entries;
  for (const auto& [name, value] : header->items()) {
    if (name == "__metadata__") {
      CONVLAB_TRY(parse_metadata(value, source, &file.metadata()));
      continue;
    }
    auto entry = parse_entry(name, value, source, data_size);
    if (!entry.ok()) return entry.error();
    entries.push_back(std::move(entry).value());
  }
  std::vector<const Entry*> pointers;
  for (const Entry& entry : entries) pointers.push_back(&entry);
  CONVLAB_TRY(check_coverage(pointers, source, data_size));

  // Only now, with every range checked, is any data copied.
  for (const Entry& entry : entries) {
    StoredTensor stored;
    stored.dtype = entry.dtype;
    stored.shape = entry.shape;
    stored.bytes.assign(data + entry.begin, data + entry.end);
    file.put_stored(entry.name, std::move(stored));
  }
  return file;
}

Result<SafeTensors> read_safetensors(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes.ok()) return bytes.error();
  return parse_safetensors(*bytes, path);
}

std::vector<uint8_t> serialize_safetensors(const SafeTensors& file) {
  // std::map iterates in sorted order, so names and offsets come out sorted.
  json header = json::object();
  uint64_t offset = 0;
  for (const auto& [name, stored] : file.tensors()) {
    const uint64_t end = offset + stored.bytes.size();
    header[name] = {
        {"dtype", dtype_name(stored.dtype)}, {"shape", stored.shape}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  if (!file.metadata().empty()) {
    json metadata = json::object();
    for (const auto& [key, value] : file.metadata()) metadata[key] = value;
    header["__metadata__"] = metadata;
  }
  std::string text = header.dump(-1, ' ', false, json::error_handler_t::replace);
  // Padding with spaces keeps the data section 8-byte aligned in the file.
  text.append((8 - text.size() % 8) % 8, ' ');

  std::vector<uint8_t> out;
  out.reserve(8 + text.size() + offset);
  uint8_t length[8];
  write_le_u64(text.size(), length);
  out.insert(out.end(), length, length + 8);
  out.insert(out.end(), text.begin(), text.end());
  for (const auto& [name, stored] : file.tensors())
    out.insert(out.end(), stored.bytes.begin(), stored.bytes.end());
  return out;
}

Status write_safetensors(const std::string& path, const SafeTensors& file) {
  const std::vector<uint8_t> bytes = serialize_safetensors(file);
  return write_file_atomically(path, bytes);
}

// ---------------------------------------------------------------- files

Result<std::vector<uint8_t>> read_file_bytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error{format(tr("%s: cannot open file: %s"), path.c_str(), system_reason().c_str())};
  std::vector<uint8_t> bytes;
  uint8_t buffer[1 << 16];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, f)) > 0) bytes.insert(bytes.end(), buffer, buffer + got);
  const bool failed = std::ferror(f) != 0;
  const std::string reason = failed ? system_reason() : std::string();
  std::fclose(f);
  if (failed) return Error{format(tr("%s: cannot read file: %s"), path.c_str(), reason.c_str())};
  return bytes;
}

namespace {

// Opens a new, unique temporary file next to `path`. O_EXCL guarantees that
// no existing file is reused; mode 0666 lets the umask decide permissions as
// for any ordinary new file.
Result<int> open_temporary(const std::string& path, std::string* temp_path) {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device seed;
  std::mt19937 random(seed());
  std::uniform_int_distribution<size_t> pick(0, sizeof kChars - 2);
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string suffix(6, 'x');
    for (char& c : suffix) c = kChars[pick(random)];
    *temp_path = path + ".tmp-" + suffix;
    const int fd = ::open(temp_path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST)
      return Error{format(tr("%s: cannot create file %s: %s"), path.c_str(), temp_path->c_str(),
                          system_reason().c_str())};
  }
  return Error{
      format(tr("%s: cannot create a temporary file next to it (names kept colliding)"), path.c_str())};
}

Status write_all(int fd, std::span<const uint8_t> bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return Error{format(tr("%s: cannot write file: %s"), path.c_str(),
                          n < 0 ? system_reason().c_str() : tr("no progress"))};
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Status write_file_atomically(const std::string& path, std::span<const uint8_t> bytes) {
  std::string temp_path;
  auto fd = open_temporary(path, &temp_path);
  if (!fd.ok()) return fd.error();
  Status written = write_all(*fd, bytes, path);
  // fsync before rename, so a crash cannot leave the new name with no data.
  if (written.ok() && ::fsync(*fd) != 0)
    written = Error{format(tr("%s: cannot flush file: %s"), path.c_str(), system_reason().c_str())};
  if (::close(*fd) != 0 && written.ok())
    written = Error{format(tr("%s: cannot close file: %s"), path.c_str(), system_reason().c_str())};
  if (written.ok() && std::rename(temp_path.c_str(), path.c_str()) != 0) {
    written = Error{format(tr("%s: cannot rename %s into place: %s"), path.c_str(), temp_path.c_str(),
                           system_reason().c_str())};
  }
  if (!written.ok()) ::unlink(temp_path.c_str());
  return written;
}

}  // namespace convlab
