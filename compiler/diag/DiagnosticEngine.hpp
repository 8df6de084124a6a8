#pragma once
#include "diag/Diagnostic.hpp"
#include "diag/SourceManager.hpp"

#include <functional>
#include <iosfwd>
#include <vector>

namespace netsep {

// Collects diagnostics of a phase; the driver stops between phases when
// errors were reported, so later phases only ever see well-formed input.
class DiagnosticEngine {
public:
    explicit DiagnosticEngine(const SourceManager& sources) : sources_(sources) {}

    void error(std::string code, SourceSpan span, std::string message);
    void warning(std::string code, SourceSpan span, std::string message);
    void note(std::string code, SourceSpan span, std::string message);
    Diagnostic& report(Diagnostic d);

    bool hasErrors() const { return errors_ > 0; }
    size_t errorCount() const { return errors_; }
    size_t warningCount() const { return warnings_; }
    // Warnings become errors (--strict).
    void setWarningsAsErrors(bool on) { warningsAsErrors_ = on; }
    bool warningsAsErrors() const { return warningsAsErrors_; }

    // Warnings the predicate selects become errors (`--fail-on CODE`);
    // returns how many.
    size_t raiseToErrors(const std::function<bool(const Diagnostic&)>& which);

    // In the order they were reported.
    const std::vector<Diagnostic>& all() const { return diags_; }
    // Sorted by file, line, column, then code: stable across runs.
    std::vector<Diagnostic> sorted() const;
    void print(std::ostream& out) const;
    std::string render(const Diagnostic& d) const;
    const SourceManager& sources() const { return sources_; }

private:
    const SourceManager& sources_;
    std::vector<Diagnostic> diags_;
    size_t errors_ = 0;
    size_t warnings_ = 0;
    bool warningsAsErrors_ = false;
};

} // namespace netsep
