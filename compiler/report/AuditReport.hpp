#pragma once
#include "analysis/PolicyGraph.hpp"
#include "audit/Audit.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"
#include "review/RiskAcceptance.hpp"

#include <string>
#include <vector>

namespace netsep::report {

// Everything an audit report shows, gathered once for every format.
struct AuditInput {
    const model::Policy& policy;
    const SourceManager& sources;
    const audit::AuditResult& audit;
    const analysis::PolicyGraph& graph;
    // Analysis findings (lateral movement, exfiltration, ...) as diagnostics.
    std::vector<Diagnostic> analysisFindings;
    // Every waiver: the lateral-movement risks the policy accepts.
    std::vector<review::RiskAcceptance> riskAcceptances;
};

// Which zone may reach which, by service (after deny-overrides): rows are
// source zones, columns destination zones and saas endpoints.
struct ZoneMatrix {
    std::vector<std::string> rows, cols;
    std::vector<std::vector<std::string>> cells; // "" = nothing allowed
};
ZoneMatrix zoneMatrix(const model::Policy& policy, const analysis::PolicyGraph& graph);

std::string auditText(const AuditInput& in);
std::string auditJson(const AuditInput& in);
// One self-contained, printable HTML file: no scripts, no external fetches.
std::string auditHtml(const AuditInput& in);

} // namespace netsep::report
