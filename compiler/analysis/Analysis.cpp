#include "analysis/Analysis.hpp"

#include "analysis/Search.hpp"
#include "model/PublicAddresses.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>

namespace netsep::analysis {

namespace {

using detail::Bfs;

// Milliseconds since the last call (or construction).
class Stopwatch {
public:
    double lap() {
        auto now = std::chrono::steady_clock::now();
        double ms = std::chrono::duration<double, std::milli>(now - last_).count();
        last_ = now;
        return ms;
    }

private:
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

bool sortedContains(const std::vector<uint32_t>& v, uint32_t x) {
    return std::binary_search(v.begin(), v.end(), x);
}

model::Endpoint endpointOf(const PolicyGraph& g, uint32_t v) {
    const Vertex& x = g.vertices[v];
    switch (x.kind) {
    case VertexKind::Zone:
        return {model::Endpoint::Kind::Zone, x.index};
    case VertexKind::Group:
        return {model::Endpoint::Kind::Group, x.index};
    case VertexKind::Saas:
        return {model::Endpoint::Kind::Saas, x.index};
    }
    return {};
}

SpaceTable::Id waivedAt(const PolicyGraph& g, uint32_t u, uint32_t v) {
    std::vector<SpaceTable::Id> ids;
    for (const auto& info : g.waivers)
        if (info.live && sortedContains(info.from, u) && sortedContains(info.to, v))
            ids.push_back(info.space);
    return g.spaces.uniteAll(ids);
}

// The rules (and their services) that make one hop of a path.
Hop makeHop(const PolicyGraph& g, const model::Policy& policy, uint32_t a, uint32_t b,
            uint8_t flag) {
    Hop hop;
    hop.from = a;
    hop.to = b;
    auto id = g.findEdge(a, b);
    if (!id)
        return hop;
    hop.edge = *id;
    const Edge& e = g.edges[*id];
    hop.intraZone = e.intra;
    SpaceTable& sp = g.spaces;
    const SpaceTable::Id waived = e.waived ? waivedAt(g, a, b) : SpaceTable::kEmpty;
    for (uint32_t i = e.rulesBegin; i < e.rulesEnd; ++i) {
        if (!(g.edgeRules[i].flags & flag))
            continue;
        const uint32_t r = g.edgeRules[i].rule;
        const model::Rule& rule = policy.rules[r];
        HopRule hr;
        hr.rule = r;
        hr.anyService = rule.serviceAny;
        for (uint32_t s : rule.services) {
            if (s >= g.serviceSpace.size())
                continue;
            if (flag == kRuleMove && policy.services[s].noPivot)
                continue;
            SpaceTable::Id mine = sp.intersect(g.serviceSpace[s], e.allowed);
            if (sp.subtract(mine, waived) != SpaceTable::kEmpty &&
                std::find(hr.services.begin(), hr.services.end(), s) == hr.services.end())
                hr.services.push_back(s);
        }
        hop.rules.push_back(std::move(hr));
    }
    return hop;
}

Path makePath(const PolicyGraph& g, const model::Policy& policy, const std::vector<uint32_t>& seq,
              uint8_t flag) {
    Path p;
    p.start = seq.empty() ? 0 : seq.front();
    for (size_t i = 0; i + 1 < seq.size(); ++i)
        p.hops.push_back(makeHop(g, policy, seq[i], seq[i + 1], flag));
    return p;
}

// Among the unit's vertices, the nearest reached one (first in unit order).
struct Nearest {
    uint32_t vertex = kNone, dist = kNone;
    uint64_t count = 0;
    bool saturated = false;
};

Nearest nearest(const Bfs& bfs, const std::vector<uint32_t>& vertices) {
    Nearest n;
    for (uint32_t v : vertices)
        if (bfs.reached(v) && bfs.dist(v) < n.dist) {
            n.vertex = v;
            n.dist = bfs.dist(v);
        }
    if (n.vertex == kNone)
        return n;
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    for (uint32_t v : vertices) {
        if (!bfs.reached(v) || bfs.dist(v) != n.dist)
            continue;
        n.saturated = n.saturated || bfs.saturated(v);
        if (n.count > kMax - bfs.paths(v)) {
            n.count = kMax;
            n.saturated = true;
        } else {
            n.count += bfs.paths(v);
        }
    }
    return n;
}

// Vertex sequence from a BFS source to v (forward search).
std::vector<uint32_t> backtrack(const Bfs& bfs, uint32_t v) {
    std::vector<uint32_t> seq;
    for (uint32_t x = v; x != kNone; x = bfs.parent(x))
        seq.push_back(x);
    std::reverse(seq.begin(), seq.end());
    return seq;
}

// Vertex sequence from v towards the BFS sources (reverse search).
std::vector<uint32_t> forwardTrack(const Bfs& bfs, uint32_t v) {
    std::vector<uint32_t> seq;
    for (uint32_t x = v; x != kNone; x = bfs.parent(x))
        seq.push_back(x);
    return seq;
}

std::vector<uint32_t> allVertices(const std::vector<Unit>& units) {
    std::vector<uint32_t> out;
    for (const Unit& u : units)
        out.insert(out.end(), u.vertices.begin(), u.vertices.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void addAlternatives(const PolicyGraph& g, const model::Policy& policy, const Adjacency& adj,
                     const Adjacency& rev, const std::vector<Unit>& from,
                     const std::vector<Unit>& to, std::vector<PathSet>& sets,
                     const Options& options, uint8_t flag) {
    if (options.k <= 1)
        return;
    detail::Yen yen(g.vertexCount());
    size_t done = 0;
    for (PathSet& ps : sets) {
        if (ps.length == 0 || ps.paths.empty())
            continue;
        if (done >= options.maxAlternativeSets) {
            ps.alternativesSkipped = true;
            continue;
        }
        ++done;
        auto seqs = yen.run(adj, rev, from[ps.from].vertices, to[ps.to].vertices,
                            ps.paths[0].vertices(), options.k);
        for (size_t i = 1; i < seqs.size(); ++i)
            ps.paths.push_back(makePath(g, policy, seqs[i], flag));
    }
}

void attachFixes(std::vector<PathSet>& sets, const std::vector<CutItem>& cut,
                 const PolicyGraph& g) {
    for (PathSet& ps : sets) {
        if (ps.paths.empty())
            continue;
        for (const Hop& hop : ps.paths[0].hops) {
            if (hop.intraZone) {
                CutItem item{CutItem::Kind::Isolate, g.vertices[hop.from].zone};
                if (std::binary_search(cut.begin(), cut.end(), item))
                    ps.fix.push_back(item);
            }
            for (const HopRule& hr : hop.rules) {
                CutItem item{CutItem::Kind::Rule, hr.rule};
                if (std::binary_search(cut.begin(), cut.end(), item))
                    ps.fix.push_back(item);
            }
        }
        std::sort(ps.fix.begin(), ps.fix.end());
        ps.fix.erase(std::unique(ps.fix.begin(), ps.fix.end()), ps.fix.end());
    }
}

// Exposure by what the addresses are, not by the zone's kind: a zone or
// group that owns public addresses admits the internet (W306 in sema).
std::optional<model::IpPrefix> publicPrefixOf(const model::AddressSet& addresses) {
    if (!addresses.intersects(model::publicAddresses()))
        return std::nullopt;
    return model::firstPublicPrefix(addresses);
}

std::vector<std::string> targetReasons(const model::Zone& z) {
    std::vector<std::string> out;
    if (z.crownJewel)
        out.push_back("crown-jewel");
    if (z.level && *z.level == model::Level::Classified)
        out.push_back("level classified");
    if (z.kind && *z.kind == model::ZoneKind::Datacenter)
        out.push_back("kind datacenter");
    return out;
}

bool isExfilZone(const model::Zone& z) {
    return z.kind && (*z.kind == model::ZoneKind::Internet || *z.kind == model::ZoneKind::Saas);
}

SpaceTable::Id spaceOf(const PolicyGraph& g, const std::vector<uint32_t>& services,
                       bool serviceAny) {
    if (serviceAny)
        return g.spaces.all();
    std::vector<SpaceTable::Id> ids;
    for (uint32_t i : services)
        if (i < g.serviceSpace.size())
            ids.push_back(g.serviceSpace[i]);
    return g.spaces.uniteAll(ids);
}

void evaluateExpectations(Result& result, const model::Policy& policy) {
    const PolicyGraph& g = *result.graph;
    SpaceTable& sp = g.spaces;
    const size_t n = g.vertexCount();
    Bfs bfs(n);
    for (uint32_t i = 0; i < policy.expectations.size(); ++i) {
        const model::Expectation& x = policy.expectations[i];
        ExpectationResult er;
        er.index = i;
        const SpaceTable::Id want = spaceOf(g, x.services, x.serviceAny);
        auto name = [&](uint32_t v) { return g.name(v, policy); };
        auto addRule = [&](uint32_t r) {
            if (std::find(er.rules.begin(), er.rules.end(), r) == er.rules.end())
                er.rules.push_back(r);
        };
        switch (x.kind) {
        case model::Expectation::Kind::Allow: {
            for (const auto& fe : x.from) {
                for (const auto& te : x.to) {
                    const uint32_t a = g.vertexOf(fe), b = g.vertexOf(te);
                    if (a == b)
                        continue;
                    auto id = g.findEdge(a, b);
                    if (id && g.edges[*id].intra)
                        continue; // hosts of one zone reach each other
                    const SpaceTable::Id allowed = id ? g.edges[*id].allowed : SpaceTable::kEmpty;
                    const SpaceTable::Id missing =
                        x.serviceAny
                            ? (allowed == SpaceTable::kEmpty ? sp.all() : SpaceTable::kEmpty)
                            : sp.subtract(want, allowed);
                    if (missing == SpaceTable::kEmpty)
                        continue;
                    std::vector<uint32_t> denies;
                    for (uint32_t d : g.deniesAt(a, b))
                        if (sp.intersects(g.ruleSpace[d], missing)) {
                            denies.push_back(d);
                            addRule(d);
                        }
                    std::vector<uint32_t> dormant;
                    for (uint32_t r : g.dormantExceptions)
                        if (g.covers(r, a, b) && sp.intersects(g.ruleSpace[r], missing))
                            dormant.push_back(r);
                    if (er.passed) {
                        er.passed = false;
                        er.detail =
                            name(a) + " -> " + name(b) + " does not allow " +
                            (x.serviceAny ? std::string("any traffic") : sp.get(missing).str());
                        if (!denies.empty()) {
                            er.detail += ": denied by ";
                            for (size_t k = 0; k < denies.size(); ++k)
                                er.detail += (k ? ", " : "") + policy.rules[denies[k]].name;
                        } else if (!dormant.empty()) {
                            er.detail += ": exception " + policy.rules[dormant[0]].name +
                                         " is not in force on " + result.asOf.str();
                            addRule(dormant[0]);
                        } else {
                            er.detail += ": no access rule allows it";
                        }
                    }
                }
            }
            break;
        }
        case model::Expectation::Kind::Deny: {
            std::vector<uint8_t> inTo(n, 0);
            for (uint32_t v : g.cover(x.to))
                inTo[v] = 1;
            size_t failures = 0;
            for (uint32_t a : g.cover(x.from)) {
                for (uint32_t ei = g.edgeStart[a]; ei < g.edgeStart[a + 1]; ++ei) {
                    const Edge& e = g.edges[ei];
                    if (!inTo[e.dst])
                        continue;
                    const SpaceTable::Id hit = sp.intersect(e.allowed, want);
                    if (!e.intra && hit == SpaceTable::kEmpty)
                        continue;
                    ++failures;
                    std::vector<uint32_t> allows;
                    for (uint32_t k = e.rulesBegin; k < e.rulesEnd; ++k)
                        if (sp.intersects(g.ruleSpace[g.edgeRules[k].rule], hit)) {
                            allows.push_back(g.edgeRules[k].rule);
                            addRule(g.edgeRules[k].rule);
                        }
                    if (!er.passed)
                        continue;
                    er.passed = false;
                    er.detail = name(a) + " -> " + name(e.dst) + " is allowed";
                    if (hit != SpaceTable::kEmpty)
                        er.detail += " for " + sp.get(hit).str();
                    if (!allows.empty()) {
                        er.detail += " by ";
                        for (size_t k = 0; k < allows.size(); ++k)
                            er.detail += (k ? ", " : "") + policy.rules[allows[k]].name;
                    }
                    if (e.intra)
                        er.detail += std::string(allows.empty() ? "" : ";") + " hosts of zone " +
                                     policy.zones[g.vertices[a].zone].name +
                                     " reach each other (the zone is not isolated)";
                }
            }
            if (failures > 1)
                er.detail += " (and " + std::to_string(failures - 1) + " more pairs)";
            break;
        }
        case model::Expectation::Kind::NoPath: {
            const auto from = g.cover(x.from);
            const auto to = g.cover(x.to);
            bfs.run(g.moveFwd, from, false);
            Nearest best = nearest(bfs, to);
            if (best.vertex == kNone)
                break;
            er.passed = false;
            if (best.dist == 0) {
                er.detail = name(best.vertex) + " is on both sides";
                break;
            }
            Path p = makePath(g, policy, backtrack(bfs, best.vertex), kRuleMove);
            for (const Hop& h : p.hops)
                for (const HopRule& hr : h.rules)
                    addRule(hr.rule);
            er.detail = "lateral-movement path " + pathText(result, policy, p);
            er.path = std::move(p);
            break;
        }
        }
        result.expectations.push_back(std::move(er));
    }
}

void findAnomalies(Result& result, const model::Policy& policy) {
    const PolicyGraph& g = *result.graph;
    SpaceTable& sp = g.spaces;
    const size_t n = g.vertexCount();
    const size_t nr = policy.rules.size();

    // Dead: an allow whose every pair is denied for all its services.
    for (uint32_t r = 0; r < nr; ++r) {
        if (!g.ruleActive[r] || !g.rulePairs[r] || g.ruleAlive[r])
            continue;
        Anomaly a{Anomaly::Kind::Dead, r, {}};
        bool done = false;
        for (uint32_t u : g.ruleFrom[r]) {
            for (uint32_t v : g.ruleTo[r]) {
                if (u == v)
                    continue;
                for (uint32_t d : g.deniesAt(u, v))
                    if (sp.intersects(g.ruleSpace[d], g.ruleSpace[r]))
                        a.by.push_back(d);
                done = true;
                break;
            }
            if (done)
                break;
        }
        result.anomalies.push_back(std::move(a));
    }

    // Redundant: an allow covered by one other access rule (same or wider
    // sources, destinations and services; no narrower identity; logs if it
    // logs). Of two identical rules the later one is reported.
    auto includes = [&](const std::vector<uint32_t>& wide, const std::vector<uint32_t>& narrow) {
        return wide.size() == n ||
               std::includes(wide.begin(), wide.end(), narrow.begin(), narrow.end());
    };
    auto coversRule = [&](uint32_t wide, uint32_t narrow) {
        const auto& wf = g.ruleFrom[wide];
        const auto& nf = g.ruleFrom[narrow];
        const auto& wt = g.ruleTo[wide];
        const auto& nt = g.ruleTo[narrow];
        if (wf.size() < nf.size() || wt.size() < nt.size())
            return false;
        if (!sortedContains(wf, nf[0]) || !sortedContains(wt, nt[0]))
            return false;
        const model::Rule& W = policy.rules[wide];
        const model::Rule& N = policy.rules[narrow];
        if (W.identity && W.identity != N.identity)
            return false;
        if (N.log && !W.log)
            return false;
        return sp.subset(g.ruleSpace[narrow], g.ruleSpace[wide]) && includes(wf, nf) &&
               includes(wt, nt);
    };
    // A rule covering r allows something wherever r does, so it is among the
    // allowing rules of the first edge r allows something on. Rules are
    // grouped by that edge so its candidates are gathered once; their
    // service signatures reject most pairs before the full test.
    std::vector<uint32_t> byEdge;
    for (uint32_t r = 0; r < nr; ++r)
        if (g.ruleActive[r] && g.ruleAlive[r] && !g.ruleFrom[r].empty() && !g.ruleTo[r].empty())
            byEdge.push_back(r);
    std::stable_sort(byEdge.begin(), byEdge.end(),
                     [&](uint32_t a, uint32_t b) { return g.ruleEdge[a] < g.ruleEdge[b]; });
    struct Candidate {
        ServiceSpace::Signature sig;
        uint32_t rule;
    };
    std::vector<Candidate> candidates;
    for (size_t i = 0; i < byEdge.size();) {
        const uint32_t edge = g.ruleEdge[byEdge[i]];
        const Edge& e = g.edges[edge];
        candidates.clear();
        for (uint32_t k = e.rulesBegin; k < e.rulesEnd; ++k) {
            const uint32_t w = g.edgeRules[k].rule;
            if (policy.rules[w].kind == model::RuleKind::Access)
                candidates.push_back({sp.signature(g.ruleSpace[w]), w});
        }
        for (; i < byEdge.size() && g.ruleEdge[byEdge[i]] == edge; ++i) {
            const uint32_t r = byEdge[i];
            const ServiceSpace::Signature sig = sp.signature(g.ruleSpace[r]);
            for (const Candidate& c : candidates) {
                if ((sig[0] & ~c.sig[0]) | (sig[1] & ~c.sig[1]))
                    continue;
                const uint32_t w = c.rule;
                if (w == r || !coversRule(w, r))
                    continue;
                if (w > r && policy.rules[r].kind == model::RuleKind::Access && coversRule(r, w))
                    continue; // identical: the later one is the redundant one
                result.anomalies.push_back({Anomaly::Kind::Redundant, r, {w}});
                break;
            }
        }
    }
    std::stable_sort(result.anomalies.begin(), result.anomalies.end(),
                     [](const Anomaly& a, const Anomaly& b) { return a.rule < b.rule; });
}

// The classes of a list of units (targets or sinks): units with the same
// reasons are one class, numbered in order of first appearance.
struct UnitClasses {
    explicit UnitClasses(const std::vector<Unit>& units) {
        std::map<std::string, uint32_t> ids;
        for (const Unit& u : units) {
            std::string key;
            for (const auto& r : u.reasons)
                key += (key.empty() ? "" : ", ") + r;
            auto [it, fresh] = ids.emplace(key, uint32_t(names.size()));
            if (fresh)
                names.push_back(key);
            of.push_back(it->second);
        }
    }
    std::vector<uint32_t> of; // unit -> class
    std::vector<std::string> names;
};

struct Hit {
    uint32_t unit = 0; // target or sink unit reached
    Nearest best;
};

// Groups the units one source reaches by class, appends one FindingGroup per
// class (in class order), and returns the hits to build path sets for: the
// nearest `limit` of each class (by hops, then unit order), in unit order.
// The groups' `sets` are filled by fillGroupSets once the path sets exist.
std::vector<Hit> selectNearest(uint32_t source, const std::vector<Hit>& hits,
                               const UnitClasses& classes, size_t limit,
                               std::vector<FindingGroup>& groups) {
    std::vector<std::vector<const Hit*>> byClass(classes.names.size());
    for (const Hit& h : hits)
        byClass[classes.of[h.unit]].push_back(&h);
    std::vector<Hit> kept;
    for (uint32_t c = 0; c < byClass.size(); ++c) {
        auto& members = byClass[c];
        if (members.empty())
            continue;
        std::sort(members.begin(), members.end(), [](const Hit* a, const Hit* b) {
            return a->best.dist != b->best.dist ? a->best.dist < b->best.dist : a->unit < b->unit;
        });
        FindingGroup group;
        group.from = source;
        group.toClass = classes.names[c];
        group.count = members.size();
        for (size_t k = 0; k < members.size() && k < limit; ++k) {
            kept.push_back(*members[k]);
            group.sets.push_back(members[k]->unit); // unit for now: see fillGroupSets
        }
        groups.push_back(std::move(group));
    }
    std::sort(kept.begin(), kept.end(), [](const Hit& a, const Hit& b) { return a.unit < b.unit; });
    return kept;
}

// Turns the unit numbers selectNearest left in groups[fromGroup...] (one
// source's) into indices of that source's path sets, sets[first...], which
// are in unit order.
void fillGroupSets(const std::vector<PathSet>& sets, size_t first,
                   std::vector<FindingGroup>& groups, size_t fromGroup) {
    for (size_t k = fromGroup; k < groups.size(); ++k)
        for (uint32_t& unit : groups[k].sets)
            unit =
                uint32_t(std::lower_bound(sets.begin() + long(first), sets.end(), unit,
                                          [](const PathSet& ps, uint32_t u) { return ps.to < u; }) -
                         sets.begin());
}

} // namespace

std::vector<uint32_t> Path::vertices() const {
    std::vector<uint32_t> out{start};
    for (const Hop& h : hops)
        out.push_back(h.to);
    return out;
}

std::optional<model::Endpoint> findEndpoint(const model::Policy& policy, const std::string& name) {
    for (uint32_t i = 0; i < policy.zones.size(); ++i)
        if (policy.zones[i].name == name)
            return model::Endpoint{model::Endpoint::Kind::Zone, i};
    for (uint32_t i = 0; i < policy.groups.size(); ++i)
        if (policy.groups[i].name == name)
            return model::Endpoint{model::Endpoint::Kind::Group, i};
    for (uint32_t i = 0; i < policy.saas.size(); ++i)
        if (policy.saas[i].name == name)
            return model::Endpoint{model::Endpoint::Kind::Saas, i};
    return std::nullopt;
}

Result analyze(const model::Policy& policy, const Options& options) {
    Result result;
    result.asOf = options.asOf;
    result.k = std::max(1u, options.k);
    result.filtered = options.from.has_value() || options.to.has_value();
    result.from = options.from;
    result.to = options.to;
    std::optional<model::Endpoint> fromEp, toEp;
    if (options.from && !(fromEp = findEndpoint(policy, *options.from))) {
        result.error = "no zone, group or saas endpoint named '" + *options.from + "'";
        return result;
    }
    if (options.to && !(toEp = findEndpoint(policy, *options.to))) {
        result.error = "no zone, group or saas endpoint named '" + *options.to + "'";
        return result;
    }

    Stopwatch clock;
    auto graph = std::make_shared<PolicyGraph>(
        PolicyGraph::build(policy, options.asOf, options.applyWaivers, options.progress));
    result.timings.graph = clock.lap();
    result.graph = graph;
    const PolicyGraph& g = *graph;
    const size_t n = g.vertexCount();
    result.summary = {n, g.edges.size(), g.movementEdges, g.flowEdges, g.intraEdges};

    // Exposed sources.
    std::vector<Unit> exposedAll(n);
    for (uint32_t v = 0; v < n; ++v) {
        exposedAll[v].endpoint = endpointOf(g, v);
        exposedAll[v].vertices = {v};
        const Vertex& x = g.vertices[v];
        if (x.kind == VertexKind::Zone) {
            const model::Zone& z = policy.zones[x.index];
            if (z.kind && *z.kind == model::ZoneKind::Internet)
                exposedAll[v].reasons.push_back("kind internet");
            else if (z.kind && *z.kind == model::ZoneKind::Saas)
                exposedAll[v].reasons.push_back("kind saas");
            else if (auto p = publicPrefixOf(z.addresses))
                exposedAll[v].reasons.push_back("holds public addresses " + p->str());
        } else if (x.kind == VertexKind::Group) {
            const model::Group& grp = policy.groups[x.index];
            const model::Zone& z = policy.zones[grp.zone];
            const bool internet = z.kind && (*z.kind == model::ZoneKind::Internet ||
                                             *z.kind == model::ZoneKind::Saas);
            if (!internet)
                if (auto p = publicPrefixOf(grp.addresses))
                    exposedAll[v].reasons.push_back("holds public addresses " + p->str());
        } else if (x.kind == VertexKind::Saas) {
            exposedAll[v].reasons.push_back("saas endpoint");
        }
    }
    for (uint32_t r = 0; r < policy.rules.size(); ++r) {
        if (policy.rules[r].kind != model::RuleKind::Exception || !g.ruleActive[r])
            continue;
        for (uint32_t u : g.ruleFrom[r]) {
            exposedAll[u].reasons.push_back("holds exception " + policy.rules[r].name);
            exposedAll[u].exceptions.push_back(r);
        }
    }
    if (fromEp) {
        Unit u;
        u.endpoint = *fromEp;
        u.vertices = g.cover(*fromEp);
        for (uint32_t v : u.vertices) {
            for (const auto& reason : exposedAll[v].reasons)
                if (std::find(u.reasons.begin(), u.reasons.end(), reason) == u.reasons.end())
                    u.reasons.push_back(reason);
            u.exceptions.insert(u.exceptions.end(), exposedAll[v].exceptions.begin(),
                                exposedAll[v].exceptions.end());
        }
        result.exposed.push_back(std::move(u));
    } else {
        for (Unit& u : exposedAll)
            if (!u.reasons.empty())
                result.exposed.push_back(std::move(u));
    }

    // Targets (also the exfiltration sources) and exfiltration sinks.
    std::vector<Unit> targetsAll;
    for (uint32_t z = 0; z < policy.zones.size(); ++z) {
        const model::Zone& zone = policy.zones[z];
        auto reasons = targetReasons(zone);
        model::Endpoint ep{model::Endpoint::Kind::Zone, z};
        if (!reasons.empty())
            targetsAll.push_back({ep, g.cover(ep), std::move(reasons), {}});
        if (isExfilZone(zone))
            result.exfilSinks.push_back(
                {ep, g.cover(ep), {std::string("kind ") + model::zoneKindName(*zone.kind)}, {}});
    }
    for (uint32_t s = 0; s < policy.saas.size(); ++s)
        result.exfilSinks.push_back(
            {{model::Endpoint::Kind::Saas, s}, {g.saasVertex[s]}, {"saas endpoint"}, {}});
    result.exfilSources = targetsAll;
    if (toEp) {
        Unit u;
        u.endpoint = *toEp;
        u.vertices = g.cover(*toEp);
        if (toEp->kind == model::Endpoint::Kind::Zone)
            u.reasons = targetReasons(policy.zones[toEp->index]);
        result.targets.push_back(std::move(u));
    } else {
        result.targets = std::move(targetsAll);
    }

    // Lateral movement and blast radius: one BFS per exposed unit.
    const UnitClasses targetClasses(result.targets);
    const UnitClasses sinkClasses(result.exfilSinks);
    auto progress = [&](std::string_view step, size_t done, size_t total) {
        if (options.progress)
            options.progress(step, done, total);
    };
    Bfs bfs(n);
    std::vector<Hit> hits;
    for (uint32_t i = 0; i < result.exposed.size(); ++i) {
        progress("lateral movement", i, result.exposed.size());
        const Unit& src = result.exposed[i];
        bfs.run(g.moveFwd, src.vertices, true);
        BlastRadius br;
        br.source = i;
        for (uint32_t v : bfs.order()) {
            if (bfs.dist(v) == 0)
                continue;
            br.reachable.push_back(v);
            auto level = g.level(v, policy);
            if (!level)
                ++br.unleveled;
            else if (*level == model::Level::Open)
                ++br.open;
            else if (*level == model::Level::Sensitive)
                ++br.sensitive;
            else
                ++br.classified;
        }
        std::sort(br.reachable.begin(), br.reachable.end());
        result.blast.push_back(std::move(br));
        hits.clear();
        bool inside = false;
        for (uint32_t j = 0; j < result.targets.size(); ++j) {
            Nearest best = nearest(bfs, result.targets[j].vertices);
            if (best.vertex == kNone)
                continue;
            hits.push_back({j, best});
            inside = inside || best.dist == 0;
        }
        if (inside)
            result.cut.uncuttable.push_back(i);
        const size_t first = result.lateral.size();
        const size_t groupsBefore = result.lateralGroups.size();
        for (const Hit& h : selectNearest(i, hits, targetClasses, options.pathSetsPerGroup,
                                          result.lateralGroups)) {
            PathSet ps;
            ps.from = i;
            ps.to = h.unit;
            ps.length = h.best.dist;
            ps.shortestPaths = h.best.count;
            ps.countSaturated = h.best.saturated;
            ps.paths.push_back(makePath(g, policy, backtrack(bfs, h.best.vertex), kRuleMove));
            ps.finding = !src.reasons.empty() && !result.targets[h.unit].reasons.empty();
            result.lateral.push_back(std::move(ps));
        }
        fillGroupSets(result.lateral, first, result.lateralGroups, groupsBefore);
    }
    addAlternatives(g, policy, g.moveFwd, g.moveRev, result.exposed, result.targets, result.lateral,
                    options, kRuleMove);
    result.timings.lateral = clock.lap();

    // Exfiltration: from each target zone along data flows to internet/saas.
    if (options.exfiltration && !result.exfilSources.empty() && !result.exfilSinks.empty()) {
        const auto& srcs = result.exfilSources;
        const auto& sinks = result.exfilSinks;
        if (srcs.size() <= sinks.size()) {
            const auto canLeave = detail::reach(g.flowRev, allVertices(sinks));
            for (uint32_t i = 0; i < srcs.size(); ++i) {
                progress("exfiltration", i, srcs.size());
                bool any = false;
                for (uint32_t v : srcs[i].vertices)
                    any = any || canLeave[v];
                if (!any)
                    continue;
                bfs.run(g.flowFwd, srcs[i].vertices, true);
                hits.clear();
                for (uint32_t j = 0; j < sinks.size(); ++j) {
                    Nearest best = nearest(bfs, sinks[j].vertices);
                    if (best.vertex != kNone && best.dist > 0)
                        hits.push_back({j, best});
                }
                const size_t first = result.exfiltration.size();
                const size_t groupsBefore = result.exfiltrationGroups.size();
                for (const Hit& h : selectNearest(i, hits, sinkClasses, options.pathSetsPerGroup,
                                                  result.exfiltrationGroups))
                    result.exfiltration.push_back(
                        {i,
                         h.unit,
                         h.best.dist,
                         h.best.count,
                         h.best.saturated,
                         {makePath(g, policy, backtrack(bfs, h.best.vertex), kRuleFlow)},
                         false,
                         {}});
                fillGroupSets(result.exfiltration, first, result.exfiltrationGroups, groupsBefore);
            }
        } else {
            // Backward from each sink; what each source reaches is only
            // known at the end, so the pairs are gathered first and the
            // kept ones get their paths in a second pass over the sinks.
            const auto canReach = detail::reach(g.flowFwd, allVertices(srcs));
            std::vector<std::vector<Hit>> bySource(srcs.size());
            for (uint32_t j = 0; j < sinks.size(); ++j) {
                progress("exfiltration", j, 2 * sinks.size());
                bool any = false;
                for (uint32_t v : sinks[j].vertices)
                    any = any || canReach[v];
                if (!any)
                    continue;
                bfs.run(g.flowRev, sinks[j].vertices, true);
                for (uint32_t i = 0; i < srcs.size(); ++i) {
                    Nearest best = nearest(bfs, srcs[i].vertices);
                    if (best.vertex != kNone && best.dist > 0)
                        bySource[i].push_back({j, best});
                }
            }
            std::vector<std::vector<std::pair<uint32_t, size_t>>> bySink(sinks.size());
            for (uint32_t i = 0; i < srcs.size(); ++i) {
                const size_t first = result.exfiltration.size();
                const size_t groupsBefore = result.exfiltrationGroups.size();
                std::sort(bySource[i].begin(), bySource[i].end(),
                          [](const Hit& a, const Hit& b) { return a.unit < b.unit; });
                for (const Hit& h :
                     selectNearest(i, bySource[i], sinkClasses, options.pathSetsPerGroup,
                                   result.exfiltrationGroups)) {
                    bySink[h.unit].push_back({i, result.exfiltration.size()});
                    result.exfiltration.push_back(
                        {i, h.unit, h.best.dist, h.best.count, h.best.saturated, {}, false, {}});
                }
                fillGroupSets(result.exfiltration, first, result.exfiltrationGroups, groupsBefore);
                std::vector<Hit>().swap(bySource[i]);
            }
            for (uint32_t j = 0; j < sinks.size(); ++j) {
                progress("exfiltration", sinks.size() + j, 2 * sinks.size());
                if (bySink[j].empty())
                    continue;
                bfs.run(g.flowRev, sinks[j].vertices, true);
                for (const auto& [i, at] : bySink[j]) {
                    const Nearest best = nearest(bfs, srcs[i].vertices);
                    result.exfiltration[at].paths.push_back(
                        makePath(g, policy, forwardTrack(bfs, best.vertex), kRuleFlow));
                }
            }
        }
        addAlternatives(g, policy, g.flowFwd, g.flowRev, srcs, sinks, result.exfiltration, options,
                        kRuleFlow);
    }

    result.timings.exfiltration = clock.lap();

    // Minimum cuts (the uncuttable sources were found with the lateral
    // search: a source inside a target).
    if (options.minimumCut && !result.lateral.empty())
        result.cut.lateral =
            detail::minimumCut(g, g.moveFwd, g.moveRev, allVertices(result.exposed),
                               allVertices(result.targets), kRuleMove);
    if (options.minimumCut && !result.exfiltration.empty())
        result.cut.exfiltration =
            detail::minimumCut(g, g.flowFwd, g.flowRev, allVertices(result.exfilSources),
                               allVertices(result.exfilSinks), kRuleFlow);
    attachFixes(result.lateral, result.cut.lateral, g);
    attachFixes(result.exfiltration, result.cut.exfiltration, g);

    result.timings.cut = clock.lap();
    findAnomalies(result, policy);
    result.timings.anomalies = clock.lap();
    evaluateExpectations(result, policy);
    result.timings.expectations = clock.lap();
    for (uint32_t w = 0; w < g.waivers.size(); ++w)
        result.waivers.push_back({w, g.waivers[w].live, g.waivers[w].matched});
    return result;
}

} // namespace netsep::analysis
