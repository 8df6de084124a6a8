#pragma once
#include "diag/DiagnosticEngine.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace netsep::parse {

// What the two parse paths (Transformer, StatementReader) make of a token's
// text: both read words and strings here, so they agree on every value and
// diagnostic.

// A word (a name, address, domain name, port clause, date) is at most this
// many bytes: every valid value fits (a domain name is at most 253), and a
// name stays usable as a file name (a firewall's output directory) and
// keeps diagnostics and reports small. Longer: E107.
inline constexpr size_t kMaxWordBytes = 255;

// Reports E107 when `text` (a WORD token at `span`) is too long.
void checkWordLength(std::string_view text, SourceSpan span, DiagnosticEngine& diags);

// The value of a STRING token (`token`: its text, quotes included, at
// `span`): the escapes \", \\, \n (newline) and \t (tab) are decoded; any
// other backslash escape is E106 at the escape and kept as written.
std::string stringValue(std::string_view token, SourceSpan span, DiagnosticEngine& diags);

} // namespace netsep::parse
