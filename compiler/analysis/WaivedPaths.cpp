#include "analysis/WaivedPaths.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace netsep::analysis {

namespace {

using Key = std::pair<model::Endpoint, model::Endpoint>;

std::vector<Key> keys(const std::vector<PathSet>& sets, const std::vector<Unit>& from,
                      const std::vector<Unit>& to) {
    std::vector<Key> out;
    for (const PathSet& ps : sets)
        if (ps.finding)
            out.emplace_back(from[ps.from].endpoint, to[ps.to].endpoint);
    std::sort(out.begin(), out.end());
    return out;
}

bool sortedHas(const std::vector<uint32_t>& v, uint32_t x) {
    return std::binary_search(v.begin(), v.end(), x);
}

std::string names(const model::Policy& policy, const std::vector<model::Endpoint>& es) {
    std::string out;
    for (size_t i = 0; i < es.size(); ++i)
        out += (i ? ", " : "") + policy.endpointName(es[i]);
    return out;
}

} // namespace

std::vector<uint32_t> waiversOnHop(const PolicyGraph& g, const Hop& hop) {
    std::vector<uint32_t> out;
    if (hop.intraZone && hop.rules.empty())
        return out;
    SpaceTable& sp = g.spaces;
    SpaceTable::Id hopSpace = SpaceTable::kEmpty;
    for (const HopRule& hr : hop.rules) {
        if (hr.anyService)
            hopSpace = sp.unite(hopSpace, sp.all());
        for (uint32_t s : hr.services)
            hopSpace = sp.unite(hopSpace, g.serviceSpace[s]);
    }
    const SpaceTable::Id allowed = g.allowedAt(hop.from, hop.to);
    hopSpace = sp.intersect(hopSpace, allowed);
    for (uint32_t w = 0; w < g.waivers.size(); ++w) {
        const auto& info = g.waivers[w];
        if (info.live && sortedHas(info.from, hop.from) && sortedHas(info.to, hop.to) &&
            sp.intersects(info.space, hopSpace))
            out.push_back(w);
    }
    return out;
}

WaivedPaths markWaivedPaths(std::shared_ptr<Result> unwaived, const Result& normal) {
    WaivedPaths out;
    const auto lateral = keys(normal.lateral, normal.exposed, normal.targets);
    const auto exfil = keys(normal.exfiltration, normal.exfilSources, normal.exfilSinks);
    auto mark = [&](std::vector<PathSet>& sets, const std::vector<Unit>& from,
                    const std::vector<Unit>& to, const std::vector<Key>& present,
                    std::vector<uint32_t>& into) {
        for (uint32_t i = 0; i < sets.size(); ++i) {
            PathSet& ps = sets[i];
            if (!ps.finding || ps.paths.empty())
                continue;
            Key k{from[ps.from].endpoint, to[ps.to].endpoint};
            if (std::binary_search(present.begin(), present.end(), k))
                continue;
            ps.waived = true;
            for (const Hop& hop : ps.paths[0].hops)
                for (uint32_t w : waiversOnHop(*unwaived->graph, hop))
                    if (std::find(ps.waivedBy.begin(), ps.waivedBy.end(), w) == ps.waivedBy.end())
                        ps.waivedBy.push_back(w);
            std::sort(ps.waivedBy.begin(), ps.waivedBy.end());
            into.push_back(i);
        }
    };
    mark(unwaived->lateral, unwaived->exposed, unwaived->targets, lateral, out.lateral);
    mark(unwaived->exfiltration, unwaived->exfilSources, unwaived->exfilSinks, exfil,
         out.exfiltration);
    out.unwaived = std::move(unwaived);
    return out;
}

WaivedPaths findWaivedPaths(const model::Policy& policy, const Options& options,
                            const Result& normal) {
    bool anyMatched = false;
    for (const WaiverResult& w : normal.waivers)
        anyMatched = anyMatched || (w.live && w.matched);
    if (!anyMatched || !normal.graph)
        return {};
    Options o = options;
    o.applyWaivers = false;
    auto unwaived = std::make_shared<Result>(analyze(policy, o));
    return markWaivedPaths(std::move(unwaived), normal);
}

std::vector<WaivedDiagnostic> waivedDiagnostics(const WaivedPaths& waived,
                                                const model::Policy& policy) {
    std::vector<WaivedDiagnostic> out;
    if (!waived.unwaived || waived.empty())
        return out;
    // Only the hidden path sets, reported the way check reports findings.
    Result only = *waived.unwaived;
    only.lateral.clear();
    only.exfiltration.clear();
    only.expectations.clear();
    only.anomalies.clear();
    only.waivers.clear();
    only.cut = {}; // an accepted risk needs no fix
    std::vector<std::vector<uint32_t>> by;
    for (uint32_t i : waived.lateral) {
        only.lateral.push_back(waived.unwaived->lateral[i]);
        only.lateral.back().fix.clear();
        by.push_back(waived.unwaived->lateral[i].waivedBy);
    }
    for (uint32_t i : waived.exfiltration) {
        only.exfiltration.push_back(waived.unwaived->exfiltration[i]);
        only.exfiltration.back().fix.clear();
        by.push_back(waived.unwaived->exfiltration[i].waivedBy);
    }
    // One group per hidden path set, so that each is its own diagnostic in
    // the order of `by` (report() walks the groups, not the sets).
    only.lateralGroups.clear();
    only.exfiltrationGroups.clear();
    for (uint32_t k = 0; k < only.lateral.size(); ++k)
        only.lateralGroups.push_back({only.lateral[k].from, {}, 1, {k}});
    for (uint32_t k = 0; k < only.exfiltration.size(); ++k)
        only.exfiltrationGroups.push_back({only.exfiltration[k].from, {}, 1, {k}});
    SourceManager none;
    DiagnosticEngine diags(none);
    report(only, policy, diags);
    for (size_t i = 0; i < diags.all().size() && i < by.size(); ++i)
        out.push_back({diags.all()[i], by[i]});
    return out;
}

std::string waiverHopText(const model::Policy& policy, const model::Waiver& w) {
    std::string out = names(policy, w.from) + " -> " + names(policy, w.to);
    if (!w.serviceAny && !w.services.empty()) {
        out += " service ";
        for (size_t i = 0; i < w.services.size(); ++i)
            out += (i ? ", " : "") + policy.services.at(w.services[i]).name;
    }
    return out;
}

std::string waiverJustification(const model::Waiver& w) {
    return w.ticket + ", until " + w.until.str() + ": " + w.because;
}

} // namespace netsep::analysis
