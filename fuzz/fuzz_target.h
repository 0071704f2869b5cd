// What every fuzz target shares. Each fuzz_<reader>.cpp defines
// LLVMFuzzerTestOneInput for one reader of outside input; built with clang's
// libFuzzer by scripts/fuzz, or with replay_main.cpp into a plain program
// that feeds it the committed corpus and regression inputs (ctest "fuzz
// replay: ..."), so every compiler and sanitizer build replays them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

// A property the reader promised and broke: reported like a crash, so
// libFuzzer keeps the input.
#define FUZZ_REQUIRE(condition)                                                          \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "fuzz: %s:%d: broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

inline std::string fuzz_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}
