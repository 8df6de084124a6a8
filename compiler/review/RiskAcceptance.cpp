#include "review/RiskAcceptance.hpp"

#include <algorithm>

namespace netsep::review {

const char* stateName(RiskAcceptance::State s) {
    switch (s) {
    case RiskAcceptance::State::Live:
        return "live";
    case RiskAcceptance::State::Expired:
        return "expired: the hop counts as lateral movement again";
    case RiskAcceptance::State::Unused:
        return "matches no allowed flow";
    }
    return "live";
}

std::vector<RiskAcceptance> riskAcceptances(const model::Policy& policy,
                                            const SourceManager& sources, model::Date asOf,
                                            const analysis::Result& normal,
                                            const analysis::WaivedPaths& waived) {
    std::vector<RiskAcceptance> out;
    for (uint32_t w = 0; w < policy.waivers.size(); ++w) {
        const model::Waiver& x = policy.waivers[w];
        RiskAcceptance r;
        r.hop = analysis::waiverHopText(policy, x);
        r.ticket = x.ticket;
        r.because = x.because;
        r.until = x.until.str();
        r.where = sources.where(x.span);
        r.daysLeft = x.until - asOf;
        for (const auto& wr : normal.waivers)
            if (wr.index == w)
                r.state = !wr.live     ? RiskAcceptance::State::Expired
                          : wr.matched ? RiskAcceptance::State::Live
                                       : RiskAcceptance::State::Unused;
        if (waived.unwaived) {
            const analysis::Result& u = *waived.unwaived;
            for (uint32_t i : waived.lateral) {
                const auto& ps = u.lateral[i];
                if (std::find(ps.waivedBy.begin(), ps.waivedBy.end(), w) != ps.waivedBy.end())
                    r.accepts.push_back(std::string(analysis::codes::kLateral) + " " +
                                        policy.endpointName(u.exposed[ps.from].endpoint) + " -> " +
                                        policy.endpointName(u.targets[ps.to].endpoint));
            }
            for (uint32_t i : waived.exfiltration) {
                const auto& ps = u.exfiltration[i];
                if (std::find(ps.waivedBy.begin(), ps.waivedBy.end(), w) != ps.waivedBy.end())
                    r.accepts.push_back(std::string(analysis::codes::kExfil) + " " +
                                        policy.endpointName(u.exfilSources[ps.from].endpoint) +
                                        " -> " + policy.endpointName(u.exfilSinks[ps.to].endpoint));
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace netsep::review
