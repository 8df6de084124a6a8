#pragma once
#include "analysis/Analysis.hpp"
#include "audit/Audit.hpp"
#include "model/Policy.hpp"

#include <memory>
#include <string>
#include <vector>

namespace netsep::review {

// One finding of a checked policy (analysis or audit), with a key that
// names what it is about rather than where it is, so the same finding is
// recognised in two versions of a policy however lines moved.
struct Finding {
    std::string key;  // "LAT-001 internet -> core", "ANO-002 r2", "AIX-005 x: <message>"
    std::string code; // LAT-001, AIX-005, ...
    Severity severity = Severity::Error;
    std::string message; // as check prints it
    SourceSpan span;     // in its own policy's sources
};

// What check reports about a model, short of the front end's diagnostics:
// analysis findings (lateral movement, exfiltration, expectations,
// anomalies, waivers) and audit findings, sorted by key.
std::vector<Finding> collectFindings(const model::Policy& policy, const analysis::Result& analysis,
                                     const audit::AuditResult& audit);

// The analysis and audit of a model, as Session::check runs them (k = 1).
struct Checked {
    std::shared_ptr<analysis::Result> analysis;
    std::shared_ptr<audit::AuditResult> audit;
};
Checked checkModel(const model::Policy& policy, model::Date asOf);

struct FindingChange {
    Finding before, after; // same key; severity or message differs
};
struct FindingsDelta {
    std::vector<Finding> appeared, disappeared;
    std::vector<FindingChange> changed;
    bool empty() const { return appeared.empty() && disappeared.empty() && changed.empty(); }
};
// Both sorted by key (collectFindings).
FindingsDelta diffFindings(const std::vector<Finding>& before, const std::vector<Finding>& after);

} // namespace netsep::review
