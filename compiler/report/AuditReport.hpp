#pragma once
#include "analysis/PolicyGraph.hpp"
#include "audit/Assumptions.hpp"
#include "audit/Audit.hpp"
#include "audit/DeploymentView.hpp"
#include "audit/DrillEvidence.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"
#include "report/Catalogue.hpp"

#include <string>
#include <utility>
#include <vector>

namespace netsep::report {

// Which policy and which netsep made a report.
struct Provenance {
    std::string version; // netsep version
    std::string digest;  // "sha256:<hex>" over every loaded file; empty if not computed
    std::vector<std::pair<std::string, std::string>> files; // path, sha256 hex
};

// Everything an audit report shows, gathered once for every format.
struct AuditInput {
    const model::Policy& policy;
    const SourceManager& sources;
    const audit::AuditResult& audit;
    const analysis::PolicyGraph& graph;
    // Analysis findings (lateral movement, exfiltration, ...) as diagnostics.
    std::vector<Diagnostic> analysisFindings;
    audit::Assumptions assumptions;
    Provenance provenance;
    Lang lang = Lang::En; // text and HTML; JSON and SARIF are always English
    // Where each exception runs (audit::deploymentView), by Policy::rules index.
    std::vector<audit::ExceptionDeployment> deployments = {};
    // The drill records (`audit --drill-records DIR`); nullptr: not given,
    // and the reports have no drill section.
    const audit::DrillEvidence* drills = nullptr;
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

// The assumptions as notes located at their statements, for SARIF: ASM-001
// waiver, ASM-002 isolated zone, ASM-003 identity delegation, ASM-004 a
// finding held back by assumptions.
std::vector<Diagnostic> assumptionNotes(const AuditInput& in);

} // namespace netsep::report
