#include "app/language.h"

#include <algorithm>
#include <cctype>

#include "core/base/i18n.h"

namespace convlab::app {

const std::vector<LanguageChoice>& ui_languages() {
  static const std::vector<LanguageChoice> languages = {{"en", "English"}, {"pt-BR", "Português (Brasil)"}};
  return languages;
}

namespace {

// "pt_BR.UTF-8" -> "pt-br"
std::string normalized(const std::string& text) {
  std::string tag = text.substr(0, text.find_first_of(".@"));
  std::replace(tag.begin(), tag.end(), '_', '-');
  std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
  return tag;
}

}  // namespace

Result<std::string> parse_language_tag(const std::string& text, const std::string& where) {
  const std::string tag = normalized(text);
  if (tag == "pt" || tag == "pt-br") return std::string("pt-BR");
  if (tag == "en" || tag.rfind("en-", 0) == 0) return std::string("en");
  if (tag == "qps") return std::string("qps");
  return Error{where + format(tr("'%s' is not a language ConvLab speaks; valid: en, pt-BR"), text.c_str())};
}

std::string ui_language_for(const std::string& system_tag) {
  const std::string tag = normalized(system_tag);
  return tag == "pt" || tag.rfind("pt-", 0) == 0 ? "pt-BR" : "en";
}

}  // namespace convlab::app
