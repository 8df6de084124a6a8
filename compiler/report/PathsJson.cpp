#include "report/Render.hpp"

#include "analysis/WaivedPaths.hpp"
#include "model/Isolation.hpp"

#include "diag/Printable.hpp"

#include <nlohmann/json.hpp>

namespace netsep::report {

namespace {

using namespace netsep::analysis;
using json = nlohmann::ordered_json;

const char* endpointKind(const model::Endpoint& e) {
    switch (e.kind) {
    case model::Endpoint::Kind::Zone:
        return "zone";
    case model::Endpoint::Kind::Group:
        return "group";
    case model::Endpoint::Kind::Saas:
        return "saas";
    }
    return "zone";
}

struct Ctx {
    const Result& result;
    const model::Policy& policy;
    const SourceManager* sources;

    json rule(uint32_t r) const {
        json j = {{"name", policy.rules[r].name}};
        if (sources && policy.rules[r].span.valid() && policy.rules[r].span.file < sources->size())
            j["where"] = sources->where(policy.rules[r].span);
        return j;
    }

    json unit(const Unit& u) const {
        json vertices = json::array();
        for (uint32_t v : u.vertices)
            vertices.push_back(result.graph->name(v, policy));
        return {{"name", policy.endpointName(u.endpoint)},
                {"kind", endpointKind(u.endpoint)},
                {"reasons", u.reasons},
                {"vertices", vertices}};
    }

    json path(const Path& p) const {
        const PolicyGraph& g = *result.graph;
        json hops = json::array();
        for (const Hop& h : p.hops) {
            json rules = json::array();
            for (const HopRule& hr : h.rules) {
                json jr = rule(hr.rule);
                json services = json::array();
                if (hr.anyService)
                    services.push_back("any");
                for (uint32_t s : hr.services)
                    services.push_back(policy.services[s].name);
                jr["services"] = services;
                rules.push_back(jr);
            }
            hops.push_back({{"from", g.name(h.from, policy)},
                            {"to", g.name(h.to, policy)},
                            {"intraZone", h.intraZone},
                            {"rules", rules}});
        }
        json vertices = json::array();
        for (uint32_t v : p.vertices())
            vertices.push_back(g.name(v, policy));
        return {{"text", pathText(result, policy, p)}, {"vertices", vertices}, {"hops", hops}};
    }

    // A waiver as a suppression's justification: the accepted risk.
    json waiver(uint32_t w) const {
        const model::Waiver& x = policy.waivers[w];
        json j = {{"index", w},
                  {"hop", waiverHopText(policy, x)},
                  {"until", x.until.str()},
                  {"ticket", x.ticket},
                  {"because", x.because}};
        if (sources && x.span.valid() && x.span.file < sources->size())
            j["where"] = sources->where(x.span);
        return j;
    }

    json cutItem(const CutItem& item) const {
        if (item.kind == CutItem::Kind::Rule) {
            json j = rule(item.index);
            j["kind"] = "rule";
            j["suggestion"] = cutItemText(policy, item);
            return j;
        }
        return {{"kind", "isolate-zone"},
                {"name", policy.zones[item.index].name},
                {"suggestion", cutItemText(policy, item)}};
    }

