// Text helpers and the conversion of analysis results into diagnostics.
#include "analysis/Analysis.hpp"

#include <fmt/format.h>

namespace netsep::analysis {

namespace {

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

SourceSpan endpointSpan(const model::Policy& policy, const model::Endpoint& e) {
    switch (e.kind) {
    case model::Endpoint::Kind::Zone:
        return policy.zones.at(e.index).span;
    case model::Endpoint::Kind::Group:
        return policy.groups.at(e.index).span;
    case model::Endpoint::Kind::Saas:
        return policy.saas.at(e.index).span;
    }
    return {};
}

std::string join(const std::vector<std::string>& parts, const char* sep = ", ") {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += sep;
        out += parts[i];
    }
    return out;
}

// "group scanners (holds exception ai-vuln-scan)"
std::string describe(const model::Policy& policy, const Unit& u) {
    std::string out =
        fmt::format("{} {}", endpointKind(u.endpoint), policy.endpointName(u.endpoint));
    if (!u.reasons.empty())
        out += " (" + join(u.reasons) + ")";
    return out;
}

// "web-in (https)"
std::string hopRuleNote(const model::Policy& policy, const HopRule& hr) {
    std::vector<std::string> services;
    if (hr.anyService)
        services.push_back("any");
    for (uint32_t s : hr.services)
        services.push_back(policy.services[s].name);
    return policy.rules[hr.rule].name + " (" + join(services) + ")";
}

std::string hopRulesText(const model::Policy& policy, const HopRule& hr) {
    std::string out = policy.rules[hr.rule].name;
    if (hr.anyService)
        out += ", any";
    for (uint32_t s : hr.services)
        out += ", " + policy.services[s].name;
    return out;
}

std::string endpointsText(const model::Policy& policy, const std::vector<model::Endpoint>& es) {
    std::vector<std::string> names;
    for (const auto& e : es)
        names.push_back(policy.endpointName(e));
    if (names.size() > 4)
        return fmt::format("{}, ... ({} endpoints)", join({names.begin(), names.begin() + 3}),
                           names.size());
    return join(names);
}

std::string expectationText(const model::Policy& policy, const model::Expectation& x) {
    const char* kind = x.kind == model::Expectation::Kind::Allow  ? "allow"
                       : x.kind == model::Expectation::Kind::Deny ? "deny"
                                                                  : "no-path";
    std::string out = fmt::format("expect {} {} -> {}", kind, endpointsText(policy, x.from),
                                  endpointsText(policy, x.to));
    if (x.kind != model::Expectation::Kind::NoPath) {
        if (x.serviceAny) {
            out += " service any";
        } else {
            std::vector<std::string> names;
            for (uint32_t s : x.services)
                names.push_back(policy.services.at(s).name);
            out += " service " + join(names);
        }
    }
    return out;
}

void addHopNotes(const Result& result, const model::Policy& policy, const Path& path,
                 Diagnostic& d) {
    const PolicyGraph& g = *result.graph;
    for (size_t i = 0; i < path.hops.size(); ++i) {
        const Hop& hop = path.hops[i];
        const std::string& a = g.name(hop.from, policy);
        const std::string& b = g.name(hop.to, policy);
        if (hop.intraZone) {
            uint32_t z = g.vertices[hop.from].zone;
            d.notes.emplace_back(policy.zones[z].span,
                                 fmt::format("hop {}: {} → {}: hosts of zone {} reach each other "
                                             "(the zone is not isolated)",
                                             i + 1, a, b, policy.zones[z].name));
        }
        for (const HopRule& hr : hop.rules)
            d.notes.emplace_back(
                policy.rules[hr.rule].span,
                fmt::format("hop {}: {} → {} allowed by {}", i + 1, a, b, hopRuleNote(policy, hr)));
    }
}

void addFixNotes(const Result& result, const model::Policy& policy, const PathSet& ps,
                 size_t cutSize, const char* what, Diagnostic& d) {
    const PolicyGraph& g = *result.graph;
    for (const CutItem& item : ps.fix) {
        SourceSpan span = item.kind == CutItem::Kind::Rule ? policy.rules[item.index].span
                                                           : policy.zones[item.index].span;
        d.notes.emplace_back(span, fmt::format("fix: {} (a minimum cut of {} item{} ends every "
                                               "{} finding)",
                                               cutItemText(policy, item), cutSize,
                                               cutSize == 1 ? "" : "s", what));
    }
    if (ps.paths.empty())
        return;
    for (const Hop& hop : ps.paths[0].hops) {
        if (!hop.intraZone)
            continue;
        uint32_t z = g.vertices[hop.from].zone;
        CutItem iso{CutItem::Kind::Isolate, z};
        if (std::find(ps.fix.begin(), ps.fix.end(), iso) != ps.fix.end())
            continue;
        uint32_t group = g.vertices[hop.from].kind == VertexKind::Group ? hop.from : hop.to;
        d.notes.emplace_back(policy.zones[z].span,
                             fmt::format("or: move group {} into a zone of its own, or declare "
                                         "zone {} isolated ({})",
                                         g.name(group, policy), policy.zones[z].name,
                                         kIsolatedCaveat));
    }
}

// The first rule on the path, for locating a finding.
std::optional<SourceSpan> firstRuleSpan(const model::Policy& policy, const Path& path) {
    for (const Hop& hop : path.hops)
        if (!hop.rules.empty())
            return policy.rules[hop.rules.front().rule].span;
    return std::nullopt;
}

} // namespace

