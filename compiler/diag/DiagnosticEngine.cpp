#include "diag/DiagnosticEngine.hpp"

#include <algorithm>
#include <ostream>
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

// Control bytes in a quoted line would garble a terminal; show them as '?'.
std::string printable(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    for (char c : line) {
        auto u = static_cast<unsigned char>(c);
        out.push_back(c == '\t' ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : c);
    }
    return out;
}
} // namespace

Diagnostic& DiagnosticEngine::report(Diagnostic d) {
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
            out += sources_.file(span.file).path + ":" + std::to_string(span.line) + ":" +
                   std::to_string(span.col) + ": ";
        } else {
            out += "netsep: ";
        }
        out += sev;
        if (!code.empty())
            out += "[" + code + "]";
        out += ": " + msg + "\n";
        if (!span.valid() || span.file >= sources_.size())
            return;
        std::string line = printable(sources_.line(span.file, span.line));
        out += "  ";
        out += line;
        out += "\n  ";
        size_t col = span.col > 0 ? span.col - 1 : 0;
        if (col > line.size())
            col = line.size();
        out.append(col, ' ');
        size_t len = std::max<size_t>(1, std::min<size_t>(span.length, line.size() - col));
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
