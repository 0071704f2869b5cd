#include "core/base/i18n.h"

#include <atomic>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace convlab {

namespace {

// Set while the app starts or when the user picks a language; read by every
// frame's tr() calls, possibly from a worker thread too.
std::atomic<i18n::Lookup> g_lookup{nullptr};
std::string g_language_tag = "en";

}  // namespace

const char* tr(const char* msgid) {
  const i18n::Lookup lookup = g_lookup.load(std::memory_order_acquire);
  if (lookup == nullptr || msgid == nullptr || *msgid == '\0') return msgid;
  const char* translated = lookup(msgid);
  return translated != nullptr ? translated : msgid;
}

const char* trc(const char* context, const char* msgid) {
  const i18n::Lookup lookup = g_lookup.load(std::memory_order_acquire);
  if (lookup == nullptr || msgid == nullptr || *msgid == '\0') return msgid;
  // gettext's key for a string with a context: context, EOT (0x04), msgid.
  thread_local std::string key;
  key.assign(context).push_back('\x04');
  key += msgid;
  const char* translated = lookup(key.c_str());
  // glibc returns the key itself when it has no translation.
  if (translated == nullptr || translated == key.c_str() || key == translated) return msgid;
  return translated;
}

std::string format(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  va_list copy;
  va_copy(copy, args);
  const int size = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string text;
  if (size > 0) {
    text.resize(static_cast<size_t>(size) + 1);
    std::vsnprintf(text.data(), text.size(), fmt, args);
    text.resize(static_cast<size_t>(size));
  }
  va_end(args);
  return text;
}

namespace i18n {

void set_lookup(Lookup lookup) { g_lookup.store(lookup, std::memory_order_release); }

void set_language_tag(const std::string& tag) { g_language_tag = tag; }
const std::string& language_tag() { return g_language_tag; }

bool decimal_comma() { return g_language_tag == "pt-BR" || g_language_tag == "qps"; }

std::string display_text(std::string text) {
  if (!decimal_comma()) return text;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '.' && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(text[i + 1])))
      text[i] = ',';
  }
  return text;
}

std::string display_number(double value, int decimals) {
  return display_text(format("%.*f", decimals, value));
}

}  // namespace i18n
}  // namespace convlab
