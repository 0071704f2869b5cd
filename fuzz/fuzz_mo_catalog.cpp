// Compiled translation catalogs (.mo), read by the browser build: a catalog
// or an error naming the file; every entry found can be looked up.
#include "core/base/mo_catalog.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto catalog =
      convlab::MoCatalog::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.mo");
  if (!catalog.ok()) {
    FUZZ_REQUIRE(catalog.message().find("fuzz.mo") != std::string::npos);
    return 0;
  }
  (void)catalog->find("Stride");
  return 0;
}
