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
        std::string_view full = sources_.line(span.file, span.line);
        size_t col = span.col > 0 ? span.col - 1 : 0;
        if (col > full.size())
            col = full.size();
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
            col = col - begin + prefix.size();
        }
        std::string line = prefix + printable(full) + suffix;
        out += "  ";
        out += line;
        out += "\n  ";
        size_t quoted = line.size() - suffix.size(); // the caret stays on source text
        if (col > quoted)
            col = quoted;
        out.append(col, ' ');
        size_t len = std::max<size_t>(1, std::min<size_t>(span.length, quoted - col));
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
