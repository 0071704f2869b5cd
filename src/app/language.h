// The UI's language: which ones exist, how a tag given by a person (--lang,
// lang= in a link, the settings file, LANG, the browser) is read, and how
// the one in use is chosen.
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"

namespace convlab::app {

struct LanguageChoice {
  const char* tag;   // "en", "pt-BR": what --lang, links and settings use
  const char* name;  // in the language itself, as a menu shows it
};
// The languages a person can pick (the test-only pseudo language "qps" is
// accepted by parse_language_tag but never listed).
const std::vector<LanguageChoice>& ui_languages();

// "pt-BR", "pt_BR", "pt" -> "pt-BR"; "en", "en-US" -> "en"; "qps" stays.
// `where` names the setting in the error, which lists the valid tags.
Result<std::string> parse_language_tag(const std::string& text, const std::string& where);

// The system's or browser's language tag as a UI language: Portuguese for
// any "pt", English for everything else.
std::string ui_language_for(const std::string& system_tag);

}  // namespace convlab::app
