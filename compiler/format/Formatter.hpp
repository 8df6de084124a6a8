#pragma once
#include <string>

namespace netsep::format {

// Canonical layout of a syntactically valid policy file, keeping the
// author's line breaks and comments: one space between tokens, none before
// commas, two spaces before a trailing comment, indentation by brace depth
// (2 spaces; continuation lines 4), at most one blank line, LF endings, a
// final newline. Idempotent: formatting its own output changes nothing.
std::string formatSource(const std::string& text);

} // namespace netsep::format
