#include "lower/GlobalRules.hpp"

#include <set>
#include <string>
#include <tuple>

namespace netsep::lower {

std::vector<const LoweredRule*> globalRules(const LoweredFirewall& fw) {
    using Key = std::tuple<std::string, std::string, model::Proto, std::vector<model::PortRange>,
                           std::vector<int>>;
    std::vector<const LoweredRule*> out;
    std::set<Key> seen;
    for (const auto& p : fw.pairs)
        for (const auto& r : p.rules)
            if (r.global &&
                seen.emplace(r.policyRule, r.where, r.match.proto, r.match.ports, r.match.icmpTypes)
                    .second)
                out.push_back(&r);
    return out;
}

} // namespace netsep::lower
