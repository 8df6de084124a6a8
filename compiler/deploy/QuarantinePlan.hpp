#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "lower/LoweredQuarantine.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::deploy {

struct QuarantineRequest {
    std::vector<std::string> targets;   // zone or group names
    std::vector<std::string> allowFrom; // zones that keep access; empty: the policy's
                                        // `quarantine-access` zones
    bool noAccess = false;              // no zone keeps access (--no-access)
};

// One firewall that polices a target: what its backends print.
struct FirewallQuarantine {
    uint32_t firewall = 0; // into Policy::firewalls
    lower::LoweredQuarantine q;
    std::vector<std::string> notes; // for the report (e.g. access zone not here)
};

// The backend-neutral quarantine: which firewalls police the targets (an
// interface in the target's zone), with which interfaces and addresses, and
// which zones keep access. A firewall without an interface in a target's
// zone never sees its traffic between netsep's zones and gets nothing.
struct QuarantinePlan {
    std::vector<model::Endpoint> targets;      // zones and groups, deduplicated, request order
    std::vector<uint32_t> accessZones;         // zone indices
    bool accessFromPolicy = false;             // taken from `quarantine-access` zones
    std::vector<FirewallQuarantine> firewalls; // in policy order
    std::vector<std::string> notes;
};

// Resolves and checks the request: E510 (not a zone or group), E511 (bad
// access zone), E513 (no firewall polices a target). nullopt after errors.
std::optional<QuarantinePlan> planQuarantine(const model::Policy& policy,
                                             const QuarantineRequest& request,
                                             DiagnosticEngine& diags);

// "zone app", "group web (zone dmz)"
std::string targetText(const model::Policy& policy, const model::Endpoint& e);

} // namespace netsep::deploy
