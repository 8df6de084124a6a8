#include "report/Render.hpp"

#include "model/Isolation.hpp"

#include <fmt/format.h>

namespace netsep::report {

namespace {

using namespace netsep::analysis;

const char* endpointKind(const model::Endpoint& e) {
    switch (e.kind) {
    case model::Endpoint::Kind::Zone:
        return "zone";
    case model::Endpoint::Kind::Group:
        return "group";
    case model::Endpoint::Kind::Saas:
        return "saas endpoint";
    }
    return "zone";
}

std::string join(const std::vector<std::string>& parts, const char* sep = ", ") {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i ? sep : "") + parts[i];
    return out;
}

std::string unitLabel(const model::Policy& policy, const Unit& u) {
    return fmt::format("{} {}", endpointKind(u.endpoint), policy.endpointName(u.endpoint));
}

std::string countText(const PathSet& ps) {
    if (ps.countSaturated)
        return "at least 2^64-1 shortest paths";
    return fmt::format("{} shortest path{}", ps.shortestPaths, ps.shortestPaths == 1 ? "" : "s");
}

void findingBlock(std::string& out, const Result& result, const model::Policy& policy,
                  const char* code, const Unit& from, const Unit& to, const PathSet& ps,
                  const char* fromRole, const char* toRole) {
    const PolicyGraph& g = *result.graph;
    out += fmt::format("[{}] {} → {}\n", code, unitLabel(policy, from), unitLabel(policy, to));
    if (!from.reasons.empty())
        out += fmt::format("  {}: {}\n", fromRole, join(from.reasons));
    if (!to.reasons.empty())
        out += fmt::format("  {}: {}\n", toRole, join(to.reasons));
    if (ps.length == 0) {
        out += fmt::format("  {} lies inside {}: it is exposed and a target at once\n",
                           policy.endpointName(from.endpoint), unitLabel(policy, to));
        out += fmt::format("  fix: move {} out of zone {}, or close what exposes it\n",
                           policy.endpointName(from.endpoint), policy.endpointName(to.endpoint));
        return;
    }
    out += fmt::format("  shortest: {} hop{}, {}\n", ps.length, ps.length == 1 ? "" : "s",
                       countText(ps));
    for (size_t i = 0; i < ps.paths.size(); ++i)
        out += fmt::format("  {}. {}\n", i + 1, pathText(result, policy, ps.paths[i]));
    if (ps.alternativesSkipped)
        out += "  (alternatives not computed: too many findings; narrow with --from/--to)\n";
    for (const CutItem& item : ps.fix)
        out += fmt::format("  fix: {}\n", cutItemText(policy, item));
    for (const Hop& hop : ps.paths[0].hops) {
        if (!hop.intraZone)
            continue;
        uint32_t z = g.vertices[hop.from].zone;
        CutItem iso{CutItem::Kind::Isolate, z};
        if (std::find(ps.fix.begin(), ps.fix.end(), iso) != ps.fix.end())
            continue;
        uint32_t group = g.vertices[hop.from].kind == VertexKind::Group ? hop.from : hop.to;
        out += fmt::format("  or: move group {} into a zone of its own, or declare zone {} "
                           "isolated ({})\n",
                           g.name(group, policy), policy.zones[z].name, analysis::kIsolatedCaveat);
    }
}

} // namespace

std::string pathsText(const Result& result, const model::Policy& policy) {
    std::string out;
    if (!result.error.empty())
        return "error: " + result.error + "\n";
    const PolicyGraph& g = *result.graph;
    out += fmt::format("policy {} as of {}\n", policy.name, result.asOf.str());
    out += fmt::format("graph: {} vertices, {} allowed flows ({} lateral-movement steps, {} "
                       "carrying data), {} intra-zone joins\n",
                       result.summary.vertices, result.summary.edges - result.summary.intraEdges,
                       result.summary.movementEdges - result.summary.intraEdges,
                       result.summary.flowEdges - result.summary.intraEdges,
                       result.summary.intraEdges);
    std::vector<std::string> exposed, targets;
    for (const Unit& u : result.exposed)
        exposed.push_back(policy.endpointName(u.endpoint));
    for (const Unit& u : result.targets)
        targets.push_back(policy.endpointName(u.endpoint));
    out += fmt::format("{}: {}\n", result.from ? "from" : "exposed",
                       exposed.empty() ? "none" : join(exposed));
    out += fmt::format("{}: {}\n", result.to ? "to" : "targets",
                       targets.empty() ? "none" : join(targets));
    std::vector<std::string> isolated;
    for (uint32_t z : model::reliedOnIsolatedZones(policy))
        isolated.push_back(policy.zones[z].name);
    if (!isolated.empty())
        out += fmt::format("assumed isolated (the network, not netsep, keeps their hosts apart): "
                           "{}\n",
                           join(isolated));
    out += fmt::format("\nlateral movement: {}\n",
                       result.lateral.empty() ? std::string("none")
                                              : fmt::format("{} finding{}", result.lateral.size(),
                                                            result.lateral.size() == 1 ? "" : "s"));
    for (const PathSet& ps : result.lateral) {
        out += "\n";
        findingBlock(out, result, policy, analysis::codes::kLateral, result.exposed[ps.from],
                     result.targets[ps.to], ps, "exposed", "target");
    }

    out += fmt::format("\nexfiltration: {}\n",
                       result.exfiltration.empty()
                           ? std::string("none")
                           : fmt::format("{} finding{}", result.exfiltration.size(),
                                         result.exfiltration.size() == 1 ? "" : "s"));
    for (const PathSet& ps : result.exfiltration) {
        out += "\n";
        findingBlock(out, result, policy, analysis::codes::kExfil, result.exfilSources[ps.from],
                     result.exfilSinks[ps.to], ps, "holds", "leaves to");
    }

    out += "\nblast radius:\n";
    if (result.blast.empty())
        out += "  none\n";
    for (const BlastRadius& br : result.blast) {
        const Unit& u = result.exposed[br.source];
        out += fmt::format("  {}: {} reachable (classified {}, sensitive {}, open {}, "
                           "unleveled {})\n",
                           unitLabel(policy, u), br.reachable.size(), br.classified, br.sensitive,
                           br.open, br.unleveled);
        if (!br.reachable.empty()) {
            std::vector<std::string> names;
            for (size_t i = 0; i < br.reachable.size() && i < 20; ++i)
                names.push_back(g.name(br.reachable[i], policy));
            if (br.reachable.size() > 20)
                names.push_back(fmt::format("... {} more", br.reachable.size() - 20));
            out += "    " + join(names) + "\n";
        }
    }

    out += "\nminimum cut:\n";
    auto cutLine = [&](const char* what, const std::vector<CutItem>& items, bool any) {
        if (!any) {
            out += fmt::format("  {}: nothing to cut\n", what);
            return;
        }
        std::vector<std::string> parts;
        for (const CutItem& item : items)
            parts.push_back(cutItemText(policy, item));
        out += fmt::format("  {}: {}\n", what, parts.empty() ? "not computed" : join(parts, "; "));
    };
    bool cuttableLateral = false;
    for (const PathSet& ps : result.lateral)
        cuttableLateral = cuttableLateral || ps.length > 0;
    cutLine("lateral movement", result.cut.lateral, cuttableLateral);
    cutLine("exfiltration", result.cut.exfiltration, !result.exfiltration.empty());
    for (uint32_t u : result.cut.uncuttable)
        out += fmt::format("  {} lies inside a target: no rule removal separates it\n",
                           unitLabel(policy, result.exposed[u]));
    return out;
}

} // namespace netsep::report
