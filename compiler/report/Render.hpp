#pragma once
#include "analysis/Analysis.hpp"
#include "diag/Diagnostic.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"

#include <string>
#include <vector>

namespace netsep::analysis {
struct WaivedPaths;
}

namespace netsep::report {

// `netsep paths` as text for a CI log: one block per finding with the
// witness path, the alternatives and the fix, then blast radius and cut.
// With `waived` (analysis::findWaivedPaths), the findings live waivers hide
// are summed up after the findings.
std::string pathsText(const analysis::Result& result, const model::Policy& policy,
                      const analysis::WaivedPaths* waived = nullptr);

// The same as JSON (nlohmann::json, dump(2)). With `sources`, every rule
// also carries "where": "file:line".
// "waivedPaths" lists the findings `waived` holds (empty arrays without it).
std::string pathsJson(const analysis::Result& result, const model::Policy& policy,
                      const SourceManager* sources = nullptr,
                      const analysis::WaivedPaths* waived = nullptr);

// Graphviz: zones coloured by level (groups drawn inside their zone),
// exposed sources double-bordered, targets bold, witness paths highlighted
// (lateral movement red, exfiltration purple). Renders with `dot -Tsvg`.
std::string pathsDot(const analysis::Result& result, const model::Policy& policy);

// A finding kept out of the verdict because the policy accepts it: a path a
// live waiver hides. SARIF lists it with `suppressions` (kind inSource: the
// waive statement is in the policy), diagnostics JSON under "suppressed".
struct Suppression {
    std::string justification; // ticket, expiry, reason
    SourceSpan location;       // the waive statement
};
struct SuppressedDiagnostic {
    Diagnostic diagnostic;
    std::vector<Suppression> suppressions;
};
// The findings `waived` holds, as suppressed diagnostics.
std::vector<SuppressedDiagnostic> suppressedFindings(const analysis::WaivedPaths& waived,
                                                     const model::Policy& policy);

struct SarifOptions {
    std::string toolVersion = "0.1.0";
    std::string informationUri = "https://github.com/netsep/netsep";
};

// SARIF 2.1.0 for code scanning: one result per diagnostic (ruleId = code),
// located at the policy statement, notes as related locations. Columns are
// converted to UTF-16 code units (the SARIF default column kind).
std::string sarif(const std::vector<Diagnostic>& sortedDiags, const SourceManager& sources,
                  const SarifOptions& options = {},
                  const std::vector<SuppressedDiagnostic>& suppressed = {});

// `check --format json`: every diagnostic with file/line/column and notes.
std::string diagnosticsJson(const std::vector<Diagnostic>& sortedDiags,
                            const SourceManager& sources,
                            const std::vector<SuppressedDiagnostic>& suppressed = {});

// Short description of a diagnostic code (analysis, audit and common
// front-end codes); empty when unknown.
std::string describeCode(const std::string& code);

} // namespace netsep::report
