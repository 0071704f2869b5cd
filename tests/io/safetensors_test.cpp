// safetensors: round trips of every dtype, half-float edge cases, and
// malformed files (built here from bytes, and committed in tests/data) that
// must each give an Error naming the file, the tensor and what was expected.
#include <signal.h>
#include <sys/resource.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "io/temp_dir.h"
#include "test_support.h"

namespace convlab {
namespace {

using convlab::testing::data_path;
namespace fs = std::filesystem;

// A file with the given header text and data bytes; the length prefix is
// the header's real size unless `claimed_length` overrides it.
std::vector<uint8_t> make_file(const std::string& header, const std::vector<uint8_t>& data = {},
                               int64_t claimed_length = -1) {
  const uint64_t length = claimed_length >= 0 ? static_cast<uint64_t>(claimed_length) : header.size();
  std::vector<uint8_t> out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(length >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// Parses bytes that must be rejected and checks the message has every part.
void expect_rejected(const std::vector<uint8_t>& bytes, const std::vector<std::string>& parts) {
  auto parsed = parse_safetensors(bytes, "case.safetensors");
  REQUIRE_FALSE(parsed.ok());
  INFO("message: " << parsed.message());
  CHECK(parsed.message().find("case.safetensors") != std::string::npos);
  for (const std::string& part : parts) CHECK_MESSAGE(parsed.message().find(part) != std::string::npos, part);
}

Tensor ramp(Shape shape, float scale = 0.25f) {
  Tensor t(std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = (static_cast<float>(i) - 3.0f) * scale;
  return t;
}

SafeTensors round_trip(const SafeTensors& file) {
  auto parsed = parse_safetensors(serialize_safetensors(file), "round trip");
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? std::string() : parsed.message()));
  return std::move(parsed).value();
}

float bits_to_float(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

TEST_CASE("safetensors round trip keeps F32, F16, I64, I32, metadata, empty and scalar tensors") {
  SafeTensors file;
  const Tensor weights = ramp({2, 3, 3, 3});
  file.put_float("conv1.weight", weights);
  file.put_float("half", ramp({5}), DType::F16);
  const std::vector<int64_t> big = {0, -1, 1LL << 40, std::numeric_limits<int64_t>::min()};
  file.put_ints("bn.num_batches_tracked", {4}, big);
  const std::vector<int64_t> small = {7, -7, 2147483647};
  file.put_ints("i32", {3}, small, DType::I32);
  file.put_float("empty", Tensor(Shape{0, 4}));
  file.put_float("scalar", Tensor(Shape{}, 2.5f));
  file.metadata()["format"] = "pt";
  file.metadata()["note"] = "ação";

  const SafeTensors back = round_trip(file);
  CHECK(back.tensors().size() == 6);
  CHECK(back.metadata() == file.metadata());
  auto w = back.get_float("conv1.weight");
  REQUIRE(w.ok());
  CHECK(w->shape() == weights.shape());
  CHECK(w->values() == weights.values());
  auto h = back.get_float("half");
  REQUIRE(h.ok());
  CHECK(h->values() == ramp({5}).values());  // multiples of 1/4 are exact in F16
  CHECK(back.tensors().at("half").dtype == DType::F16);
  Shape shape;
  auto ints = back.get_ints("bn.num_batches_tracked", &shape);
  REQUIRE(ints.ok());
  CHECK(*ints == big);
  CHECK(shape == Shape{4});
  auto ints32 = back.get_ints("i32");
  REQUIRE(ints32.ok());
  CHECK(*ints32 == small);
  CHECK(back.tensors().at("i32").dtype == DType::I32);
  auto empty = back.get_float("empty");
  REQUIRE(empty.ok());
  CHECK(empty->shape() == Shape{0, 4});
  CHECK(empty->numel() == 0);
  auto scalar = back.get_float("scalar");
  REQUIRE(scalar.ok());
  CHECK(scalar->shape() == Shape{});
  CHECK(scalar->values() == std::vector<float>{2.5f});
}

TEST_CASE("safetensors serialization: sorted names, 8-byte aligned header padded with spaces") {
  SafeTensors file;
  file.put_float("b", ramp({3}));
  file.put_float("a", ramp({1}));
  file.put_float("c", ramp({2}), DType::F16);
  const std::vector<uint8_t> bytes = serialize_safetensors(file);
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | bytes[static_cast<size_t>(i)];
  CHECK(length % 8 == 0);
  REQUIRE(bytes.size() == 8 + length + 4 * 4 + 2 * 2);
  const std::string header(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(length));
  CHECK(header.front() == '{');
  CHECK(header.find_last_not_of(' ') == header.rfind('}'));
  CHECK(header.find("\"a\"") < header.find("\"b\""));
  CHECK(header.find("\"b\"") < header.find("\"c\""));
  CHECK(header.find("\"a\":{\"data_offsets\":[0,4]") != std::string::npos);
  CHECK(header.find("\"b\":{\"data_offsets\":[4,16]") != std::string::npos);
  CHECK(header.find("__metadata__") == std::string::npos);  // omitted when empty
}

TEST_CASE("safetensors get_* report missing names and non-integral values") {
  SafeTensors file;
  file.put_float("x", Tensor(Shape{2}, 0.5f));
  file.put_float("whole", Tensor(Shape{2}, 3.0f), DType::F16);
  auto missing = file.get_float("y");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("'y'") != std::string::npos);
  CHECK(missing.message().find("x") != std::string::npos);  // lists what exists
  auto fractional = file.get_ints("x");
  REQUIRE_FALSE(fractional.ok());
  CHECK(fractional.message().find("integer") != std::string::npos);
  auto whole = file.get_ints("whole");
  REQUIRE(whole.ok());
  CHECK(*whole == std::vector<int64_t>{3, 3});

  file.put_stored("inconsistent", StoredTensor{DType::I64, {3}, std::vector<uint8_t>(16)});
  CHECK(file.get_ints("inconsistent").message().find("16 bytes do not match I64 shape 3") !=
        std::string::npos);
  CHECK_FALSE(file.get_float("inconsistent").ok());
}

TEST_CASE("half <-> float edge cases round to nearest even") {
  CHECK(float_to_half(0.0f) == 0x0000);
  CHECK(float_to_half(-0.0f) == 0x8000);
  CHECK(float_to_half(1.0f) == 0x3c00);
  CHECK(float_to_half(-2.0f) == 0xc000);
  CHECK(float_to_half(65504.0f) == 0x7bff);   // largest half
  CHECK(float_to_half(65519.99f) == 0x7bff);  // below the midpoint to inf
  CHECK(float_to_half(65520.0f) == 0x7c00);   // midpoint: even is inf
  CHECK(float_to_half(1e10f) == 0x7c00);      // overflow
  CHECK(float_to_half(-std::numeric_limits<float>::infinity()) == 0xfc00);
  CHECK(float_to_half(std::numeric_limits<float>::infinity()) == 0x7c00);
  const uint16_t nan = float_to_half(std::numeric_limits<float>::quiet_NaN());
  CHECK((nan & 0x7c00) == 0x7c00);
  CHECK((nan & 0x03ff) != 0);
  CHECK(float_to_half(bits_to_float(0x7f800001)) != 0x7c00);     // signalling NaN stays NaN
  CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);         // smallest subnormal
  CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);         // tie -> even (0)
  CHECK(float_to_half(std::ldexp(1.0001f, -25)) == 0x0001);      // just above the tie
  CHECK(float_to_half(std::ldexp(3.0f, -25)) == 0x0002);         // 1.5 units -> 2 (even)
  CHECK(float_to_half(std::ldexp(1023.0f, -24)) == 0x03ff);      // largest subnormal
  CHECK(float_to_half(std::ldexp(1.0f, -14)) == 0x0400);         // smallest normal
  CHECK(float_to_half(std::ldexp(2047.0f, -25)) == 0x0400);      // subnormal rounding up to normal
  CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);  // tie -> even
  CHECK(float_to_half(1.0f + std::ldexp(3.0f, -11)) == 0x3c02);  // tie -> even (up)
  CHECK(float_to_half(std::numeric_limits<float>::denorm_min()) == 0x0000);
  CHECK(float_to_half(-std::numeric_limits<float>::denorm_min()) == 0x8000);

  CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));
  CHECK(half_to_float(0x03ff) == std::ldexp(1023.0f, -24));
  CHECK(half_to_float(0x8001) == -std::ldexp(1.0f, -24));
  CHECK(half_to_float(0x7bff) == 65504.0f);
  CHECK(std::isinf(half_to_float(0x7c00)));
  CHECK(half_to_float(0xfc00) < 0);
  CHECK(std::isnan(half_to_float(0x7e00)));
  CHECK(std::isnan(half_to_float(0x7c01)));
  CHECK(std::signbit(half_to_float(0x8000)));
}

TEST_CASE("every half value survives half -> float -> half") {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const float f = half_to_float(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    REQUIRE_MESSAGE(float_to_half(f) == h, "half 0x" << std::hex << h);
  }
}

#if defined(__FLT16_MAX__)
// The compiler's _Float16 conversion is correctly rounded: an independent reference.
TEST_CASE("float_to_half matches the compiler's _Float16 on many floats") {
  std::mt19937 random(1234);
  std::uniform_int_distribution<uint32_t> any_bits;
  for (int i = 0; i < 200000; ++i) {
    // Bias towards the half range: exponents 100..145 cover subnormals to overflow.
    uint32_t bits = any_bits(random);
    if (i % 2) bits = (bits & 0x807fffffu) | ((100u + bits % 46u) << 23);
    const float f = bits_to_float(bits);
    if (std::isnan(f)) continue;
    const _Float16 reference = static_cast<_Float16>(f);
    uint16_t expected;
    std::memcpy(&expected, &reference, sizeof expected);
    REQUIRE_MESSAGE(float_to_half(f) == expected, "float bits 0x" << std::hex << bits);
  }
}
#endif