    json pathSet(const PathSet& ps, const std::vector<Unit>& from, const std::vector<Unit>& to,
                 const char* code) const {
        json paths = json::array();
        for (const Path& p : ps.paths)
            paths.push_back(path(p));
        json fix = json::array();
        for (const CutItem& item : ps.fix)
            fix.push_back(cutItem(item));
        json waivedBy = json::array();
        for (uint32_t w : ps.waivedBy)
            waivedBy.push_back(waiver(w));
        return {{"code", ps.finding ? json(code) : json(nullptr)},
                {"finding", ps.finding},
                {"waived", ps.waived},
                {"waivedBy", waivedBy},
                {"from", policy.endpointName(from[ps.from].endpoint)},
                {"to", policy.endpointName(to[ps.to].endpoint)},
                {"length", ps.length},
                {"shortestPaths", ps.shortestPaths},
                {"countSaturated", ps.countSaturated},
                {"alternativesSkipped", ps.alternativesSkipped},
                {"paths", paths},
                {"fix", fix}};
    }
};

const char* levelKey(std::optional<model::Level> l) {
    if (!l)
        return "unleveled";
    return model::levelName(*l);
}

} // namespace

std::string pathsJson(const Result& result, const model::Policy& policy,
                      const SourceManager* sources, const analysis::WaivedPaths* waived) {
    if (!result.error.empty())
        return printableJson(json{{"error", result.error}}.dump(2)) + "\n";
    Ctx c{result, policy, sources};
    const PolicyGraph& g = *result.graph;
    json j;
    j["policy"] = policy.name;
    j["asOf"] = result.asOf.str();
    j["k"] = result.k;
    j["filter"] = {{"from", result.from ? json(*result.from) : json(nullptr)},
                   {"to", result.to ? json(*result.to) : json(nullptr)}};
    j["graph"] = {{"vertices", result.summary.vertices},
                  {"edges", result.summary.edges},
                  {"movementEdges", result.summary.movementEdges},
                  {"flowEdges", result.summary.flowEdges},
                  {"intraZoneEdges", result.summary.intraEdges}};
    auto units = [&](const std::vector<Unit>& us) {
        json a = json::array();
        for (const Unit& u : us)
            a.push_back(c.unit(u));
        return a;
    };
    j["exposed"] = units(result.exposed);
    j["targets"] = units(result.targets);
    // Zones whose isolation the verdicts rely on: an assumption about the
    // network that no emitted rule enforces.
    json isolated = json::array();
    for (uint32_t z : model::reliedOnIsolatedZones(policy))
        isolated.push_back(policy.zones[z].name);
    j["assumedIsolated"] = isolated;
    json lateral = json::array();
    for (const PathSet& ps : result.lateral)
        lateral.push_back(c.pathSet(ps, result.exposed, result.targets, codes::kLateral));
    j["lateralMovement"] = lateral;
    json exfil = json::array();
    for (const PathSet& ps : result.exfiltration)
        exfil.push_back(c.pathSet(ps, result.exfilSources, result.exfilSinks, codes::kExfil));
    j["exfiltration"] = exfil;
    // Findings hidden by live waivers, always listed (as suppressed results).
    json waivedLateral = json::array(), waivedExfil = json::array();
    if (waived && waived->unwaived) {
        const Result& u = *waived->unwaived;
        Ctx cu{u, policy, sources};
        for (uint32_t i : waived->lateral)
            waivedLateral.push_back(
                cu.pathSet(u.lateral[i], u.exposed, u.targets, codes::kLateral));
        for (uint32_t i : waived->exfiltration)
            waivedExfil.push_back(
                cu.pathSet(u.exfiltration[i], u.exfilSources, u.exfilSinks, codes::kExfil));
    }
    j["waivedPaths"] = {{"lateralMovement", waivedLateral}, {"exfiltration", waivedExfil}};
    json blast = json::array();
    for (const BlastRadius& br : result.blast) {
        json reach = json::array();
        for (uint32_t v : br.reachable)
            reach.push_back({{"name", g.name(v, policy)},
                             {"kind", PolicyGraph::kindName(g.vertices[v].kind)},
                             {"level", levelKey(g.level(v, policy))}});
        blast.push_back({{"source", policy.endpointName(result.exposed[br.source].endpoint)},
                         {"reachable", br.reachable.size()},
                         {"byLevel",
                          {{"classified", br.classified},
                           {"sensitive", br.sensitive},
                           {"open", br.open},
                           {"unleveled", br.unleveled}}},
                         {"vertices", reach}});
    }
    j["blastRadius"] = blast;
    json cutLateral = json::array(), cutExfil = json::array(), uncuttable = json::array();
    for (const CutItem& item : result.cut.lateral)
        cutLateral.push_back(c.cutItem(item));
    for (const CutItem& item : result.cut.exfiltration)
        cutExfil.push_back(c.cutItem(item));
    for (uint32_t u : result.cut.uncuttable)
        uncuttable.push_back(policy.endpointName(result.exposed[u].endpoint));
    j["minimumCut"] = {
        {"lateralMovement", cutLateral}, {"exfiltration", cutExfil}, {"uncuttable", uncuttable}};
    json anomalies = json::array();
    for (const Anomaly& a : result.anomalies) {
        json by = json::array();
        for (uint32_t r : a.by)
            by.push_back(c.rule(r));
        json ja = c.rule(a.rule);
        ja["code"] = a.kind == Anomaly::Kind::Dead ? codes::kDeadRule : codes::kRedundant;
        ja["kind"] = a.kind == Anomaly::Kind::Dead ? "dead" : "redundant";
        ja["by"] = by;
        anomalies.push_back(ja);
    }
    j["anomalies"] = anomalies;
    json expectations = json::array();
    for (const ExpectationResult& er : result.expectations) {
        const model::Expectation& x = policy.expectations[er.index];
        json rules = json::array();
        for (uint32_t r : er.rules)
            rules.push_back(c.rule(r));
        json je = {{"index", er.index},
                   {"kind", x.kind == model::Expectation::Kind::Allow  ? "allow"
                            : x.kind == model::Expectation::Kind::Deny ? "deny"
                                                                       : "no-path"},
                   {"passed", er.passed},
                   {"detail", er.detail},
                   {"rules", rules}};
        if (sources && x.span.valid() && x.span.file < sources->size())
            je["where"] = sources->where(x.span);
        if (er.path)
            je["path"] = c.path(*er.path);
        expectations.push_back(je);
    }
    j["expectations"] = expectations;
    json waivers = json::array();
    for (const WaiverResult& w : result.waivers) {
        const model::Waiver& x = policy.waivers[w.index];
        json jw = {{"index", w.index},
                   {"until", x.until.str()},
                   {"ticket", x.ticket},
                   {"live", w.live},
                   {"matched", w.matched}};
        if (sources && x.span.valid() && x.span.file < sources->size())
            jw["where"] = sources->where(x.span);
        waivers.push_back(jw);
    }
    j["waivers"] = waivers;
    return printableJson(j.dump(2)) + "\n";
}

} // namespace netsep::report
