#include "diag/DiagnosticEngine.hpp"

#include "diag/DiagnosticCodes.hpp"
#include "diag/Printable.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <tuple>

namespace netsep {

namespace {
const char* severityName(Severity s) {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Note:
        return "note";
    }
    return "error";
}

// A quoted source line longer than this is cut to a window around the span,
// so a diagnostic's size never depends on the line's length (a 10 MB line with
// many errors would otherwise print 10 MB per error).
constexpr size_t kMaxQuotedLine = 240;
constexpr size_t kQuoteContextBefore = 80;

bool utf8Continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

// The byte offset `count` code points after byte offset `from` (clamped).
size_t byteOffsetOfCodePoint(std::string_view s, size_t from, size_t count) {
    for (; count > 0 && from < s.size(); --count)
        do
            ++from;
        while (from < s.size() && utf8Continuation(s[from]));
    return std::min(from, s.size());
}

// Terminal cells of a code point: two for East Asian wide and fullwidth
// characters (Unicode UAX #11 "W" and "F" blocks netsep users meet: Hangul,
// CJK, kana, fullwidth forms, emoji), one otherwise.
unsigned cellsOf(char32_t c) {
    auto in = [c](char32_t lo, char32_t hi) { return c >= lo && c <= hi; };
    bool wide = in(0x1100, 0x115F) || in(0x2E80, 0x303E) || in(0x3041, 0x33FF) ||
                in(0x3400, 0x4DBF) || in(0x4E00, 0x9FFF) || in(0xA960, 0xA97F) ||
                in(0xAC00, 0xD7A3) || in(0xF900, 0xFAFF) || in(0xFE30, 0xFE4F) ||
                in(0xFF00, 0xFF60) || in(0xFFE0, 0xFFE6) || in(0x1F300, 0x1F64F) ||
                in(0x1F900, 0x1F9FF) || in(0x20000, 0x3FFFD);
    return wide ? 2 : 1;
}

size_t displayWidth(std::string_view s) {
    size_t cells = 0;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        char32_t cp = n == 1 ? c : c & (0x7F >> n);
        for (size_t k = 1; k < n && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        cells += cellsOf(cp);
        i += n;
    }
    return cells;
}

} // namespace

Diagnostic& DiagnosticEngine::report(Diagnostic d) {
    // Every code is documented (docs/reference.md is tested against the
    // registry): an unregistered one is a bug, never shown to a user.
    // A warning may arrive already promoted by --strict (re-reported from a
    // per-firewall engine).
    const diag::CodeInfo* info = diag::findCode(d.code);
    unsigned allowed = info ? info->severities : 0;
    if (allowed & diag::kWarning)
        allowed |= diag::kError;
    if (!(allowed & diag::maskOf(d.severity)))
        throw std::logic_error("diagnostic code '" + d.code + "' (" + severityName(d.severity) +
                               ") is not registered in compiler/diag/DiagnosticCodes.cpp");
    if (d.severity == Severity::Warning && warningsAsErrors_)
        d.severity = Severity::Error;
    if (d.severity == Severity::Error)
        ++errors_;
    else if (d.severity == Severity::Warning)
        ++warnings_;
    diags_.push_back(std::move(d));
    return diags_.back();
}

size_t DiagnosticEngine::raiseToErrors(const std::function<bool(const Diagnostic&)>& which) {
    size_t raised = 0;
    for (Diagnostic& d : diags_)
        if (d.severity == Severity::Warning && which(d)) {
            d.severity = Severity::Error;
            --warnings_;
            ++errors_;
            ++raised;
        }
    return raised;
}

void DiagnosticEngine::error(std::string code, SourceSpan span, std::string message) {
    report({Severity::Error, std::move(code), std::move(message), span, {}});
}
void DiagnosticEngine::warning(std::string code, SourceSpan span, std::string message) {
    report({Severity::Warning, std::move(code), std::move(message), span, {}});
}
void DiagnosticEngine::note(std::string code, SourceSpan span, std::string message) {
    report({Severity::Note, std::move(code), std::move(message), span, {}});
}

std::vector<Diagnostic> DiagnosticEngine::sorted() const {
    std::vector<Diagnostic> out = diags_;
    auto key = [this](const Diagnostic& d) {
        const std::string& path =
            d.span.file < sources_.size() ? sources_.file(d.span.file).path : std::string();
        return std::make_tuple(path, d.span.line, d.span.col, d.code, d.message);
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
    return out;
}

std::string DiagnosticEngine::render(const Diagnostic& d) const {
    std::string out;
    auto located = [&](const SourceSpan& span, const char* sev, const std::string& code,
                       const std::string& msg) {
        if (span.valid() && span.file < sources_.size()) {
            // An included file's path comes from the policy: as untrusted
            // as a message.
            out += printable(sources_.file(span.file).path) + ":" + std::to_string(span.line) +
                   ":" + std::to_string(span.col) + ": ";
        } else {
            out += "netsep: ";
        }
        out += sev;
        if (!code.empty())
            out += "[" + code + "]";
        out += ": " + printable(msg, true) + "\n";
        if (!span.valid() || span.file >= sources_.size())
            return;
        // Columns count code points; the caret is placed by terminal width
        // (East Asian wide characters take two cells), so it stays under the
        // token on lines with Hangul before it.
        std::string_view full = sources_.line(span.file, span.line);
        size_t col = byteOffsetOfCodePoint(full, 0, span.col > 0 ? span.col - 1 : 0);
        size_t tokenEnd = byteOffsetOfCodePoint(full, col, std::max<uint32_t>(span.length, 1));
        std::string prefix, suffix;
        if (full.size() > kMaxQuotedLine) {
            size_t begin = col > kQuoteContextBefore ? col - kQuoteContextBefore : 0;
            while (begin > 0 && begin < full.size() && utf8Continuation(full[begin]))
                --begin;
            size_t end = std::min(full.size(), begin + kMaxQuotedLine);
            while (end < full.size() && end > begin && utf8Continuation(full[end]))
                --end;
            if (begin > 0)
                prefix = "...";
            if (end < full.size())
                suffix = "...";
            full = full.substr(begin, end - begin);
            col -= begin;
            tokenEnd -= begin;
        }
        col = std::min(col, full.size());
        tokenEnd = std::clamp(tokenEnd, col, full.size());
        std::string line = prefix + printable(full) + suffix;
        out += "  ";
        out += line;
        out += "\n  ";
        out.append(prefix.size() + displayWidth(printable(full.substr(0, col))), ' ');
        size_t len = std::max<size_t>(1, displayWidth(printable(full.substr(col, tokenEnd - col))));
        out += '^';
        out.append(len - 1, '~');
        out += '\n';
    };
    located(d.span, severityName(d.severity), d.code, d.message);
    for (const auto& [span, msg] : d.notes)
        located(span, "note", "", msg);
    return out;
}

void DiagnosticEngine::print(std::ostream& out) const {
    for (const Diagnostic& d : sorted())
        out << render(d);
}

} // namespace netsep