const std::vector<uint8_t> kEightBytes(8, 0);

TEST_CASE("malformed safetensors headers are rejected with a clear message") {
  SUBCASE("too short") {
    expect_rejected({}, {"0 bytes", "8-byte header length"});
    expect_rejected({1, 2, 3, 4, 5}, {"5 bytes"});
  }
  SUBCASE("absurd header length") { expect_rejected(make_file("{}", {}, 200LL * 1024 * 1024), {"limit"}); }
  SUBCASE("header length past the end") {
    expect_rejected(make_file("{}", {}, 100), {"header length 100", "truncated"});
  }
  SUBCASE("not JSON") { expect_rejected(make_file("{this is not json"), {"not valid JSON"}); }
  SUBCASE("invalid UTF-8") { expect_rejected(make_file("{\"\xff\xfe\":1}"), {"not valid JSON"}); }
  SUBCASE("not an object") { expect_rejected(make_file("[1,2]"), {"array", "expected a JSON object"}); }
  SUBCASE("entry not an object") { expect_rejected(make_file(R"({"w":3})"), {"'w'", "expected an object"}); }
  SUBCASE("missing fields") {
    expect_rejected(make_file(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"'w'", "no \"dtype\""});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"no \"shape\""});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[1]}})", {0, 0, 0, 0}), {"no \"data_offsets\""});
  }
  SUBCASE("wrong types") {
    expect_rejected(make_file(R"({"w":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"'w'", "dtype is 7", "expected a string"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"expected an array"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":"0-4"}})", {0, 0, 0, 0}),
                    {"expected [begin, end]"});
  }
  SUBCASE("unknown dtype") {
    expect_rejected(make_file(R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"'w'", "unsupported dtype 'BF16'", "F32, F16, I64, I32"});
  }
  SUBCASE("bad dimensions") {
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"'w'", "integers >= 0"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"integers >= 0"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}})",
                              {0, 0, 0, 0}),
                    {"'w'", "overflows"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}})",
                              {0, 0, 0, 0}),
                    {"integers >= 0"});
  }
  SUBCASE("bad data_offsets") {
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", {0, 0, 0, 0}),
                    {"'w'", "begin > end"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", {0, 0, 0, 0}),
                    {"expected [begin, end]"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,-4]}})", {0, 0, 0, 0}),
                    {"expected [begin, end]"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", {0, 0, 0, 0}),
                    {"'w'", "past the data section (4 bytes)"});
    expect_rejected(make_file(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,4]}})", {0, 0, 0, 0}),
                    {"'w'", "hold 4 bytes", "2x2 needs 16 bytes"});
  }
  SUBCASE("overlaps, holes and trailing bytes") {
    const std::vector<uint8_t> eight(8, 0);
    expect_rejected(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                              eight),
                    {"'b'", "overlap tensor 'a'"});
    expect_rejected(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", eight),
                    {"[0, 4)", "'a'", "no holes"});
    expect_rejected(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", eight),
                    {"[4, 8)", "at the end"});
  }
  SUBCASE("duplicate names") {
    expect_rejected(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                              kEightBytes),
                    {"'a'", "appears twice"});
  }
  SUBCASE("bad metadata") {
    expect_rejected(make_file(R"({"__metadata__":{"epochs":3}})"), {"'epochs'", "must be strings"});
    expect_rejected(make_file(R"({"__metadata__":[1]})"), {"__metadata__", "expected an object"});
  }
}

