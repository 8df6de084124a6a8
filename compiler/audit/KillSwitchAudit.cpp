#include "audit/Audit.hpp"

namespace netsep::audit {

std::vector<KillSwitchStatus> killSwitchStatus(const model::Policy& policy, model::Date asOf) {
    std::vector<KillSwitchStatus> out;
    for (const auto& k : policy.killSwitches) {
        KillSwitchStatus s;
        s.group = k.group;
        s.since = k.since;
        s.days = asOf - k.since;
        s.orderedBy = k.orderedBy;
        s.ticket = k.ticket;
        s.reason = k.reason;
        s.span = k.span;
        out.push_back(std::move(s));
    }
    if (out.empty())
        return out;
    // One pass over the rules for all switches (there are few switches).
    for (const auto& r : policy.rules) {
        if (!r.exception || r.exception->killSwitch.empty())
            continue;
        for (auto& s : out)
            if (s.group == r.exception->killSwitch) {
                ++s.exceptions;
                if (model::inForce(r, asOf))
                    ++s.exceptionsInForce;
            }
    }
    for (auto& s : out)
        s.undecided = s.days > kKillSwitchDecisionDays && s.exceptionsInForce > 0;
    return out;
}

} // namespace netsep::audit
