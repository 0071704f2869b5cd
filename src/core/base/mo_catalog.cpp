#include "core/base/mo_catalog.h"

#include <cstdint>
#include <fstream>
#include <sstream>

namespace convlab {

namespace {

constexpr uint32_t kMagic = 0x950412de;
constexpr uint32_t kMagicSwapped = 0xde120495;
constexpr size_t kHeaderBytes = 28;  // magic, revision, count, two table offsets, hash size, hash offset

uint32_t swap_bytes(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

}  // namespace

Result<MoCatalog> MoCatalog::parse(std::string_view bytes, const std::string& source) {
  auto fail = [&](const std::string& what) {
    return Error{source + ": " + what + "; expected a gettext catalog compiled by msgfmt (.mo)"};
  };
  if (bytes.size() < kHeaderBytes) return fail("only " + std::to_string(bytes.size()) + " bytes");
  bool swapped = false;
  auto word_at = [&](size_t offset) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(bytes[offset + static_cast<size_t>(i)]);
    return swapped ? swap_bytes(v) : v;
  };
  const uint32_t magic = word_at(0);
  if (magic == kMagicSwapped) {
    swapped = true;
  } else if (magic != kMagic) {
    return fail("its first four bytes are not the .mo magic number");
  }
  if ((word_at(4) >> 16) != 0)
    return fail("its format revision " + std::to_string(word_at(4)) + " is unknown");
  const uint64_t count = word_at(8);
  const uint64_t originals = word_at(12);
  const uint64_t translations = word_at(16);
  const uint64_t size = bytes.size();
  if (originals + count * 8 > size || translations + count * 8 > size)
    return fail("its string tables run past the end of the file (" + std::to_string(count) + " strings)");

  // One (length, offset) descriptor; the string must end with its NUL inside the file.
  auto string_at = [&](uint64_t table, uint64_t index, std::string_view& out) {
    const uint64_t length = word_at(static_cast<size_t>(table + index * 8));
    const uint64_t offset = word_at(static_cast<size_t>(table + index * 8 + 4));
    if (offset + length >= size || bytes[static_cast<size_t>(offset + length)] != '\0') return false;
    out = bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
    return true;
  };

  MoCatalog catalog;
  catalog.translations_.reserve(static_cast<size_t>(count));
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view original, translation;
    if (!string_at(originals, i, original) || !string_at(translations, i, translation))
      return fail("string " + std::to_string(i) + " lies outside the file or is not terminated");
    if (original.empty()) continue;  // the header entry (charset, plural forms)
    // Plural entries hold "singular\0plural" and "form0\0form1...": keyed by
    // the singular, answered with the first form, as far as tr() goes.
    original = original.substr(0, original.find('\0'));
    translation = translation.substr(0, translation.find('\0'));
    if (!translation.empty()) catalog.translations_.emplace(std::string(original), std::string(translation));
  }
  return catalog;
}

Result<MoCatalog> MoCatalog::load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{path + ": cannot be opened; expected a gettext catalog compiled by msgfmt (.mo)"};
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return parse(bytes.str(), path);
}

const char* MoCatalog::find(const char* key) const {
  const auto it = translations_.find(std::string_view(key));
  return it == translations_.end() ? nullptr : it->second.c_str();
}

}  // namespace convlab
