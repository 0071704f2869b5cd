// A compiled gettext catalog (.mo, as msgfmt writes it) read into memory:
// the browser build's translator, since the browser's C library has no
// working gettext. The desktop uses glibc's gettext on the same files; a
// test checks that both give the same answer for every string.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/base/result.h"

namespace convlab {

class MoCatalog {
 public:
  // `bytes` is the whole file; `source` names it in errors. Every offset is
  // checked against the file's size, so a truncated or corrupt file is an
  // error, never a crash.
  static Result<MoCatalog> parse(std::string_view bytes, const std::string& source);
  static Result<MoCatalog> load(const std::string& path);

  // The translation of `key` (msgid, or context "\x04" msgid), or nullptr.
  // For a plural entry, its first form.
  const char* find(const char* key) const;
  size_t size() const { return translations_.size(); }

 private:
  // Looked up by string_view, so tr() allocates nothing per call.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  std::unordered_map<std::string, std::string, KeyHash, std::equal_to<>> translations_;
};

}  // namespace convlab
