#pragma once
#include "diag/SourceManager.hpp"
#include "lower/LoweredPolicy.hpp"
#include "model/Policy.hpp"

#include <memory>
#include <string>
#include <vector>

namespace netsep::lower {

struct LoweringOptions {
    model::Date asOf;
    std::vector<std::string> firewalls; // empty = every firewall
    unsigned threads = 0;               // firewalls lowered in parallel; 0 = one per core
    Provenance provenance = {};         // copied into every lowered firewall
};

// Lowering one firewall at a time, so that a caller can emit each firewall
// and free it before the next (instead of holding every firewall's rules at
// once). The constructor computes what all firewalls share; lower() may
// then run on `workers` threads at once, each passing its own worker index.
class FirewallLowerer {
public:
    FirewallLowerer(const model::Policy& policy, const SourceManager& sources,
                    const LoweringOptions& options, unsigned workers);
    ~FirewallLowerer();
    FirewallLowerer(const FirewallLowerer&) = delete;
    FirewallLowerer& operator=(const FirewallLowerer&) = delete;

    // The selected firewalls, in policy order.
    size_t size() const;
    // Firewall i (< size()), lowered by worker `worker` (< workers).
    LoweredFirewall lower(size_t i, unsigned worker) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Per-firewall ordered rule lists. A rule lands on every firewall that has
// interfaces in both its source and destination zone; exceptions not in force
// on `asOf` are left out entirely.
std::vector<LoweredFirewall> lowerPolicy(const model::Policy& policy, const SourceManager& sources,
                                         const LoweringOptions& options);

// The protocol matches of a rule's services, one per protocol.
std::vector<Match> lowerServices(const model::Policy& policy, const model::Rule& rule);

} // namespace netsep::lower
