// The words people read, in their language. Every string the app shows goes
// through tr() (or trc() where a short English word needs its context to be
// translated well); xgettext finds those calls (scripts/update-po), the
// catalogs live in po/ as GNU gettext PO files, and msgfmt compiles them at
// build time. Which catalog answers is the platform's business
// (platform::use_language): glibc's gettext on the desktop, MoCatalog in the
// browser. Without one, tr() returns its argument: English, as the CLI,
// files and tests see it.
//
// Numbers shown to people follow the language too (a decimal comma in
// Portuguese): display_number() and friends. Files, settings, links and
// traces never use them; they keep number_text.h's dot.
#pragma once

#include <string>

namespace convlab {

// The translation of `msgid`, or msgid itself. The pointer stays valid for
// the program's life (the catalog is never unloaded while it runs).
const char* tr(const char* msgid);
// The translation of `msgid` in `context` (gettext's msgctxt): for words
// like "Input" that a translator must see in their place.
const char* trc(const char* context, const char* msgid);
// Marks a string for extraction where it is stored untranslated (tables of
// constants); pass it through tr() where it is shown.
constexpr const char* tr_noop(const char* msgid) { return msgid; }

// printf into a std::string, for translated formats: format(tr("Step %d of %d"), i, n).
// Formats may number their arguments (%2$d) so a translation can reorder them.
std::string format(const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

namespace i18n {

// Who answers tr(): a function from a catalog key (msgid, or context "\x04"
// msgid) to its translation, or nullptr when the catalog has none. Passing
// nullptr for `lookup` goes back to English.
using Lookup = const char* (*)(const char* key);
void set_lookup(Lookup lookup);

// The UI language's tag ("en", "pt-BR", or "qps", the test-only pseudo
// language), set by whoever chose the catalog.
void set_language_tag(const std::string& tag);
const std::string& language_tag();

// True in languages that write 2,5 for 2.5 (Portuguese; the pseudo language
// too, so tests see every number that skips display_number()).
bool decimal_comma();

// A number as people read it: `text` (made with a dot by number_text.h or
// printf) with its decimal point swapped for a comma where the language
// wants one. Only '.' between two digits is touched, so "1.5 × 2.25" and
// "x.y" both come out right.
std::string display_text(std::string text);
// printf("%.{decimals}f") of `value`, in the UI language.
std::string display_number(double value, int decimals);

}  // namespace i18n
}  // namespace convlab
