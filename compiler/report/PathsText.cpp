#include "report/Render.hpp"

#include "analysis/WaivedPaths.hpp"
#include "diag/Printable.hpp"
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
    std::string label = ps.finding ? std::string(code) : std::string("path");
    if (ps.waived)
        label += ", waived";
    out += fmt::format("[{}] {} → {}\n", label, unitLabel(policy, from), unitLabel(policy, to));
    if (!from.reasons.empty())
        out += fmt::format("  {}: {}\n", fromRole, join(from.reasons));
    if (!to.reasons.empty())
        out += fmt::format("  {}: {}\n", toRole, join(to.reasons));
    if (!ps.finding)
        out += fmt::format("  not a finding: {}\n",
                           from.reasons.empty()
                               ? policy.endpointName(from.endpoint) + " is not an exposed source"
                               : policy.endpointName(to.endpoint) + " is not a target zone");
    for (uint32_t w : ps.waivedBy) {
        const model::Waiver& x = policy.waivers[w];
        out += fmt::format("  accepted risk: waive hop {} ({})\n", waiverHopText(policy, x),
                           printable(waiverJustification(x)));
    }
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
    if (!ps.finding || ps.waived)
        return; // nothing to fix: a query's answer, or a risk accepted by a waiver
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

// "none", "2 findings", "1 path (no finding)", "1 finding, 1 waived"
std::string countLine(const std::vector<PathSet>& sets) {
    size_t findings = 0, paths = 0, waived = 0;
    for (const PathSet& ps : sets)
        (ps.waived ? waived : ps.finding ? findings : paths)++;
    std::vector<std::string> parts;
    if (findings)
        parts.push_back(fmt::format("{} finding{}", findings, findings == 1 ? "" : "s"));
    if (waived)
        parts.push_back(fmt::format("{} waived", waived));
    if (paths)
        parts.push_back(fmt::format("{} path{} (no finding)", paths, paths == 1 ? "" : "s"));
    return parts.empty() ? std::string("none") : join(parts);
}

} // namespace

std::string pathsText(const Result& result, const model::Policy& policy,
                      const analysis::WaivedPaths* waived) {
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
    out += fmt::format("\nlateral movement: {}\n", countLine(result.lateral));
    for (const PathSet& ps : result.lateral) {
        out += "\n";
        findingBlock(out, result, policy, analysis::codes::kLateral, result.exposed[ps.from],
                     result.targets[ps.to], ps, "exposed", "target");
    }

    out += fmt::format("\nexfiltration: {}\n", countLine(result.exfiltration));
    for (const PathSet& ps : result.exfiltration) {
        out += "\n";
        findingBlock(out, result, policy, analysis::codes::kExfil, result.exfilSources[ps.from],
                     result.exfilSinks[ps.to], ps, "holds", "leaves to");
    }

    if (waived && !waived->empty()) {
        size_t n = waived->lateral.size() + waived->exfiltration.size();
        out += fmt::format("\nwaived: {} finding{} hidden by live waivers (accepted risks); "
                           "--include-waived shows {}\n",
                           n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
        for (uint32_t i : waived->lateral) {
            const PathSet& ps = waived->unwaived->lateral[i];
            out += fmt::format("  [{}] {} → {}\n", analysis::codes::kLateral,
                               unitLabel(policy, waived->unwaived->exposed[ps.from]),
                               unitLabel(policy, waived->unwaived->targets[ps.to]));
        }
        for (uint32_t i : waived->exfiltration) {
            const PathSet& ps = waived->unwaived->exfiltration[i];
            out += fmt::format("  [{}] {} → {}\n", analysis::codes::kExfil,
                               unitLabel(policy, waived->unwaived->exfilSources[ps.from]),
                               unitLabel(policy, waived->unwaived->exfilSinks[ps.to]));
        }
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
    bool cuttableLateral = false, anyExfil = false;
    for (const PathSet& ps : result.lateral)
        cuttableLateral = cuttableLateral || (ps.length > 0 && ps.finding && !ps.waived);
    for (const PathSet& ps : result.exfiltration)
        anyExfil = anyExfil || !ps.waived;
    cutLine("lateral movement", result.cut.lateral, cuttableLateral);
    cutLine("exfiltration", result.cut.exfiltration, anyExfil);
    for (uint32_t u : result.cut.uncuttable)
        out += fmt::format("  {} lies inside a target: no rule removal separates it\n",
                           unitLabel(policy, result.exposed[u]));
    return out;
}

} // namespace netsep::report
