#pragma once
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::report {

// The languages of the human-readable audit reports (text and HTML). JSON,
// SARIF and the register keep English keys and values for tools.
enum class Lang { En, Ko };

std::optional<Lang> parseLang(std::string_view name); // "en", "ko"
const char* langTag(Lang lang);                       // the HTML lang attribute

// Every translated string of the reports lives in one table
// (Catalogue.cpp): headings, labels, verdicts, audit-rule titles and the
// guidance text. `key` must exist (a unit test checks that every key has
// both languages); an unknown key returns itself, so a slip shows instead
// of vanishing.
std::string tr(Lang lang, std::string_view key);
// Whether the table has `key` in `lang` (the English titles of audit rules
// live in their own table and are not here).
bool hasTranslation(Lang lang, std::string_view key);

// tr() with fmt placeholders filled in.
template <typename... Args> std::string trf(Lang lang, std::string_view key, Args&&... args) {
    return fmt::format(fmt::runtime(tr(lang, key)), std::forward<Args>(args)...);
}

// Every key, in table order (for the completeness test).
std::vector<std::string_view> catalogueKeys();

} // namespace netsep::report
