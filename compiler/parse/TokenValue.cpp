#include "parse/TokenValue.hpp"

namespace netsep::parse {

namespace {

bool continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

uint32_t codePoints(std::string_view s) {
    uint32_t n = 0;
    for (char c : s)
        n += !continuation(c);
    return n;
}

} // namespace

void checkWordLength(std::string_view text, SourceSpan span, DiagnosticEngine& diags) {
    if (text.size() <= kMaxWordBytes)
        return;
    // The message quotes the start only: it stays small however long the word.
    size_t cut = 32;
    while (cut > 0 && continuation(text[cut]))
        --cut;
    diags.error("E107", span,
                "'" + std::string(text.substr(0, cut)) + "...' is " + std::to_string(text.size()) +
                    " bytes long; a name or other word is at most " +
                    std::to_string(kMaxWordBytes) + " bytes");
}

std::string stringValue(std::string_view token, SourceSpan span, DiagnosticEngine& diags) {
    std::string out;
    if (token.size() < 2)
        return out;
    out.reserve(token.size() - 2);
    const size_t end = token.size() - 1; // the closing quote
    for (size_t i = 1; i < end; ++i) {
        if (token[i] != '\\' || i + 1 >= end) {
            out.push_back(token[i]);
            continue;
        }
        const char c = token[i + 1];
        if (c == '"' || c == '\\' || c == 'n' || c == 't') {
            out.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c);
            ++i;
            continue;
        }
        // Unknown: kept as written; the escaped character may be several bytes.
        size_t stop = i + 2;
        while (stop < end && continuation(token[stop]))
            ++stop;
        const std::string_view escape = token.substr(i, stop - i);
        SourceSpan at = span;
        at.col = span.col + codePoints(token.substr(0, i));
        at.length = 2;
        diags.error("E106", at,
                    "unknown escape '" + std::string(escape) +
                        "' in a string; the escapes are \\\" \\\\ \\n and \\t");
        out.append(escape);
        i = stop - 1;
    }
    return out;
}

} // namespace netsep::parse
