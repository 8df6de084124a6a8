#pragma once
#include "analysis/Analysis.hpp"
#include "diag/Diagnostic.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"

#include <string>
#include <vector>

namespace netsep::report {

// `netsep paths` as text for a CI log: one block per finding with the
// witness path, the alternatives and the fix, then blast radius and cut.
std::string pathsText(const analysis::Result& result, const model::Policy& policy);

// The same as JSON (nlohmann::json, dump(2)). With `sources`, every rule
// also carries "where": "file:line".
std::string pathsJson(const analysis::Result& result, const model::Policy& policy,
                      const SourceManager* sources = nullptr);

// Graphviz: zones coloured by level (groups drawn inside their zone),
// exposed sources double-bordered, targets bold, witness paths highlighted
// (lateral movement red, exfiltration purple). Renders with `dot -Tsvg`.
std::string pathsDot(const analysis::Result& result, const model::Policy& policy);

struct SarifOptions {
    std::string toolVersion = "0.1.0";
    std::string informationUri = "https://github.com/netsep/netsep";
};

// SARIF 2.1.0 for code scanning: one result per diagnostic (ruleId = code),
// located at the policy statement, notes as related locations. Columns are
// converted to UTF-16 code units (the SARIF default column kind).
std::string sarif(const std::vector<Diagnostic>& sortedDiags, const SourceManager& sources,
                  const SarifOptions& options = {});

// `check --format json`: every diagnostic with file/line/column and notes.
std::string diagnosticsJson(const std::vector<Diagnostic>& sortedDiags,
                            const SourceManager& sources);

// Short description of a diagnostic code (analysis, audit and common
// front-end codes); empty when unknown.
std::string describeCode(const std::string& code);

} // namespace netsep::report
