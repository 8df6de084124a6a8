#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::audit {

struct Finding {
    std::string id; // AIX-xxx / ZSG-xxx
    Severity severity = Severity::Error;
    std::string message;
    SourceSpan span;
    std::optional<uint32_t> rule; // the policy rule (index into Policy::rules), if any
};

// The auditor's verdict on one exception.
struct ExceptionStatus {
    uint32_t rule = 0;
    enum class Verdict { Valid, Warning, Invalid } verdict = Verdict::Valid;
    std::vector<std::string> ids; // audit rules it violates, sorted
    std::optional<int> daysLeft;  // until expiry, on the as-of date
    bool inForce = false;         // emitted by the backends on the as-of date
    bool switchedOff = false;     // its kill-switch group is engaged in the policy
};

// The stable English name of a verdict ("valid", "warning", "invalid"): JSON
// values, register cells and catalogue keys.
const char* verdictName(ExceptionStatus::Verdict v);

// An engaged kill switch (`kill-switch GROUP engaged since ...`), as the
// audit reports it.
struct KillSwitchStatus {
    std::string group;
    model::Date since;
    int days = 0; // engaged for, on the as-of date
    std::string orderedBy, ticket, reason;
    size_t exceptions = 0;        // exceptions of the group
    size_t exceptionsInForce = 0; // ... valid on the as-of date: what the switch holds shut
    // Engaged for longer than kKillSwitchDecisionDays while exceptions of
    // the group are still valid: nobody has decided (release the switch, or
    // retire the exceptions). `check` warns (W506).
    bool undecided = false;
    SourceSpan span;
};

// How long a kill switch may stay engaged before `check` asks for a decision.
constexpr int kKillSwitchDecisionDays = 30;

struct AuditResult {
    model::Date asOf;
    std::vector<Finding> findings; // sorted by location, then id
    std::vector<ExceptionStatus> exceptions;
    std::vector<KillSwitchStatus> killSwitches; // engaged, in policy order
};

// Answers the path questions of AIX-006 and ZSG-003/006/009; supplied by the
// policy-graph analysis. Each returns a human-readable witness path, or "".
class PathOracle {
public:
    virtual ~PathOracle() = default;
    // A data path (any allowed flows, no-pivot included) from a datacenter or
    // classified zone into `source` (AIX-006).
    virtual std::string dataPathInto(const model::Endpoint& source) const = 0;
    // A path from datacenter zone `z` to an internet/saas zone that does not
    // use an exception (ZSG-003).
    virtual std::string exfiltrationWithoutException(uint32_t zone) const = 0;
    // A lateral-movement path from an exception holder to a target (ZSG-006).
    virtual std::string lateralFrom(const model::Endpoint& holder) const = 0;
    // A path from an rnd/devtest zone into a datacenter zone (ZSG-009).
    virtual std::string pathIntoDatacenter(uint32_t zone) const = 0;
};

// Runs every audit rule of docs/reference.md ("Audit rules"). Path rules run only when
// `paths` is given.
AuditResult runAudit(const model::Policy& policy, model::Date asOf, const PathOracle* paths);

// Findings become diagnostics with the rule id as code; engaged kill
// switches left undecided (W506) or dated after the as-of date (W507)
// become warnings.
void reportAudit(const AuditResult& result, DiagnosticEngine& diags);

// The engaged kill switches of `policy` on `asOf`.
std::vector<KillSwitchStatus> killSwitchStatus(const model::Policy& policy, model::Date asOf);

} // namespace netsep::audit