std::string unitName(const Result&, const model::Policy& policy, const Unit& unit) {
    return policy.endpointName(unit.endpoint);
}

std::string hopText(const Result& result, const model::Policy& policy, const Hop& hop) {
    std::vector<std::string> parts;
    if (hop.intraZone)
        parts.push_back("intra-zone");
    for (const HopRule& hr : hop.rules)
        parts.push_back(hopRulesText(policy, hr));
    std::string out = result.graph->name(hop.to, policy);
    if (!parts.empty())
        out += " (" + join(parts, "; ") + ")";
    return out;
}

std::string pathText(const Result& result, const model::Policy& policy, const Path& path) {
    std::string out = result.graph->name(path.start, policy);
    for (const Hop& hop : path.hops)
        out += " → " + hopText(result, policy, hop);
    return out;
}

std::string cutItemText(const model::Policy& policy, const CutItem& item) {
    if (item.kind == CutItem::Kind::Rule)
        return "remove or narrow rule " + policy.rules.at(item.index).name;
    return "declare zone " + policy.zones.at(item.index).name + " isolated (" + kIsolatedCaveat +
           ")";
}

namespace {

std::string shortestCount(const PathSet& ps) {
    if (ps.shortestPaths > 1 || ps.countSaturated)
        return fmt::format(" ({}{} shortest paths)", ps.countSaturated ? "≥" : "",
                           ps.shortestPaths);
    return {};
}

// The finding of one lateral-movement path set.
Diagnostic lateralFinding(const Result& result, const model::Policy& policy, const PathSet& ps) {
    const Unit& src = result.exposed[ps.from];
    const Unit& dst = result.targets[ps.to];
    Diagnostic d;
    d.severity = Severity::Error;
    d.code = codes::kLateral;
    if (!src.exceptions.empty())
        d.span = policy.rules[src.exceptions.front()].span;
    else if (auto s = ps.paths.empty() ? std::nullopt : firstRuleSpan(policy, ps.paths[0]))
        d.span = *s;
    else
        d.span = endpointSpan(policy, src.endpoint);
    if (ps.length == 0) {
        d.message = fmt::format("lateral movement: {} is exposed and lies inside {}",
                                describe(policy, src), describe(policy, dst));
        d.notes.emplace_back(endpointSpan(policy, src.endpoint),
                             fmt::format("fix: move {} out of zone {}, or close what exposes it",
                                         policy.endpointName(src.endpoint),
                                         policy.endpointName(dst.endpoint)));
    } else {
        d.message =
            fmt::format("lateral movement: {} reaches {} in {} hop{}{}: {}", describe(policy, src),
                        describe(policy, dst), ps.length, ps.length == 1 ? "" : "s",
                        shortestCount(ps), pathText(result, policy, ps.paths[0]));
        addHopNotes(result, policy, ps.paths[0], d);
        addFixNotes(result, policy, ps, result.cut.lateral.size(), "lateral-movement", d);
    }
    return d;
}

// The finding of one exfiltration path set.
Diagnostic exfiltrationFinding(const Result& result, const model::Policy& policy,
                               const PathSet& ps) {
    const Unit& src = result.exfilSources[ps.from];
    const Unit& dst = result.exfilSinks[ps.to];
    Diagnostic d;
    d.severity = Severity::Error;
    d.code = codes::kExfil;
    auto s = ps.paths.empty() ? std::nullopt : firstRuleSpan(policy, ps.paths[0]);
    d.span = s ? *s : endpointSpan(policy, src.endpoint);
    d.message = fmt::format("exfiltration: data of {} can reach {} in {} hop{}{}: {}",
                            describe(policy, src), describe(policy, dst), ps.length,
                            ps.length == 1 ? "" : "s", shortestCount(ps),
                            pathText(result, policy, ps.paths[0]));
    addHopNotes(result, policy, ps.paths[0], d);
    addFixNotes(result, policy, ps, result.cut.exfiltration.size(), "exfiltration", d);
    return d;
}

// The findings of one group: each path set on its own while the group is
// small, otherwise one finding for the whole group (count, class, the
// nearest as its witness, the next few by name), so that the output grows
// with the sources, not with sources x targets. `netsep paths --from`
// lists the rest.
void reportGroup(const Result& result, const model::Policy& policy, const FindingGroup& group,
                 bool lateral, DiagnosticEngine& diags) {
    const std::vector<PathSet>& sets = lateral ? result.lateral : result.exfiltration;
    auto finding = [&](const PathSet& ps) {
        return lateral ? lateralFinding(result, policy, ps)
                       : exfiltrationFinding(result, policy, ps);
    };
    if (group.sets.empty())
        return;
    // A --from/--to query's answer between units that are not an exposed
    // source and a target: the group shares its ends' reasons, so its
    // nearest set says it for all.
    if (!sets[group.sets.front()].finding)
        return;
    if (group.count <= kFindingsListedPerGroup && group.sets.size() == group.count) {
        for (uint32_t k : group.sets)
            diags.report(finding(sets[k]));
        return;
    }
    const PathSet& nearest = sets[group.sets.front()];
    const std::vector<Unit>& from = lateral ? result.exposed : result.exfilSources;
    const std::vector<Unit>& to = lateral ? result.targets : result.exfilSinks;
    const Unit& src = from[group.from];
    Diagnostic d = finding(nearest);
    const std::string what = lateral ? "target zones" : "destinations";
    const std::string cls = group.toClass.empty() ? "" : " (" + group.toClass + ")";
    const std::string& first = policy.endpointName(to[nearest.to].endpoint);
    std::string witness =
        nearest.length == 0
            ? fmt::format("it lies inside {}", first)
            : fmt::format("the nearest, {}, in {} hop{}{}: {}", first, nearest.length,
                          nearest.length == 1 ? "" : "s", shortestCount(nearest),
                          pathText(result, policy, nearest.paths[0]));
    d.message = lateral ? fmt::format("lateral movement: {} reaches {} {}{}; {}",
                                      describe(policy, src), group.count, what, cls, witness)
                        : fmt::format("exfiltration: data of {} can reach {} {}{}; {}",
                                      describe(policy, src), group.count, what, cls, witness);
    std::vector<std::string> next;
    for (size_t k = 1; k < group.sets.size(); ++k) {
        const PathSet& ps = sets[group.sets[k]];
        next.push_back(fmt::format("{} ({} hop{})", policy.endpointName(to[ps.to].endpoint),
                                   ps.length, ps.length == 1 ? "" : "s"));
    }
    const size_t more = group.count - 1 - next.size();
    std::string also = next.empty() ? std::string() : join(next);
    if (more > 0)
        also += fmt::format("{}{} more", also.empty() ? "" : " and ", more);
    d.notes.emplace_back(endpointSpan(policy, src.endpoint),
                         fmt::format("also reached: {}; `netsep paths --{} {}` lists every path",
                                     also, lateral ? "from" : "from",
                                     policy.endpointName(src.endpoint)));
    diags.report(std::move(d));
}

} // namespace

