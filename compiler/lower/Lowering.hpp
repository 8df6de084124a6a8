#pragma once
#include "diag/SourceManager.hpp"
#include "lower/LoweredPolicy.hpp"
#include "model/Policy.hpp"

#include <string>
#include <vector>

namespace netsep::lower {

struct LoweringOptions {
    model::Date asOf;
    std::vector<std::string> firewalls; // empty = every firewall
    unsigned threads = 0;               // firewalls lowered in parallel; 0 = one per core
};

// Per-firewall ordered rule lists. A rule lands on every firewall that has
// interfaces in both its source and destination zone; exceptions not in force
// on `asOf` are left out entirely.
std::vector<LoweredFirewall> lowerPolicy(const model::Policy& policy, const SourceManager& sources,
                                         const LoweringOptions& options);

// The protocol matches of a rule's services, one per protocol.
std::vector<Match> lowerServices(const model::Policy& policy, const model::Rule& rule);

} // namespace netsep::lower
