#include "lower/GlobalRules.hpp"

#include <set>
#include <string>
#include <tuple>

namespace netsep::lower {

std::vector<const LoweredRule*> globalRules(const LoweredFirewall& fw) {
    // Compared in place, not copied into a key: a global deny sits in every
    // zone pair of the firewall, and every backend asks.
    auto key = [](const LoweredRule* r) {
        return std::tie(r->policyRule, r->where, r->match.proto, r->match.ports,
                        r->match.icmpTypes);
    };
    auto less = [&](const LoweredRule* a, const LoweredRule* b) { return key(a) < key(b); };
    std::vector<const LoweredRule*> out;
    std::set<const LoweredRule*, decltype(less)> seen(less);
    for (const auto& p : fw.pairs)
        for (const auto& r : p.rules)
            if (r.global && seen.insert(&r).second)
                out.push_back(&r);
    return out;
}

} // namespace netsep::lower
