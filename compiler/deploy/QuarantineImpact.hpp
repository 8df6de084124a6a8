#pragma once
#include "analysis/PolicyGraph.hpp"
#include "deploy/QuarantinePlan.hpp"

#include <string>
#include <vector>

namespace netsep::deploy {

// What a quarantine changes on the lateral-movement graph (the analysis's
// pivot-service graph, docs/analysis.md), per crown-jewel zone. The
// quarantined vertices (the zone with its groups and the saas endpoints
// behind it, or the group) are taken out of the graph: every path through
// them is gone, as on the firewalls that police them.
struct JewelImpact {
    uint32_t zone = 0;               // the crown-jewel zone
    bool quarantined = false;        // the crown jewel itself is quarantined
    std::vector<uint32_t> contained; // quarantined vertices that could reach it
    std::vector<uint32_t> cutOff;    // others that reached it only through them
    std::vector<uint32_t> still;     // others that still reach it
};

struct QuarantineImpact {
    std::vector<JewelImpact> jewels; // in policy order
    // Access zones to which the policy allows nothing into a target: they
    // keep no access, since a quarantine never opens a flow.
    std::vector<std::string> accessWarnings;
};

QuarantineImpact assessQuarantine(const analysis::PolicyGraph& graph, const model::Policy& policy,
                                  const QuarantinePlan& plan);

} // namespace netsep::deploy