void report(const Result& result, const model::Policy& policy, DiagnosticEngine& diags) {
    if (!result.graph)
        return;

    for (const FindingGroup& group : result.lateralGroups)
        reportGroup(result, policy, group, true, diags);
    for (const FindingGroup& group : result.exfiltrationGroups)
        reportGroup(result, policy, group, false, diags);

    for (const ExpectationResult& er : result.expectations) {
        if (er.passed)
            continue;
        const model::Expectation& x = policy.expectations[er.index];
        Diagnostic d;
        d.severity = Severity::Error;
        d.code = x.kind == model::Expectation::Kind::Allow  ? codes::kExpectAllow
                 : x.kind == model::Expectation::Kind::Deny ? codes::kExpectDeny
                                                            : codes::kExpectNoPath;
        d.span = x.span;
        d.message =
            fmt::format("expectation failed: {}: {}", expectationText(policy, x), er.detail);
        if (er.path) {
            addHopNotes(result, policy, *er.path, d);
        } else {
            for (uint32_t r : er.rules)
                d.notes.emplace_back(policy.rules[r].span, fmt::format("{} breaks the expectation",
                                                                       policy.rules[r].name));
        }
        diags.report(std::move(d));
    }

    for (const Anomaly& a : result.anomalies) {
        const model::Rule& rule = policy.rules[a.rule];
        Diagnostic d;
        d.severity = Severity::Warning;
        d.span = rule.span;
        if (a.kind == Anomaly::Kind::Dead) {
            d.code = codes::kDeadRule;
            std::vector<std::string> names;
            for (uint32_t r : a.by)
                names.push_back(policy.rules[r].name);
            d.message = fmt::format("rule {} allows nothing: every flow it allows is denied{}",
                                    rule.name, names.empty() ? "" : " by " + join(names));
            for (uint32_t r : a.by)
                d.notes.emplace_back(
                    policy.rules[r].span,
                    fmt::format("{} denies what {} allows", policy.rules[r].name, rule.name));
        } else {
            d.code = codes::kRedundant;
            const model::Rule& by = policy.rules[a.by.front()];
            d.message = fmt::format("rule {} is redundant: rule {} already allows every flow it "
                                    "allows",
                                    rule.name, by.name);
            d.notes.emplace_back(by.span, fmt::format("{} covers {}", by.name, rule.name));
        }
        diags.report(std::move(d));
    }

    for (const WaiverResult& w : result.waivers) {
        const model::Waiver& waiver = policy.waivers[w.index];
        std::string hop = fmt::format("{} -> {}", endpointsText(policy, waiver.from),
                                      endpointsText(policy, waiver.to));
        if (!w.live)
            diags.warning(codes::kWaiverExpired, waiver.span,
                          fmt::format("waiver of hop {} expired on {}: the hop counts as lateral "
                                      "movement again",
                                      hop, waiver.until.str()));
        else if (!w.matched)
            diags.warning(codes::kWaiverUnused, waiver.span,
                          fmt::format("waiver of hop {} matches no allowed flow", hop));
    }
}

} // namespace netsep::analysis
