// safetensors files (weights people pass around): any bytes either parse or
// give an error; a parsed file's tensors lie inside it.
#include <span>

#include "core/io/safetensors.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = convlab::parse_safetensors(std::span<const uint8_t>(data, size), "fuzz.safetensors");
  if (!parsed.ok()) FUZZ_REQUIRE(!parsed.message().empty());
  return 0;
}