TEST_CASE("valid edge cases parse: empty file header, zero-size tensors anywhere, padded header") {
  CHECK(parse_safetensors(make_file("{}"), "x").ok());
  CHECK(parse_safetensors(make_file("{}      "), "x").ok());
  auto parsed = parse_safetensors(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                            R"("z":{"dtype":"I64","shape":[0,3],"data_offsets":[2,2]}})",
                                            {0, 0, 128, 63}),
                                  "x");
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? std::string() : parsed.message()));
  auto a = parsed->get_float("a");
  REQUIRE(a.ok());
  CHECK((*a)[0] == 1.0f);
}

TEST_CASE("truncated or bit-flipped files never crash the parser") {
  SafeTensors file;
  file.put_float("w", ramp({3, 2}));
  file.put_ints("n", {1}, std::vector<int64_t>{5});
  const std::vector<uint8_t> good = serialize_safetensors(file);
  int rejected = 0;
  for (size_t length = 0; length < good.size(); ++length) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<long>(length));
    rejected += parse_safetensors(cut, "cut").ok() ? 0 : 1;
  }
  CHECK(rejected == static_cast<int>(good.size()));  // every proper prefix is invalid
  std::mt19937 random(99);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> flipped = good;
    flipped[random() % flipped.size()] ^= static_cast<uint8_t>(1u << (random() % 8));
    auto result = parse_safetensors(flipped, "flipped");
    if (result.ok()) {
      for (const auto& [name, stored] : result->tensors()) (void)result->get_float(name);
    }
  }
}

TEST_CASE("committed malformed files in tests/data are rejected naming the file") {
  struct Case {
    const char* file;
    const char* expected;
  };
  for (const Case& c :
       {Case{"truncated.safetensors", "past the data section"},
        Case{"bad_header.safetensors", "not valid JSON"}, Case{"overlap.safetensors", "overlap"},
        Case{"bad_dtype.safetensors", "unsupported dtype"},
        Case{"short.safetensors", "8-byte header length"}}) {
    auto result = read_safetensors(data_path(c.file));
    REQUIRE_FALSE(result.ok());
    INFO(result.message());
    CHECK(result.message().find(data_path(c.file)) != std::string::npos);
    CHECK(result.message().find(c.expected) != std::string::npos);
  }
}

TEST_CASE("write_safetensors writes a readable file and reports failures") {
  testing::TempDir dir;
  SafeTensors file;
  file.put_float("w", ramp({4, 4}));
  const std::string path = dir.file("model.safetensors");
  REQUIRE(write_safetensors(path, file).ok());
  auto back = read_safetensors(path);
  REQUIRE(back.ok());
  CHECK(back->get_float("w")->values() == ramp({4, 4}).values());
  CHECK(dir.count_entries() == 1);  // no temporary file left behind

  const std::string missing = dir.file("no/such/dir/model.safetensors");
  Status status = write_safetensors(missing, file);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find(missing) != std::string::npos);
  CHECK(status.message().find("No such file or directory") != std::string::npos);

  auto unreadable = read_safetensors(missing);
  REQUIRE_FALSE(unreadable.ok());
  CHECK(unreadable.message().find("No such file or directory") != std::string::npos);
}

TEST_CASE("a failed write leaves the existing file untouched and no temporary file") {
  testing::TempDir dir;
  const std::string path = dir.file("model.safetensors");
  SafeTensors small;
  small.put_float("w", ramp({2}));
  REQUIRE(write_safetensors(path, small).ok());
  const std::vector<uint8_t> before = *read_file_bytes(path);

  // Make the write itself fail half-way: a file-size limit works even as root.
  SafeTensors big;
  big.put_float("w", ramp({64, 1024}));
  rlimit old_limit{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  rlimit limit = old_limit;
  limit.rlim_cur = 4096;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  const Status status = write_safetensors(path, big);
  setrlimit(RLIMIT_FSIZE, &old_limit);
  signal(SIGXFSZ, old_handler);

  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find(path) != std::string::npos);
  CHECK(*read_file_bytes(path) == before);
  CHECK(dir.count_entries() == 1);

  // Renaming onto a directory fails too; the temporary file is removed.
  fs::create_directory(dir.file("occupied"));
  fs::create_directory(dir.file("occupied/child"));
  CHECK_FALSE(write_safetensors(dir.file("occupied"), small).ok());
  CHECK(dir.count_entries() == 2);
}

}  // namespace
}  // namespace convlab
