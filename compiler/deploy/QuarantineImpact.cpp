#include "deploy/QuarantineImpact.hpp"

#include <algorithm>

namespace netsep::deploy {

namespace {

using model::Endpoint;

// Vertices that reach any of `targets` over `rev` (the reversed graph),
// never passing a banned vertex; the targets themselves included.
std::vector<uint8_t> reachers(const analysis::Adjacency& rev, const std::vector<uint32_t>& targets,
                              const std::vector<uint8_t>& banned) {
    const size_t n = boost::num_vertices(rev.g);
    std::vector<uint8_t> seen(n, 0);
    std::vector<uint32_t> queue;
    for (uint32_t t : targets)
        if (!banned[t] && !seen[t]) {
            seen[t] = 1;
            queue.push_back(t);
        }
    for (size_t head = 0; head < queue.size(); ++head) {
        auto [it, end] = boost::out_edges(queue[head], rev.g);
        for (; it != end; ++it) {
            uint32_t v = static_cast<uint32_t>(boost::target(*it, rev.g));
            if (!seen[v] && !banned[v]) {
                seen[v] = 1;
                queue.push_back(v);
            }
        }
    }
    return seen;
}

} // namespace

QuarantineImpact assessQuarantine(const analysis::PolicyGraph& g, const model::Policy& policy,
                                  const QuarantinePlan& plan) {
    QuarantineImpact out;
    const size_t n = g.vertexCount();
    std::vector<uint8_t> banned(n, 0), none(n, 0);
    for (const auto& t : plan.targets) {
        for (uint32_t v : g.cover(t))
            banned[v] = 1;
        if (t.kind == Endpoint::Kind::Zone)
            for (uint32_t s = 0; s < policy.saas.size(); ++s)
                if (policy.saas[s].behindZone == t.index)
                    banned[g.saasVertex[s]] = 1;
    }
    for (uint32_t z = 0; z < policy.zones.size(); ++z) {
        if (!policy.zones[z].crownJewel)
            continue;
        JewelImpact j;
        j.zone = z;
        std::vector<uint32_t> jewel = g.cover(Endpoint{Endpoint::Kind::Zone, z});
        j.quarantined = banned[g.zoneVertex[z]] != 0;
        std::vector<uint8_t> own(n, 0);
        for (uint32_t v : jewel)
            own[v] = 1;
        auto before = reachers(g.moveRev, jewel, none);
        auto after = reachers(g.moveRev, jewel, banned);
        for (uint32_t v = 0; v < n; ++v) {
            if (own[v] || !before[v])
                continue;
            if (banned[v])
                j.contained.push_back(v);
            else if (after[v])
                j.still.push_back(v);
            else
                j.cutOff.push_back(v);
        }
        out.jewels.push_back(std::move(j));
    }
    for (uint32_t a : plan.accessZones)
        for (const auto& t : plan.targets) {
            bool any = false;
            for (uint32_t u : g.cover(Endpoint{Endpoint::Kind::Zone, a}))
                for (uint32_t v : g.cover(t))
                    any = any || g.allowedAt(u, v) != analysis::SpaceTable::kEmpty;
            if (!any)
                out.accessWarnings.push_back(
                    "the policy allows nothing from zone " + policy.zones[a].name + " to " +
                    targetText(policy, t) +
                    ": that zone keeps no access (a quarantine never opens a flow; add an "
                    "access rule, compile and apply it first)");
        }
    return out;
}

} // namespace netsep::deploy
