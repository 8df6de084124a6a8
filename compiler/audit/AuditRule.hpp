#pragma once
#include "diag/Diagnostic.hpp"

#include <string>
#include <vector>

namespace netsep::audit {

// One audit rule (docs/reference.md, "Audit rules"): a stable id, what it checks, the
// regulation it traces to, and its severity.
struct AuditRule {
    const char* id;
    const char* checks;
    const char* tracesTo;
    Severity severity;
    bool needsPaths; // evaluated on the policy graph
};

const std::vector<AuditRule>& auditRules();
const AuditRule* findAuditRule(const std::string& id);

} // namespace netsep::audit
