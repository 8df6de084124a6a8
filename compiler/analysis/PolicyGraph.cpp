#include "analysis/PolicyGraph.hpp"

#include <algorithm>
#include <utility>

namespace netsep::analysis {

namespace {

constexpr uint32_t kIntraRule = kNone; // marks the intra-zone join in the pair buckets

bool contains(const std::vector<uint32_t>& sorted, uint32_t v) {
    return std::binary_search(sorted.begin(), sorted.end(), v);
}

void sortUnique(std::vector<uint32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Per-source index of rule-like items (denies, waivers): those whose source
// cover holds u, split into "every destination" and "some destinations".
struct SourceIndex {
    std::vector<uint32_t> start, items;

    void build(size_t vertexCount, const std::vector<uint32_t>& ids,
               const std::vector<const std::vector<uint32_t>*>& froms) {
        start.assign(vertexCount + 1, 0);
        for (size_t i = 0; i < ids.size(); ++i)
            for (uint32_t u : *froms[i])
                ++start[u + 1];
        for (size_t v = 0; v < vertexCount; ++v)
            start[v + 1] += start[v];
        items.resize(start.back());
        std::vector<uint32_t> fill(start.begin(), start.end() - 1);
        for (size_t i = 0; i < ids.size(); ++i)
            for (uint32_t u : *froms[i])
                items[fill[u]++] = ids[i];
    }
};

Adjacency makeAdjacency(size_t vertexCount, std::vector<std::pair<uint32_t, uint32_t>>& pairs,
                        std::vector<uint32_t>& ids) {
    // pairs are sorted by (first, second) with ids aligned.
    Adjacency a{Csr(boost::edges_are_sorted, pairs.begin(), pairs.end(), vertexCount), {}};
    a.edge = std::move(ids);
    return a;
}

} // namespace

const char* PolicyGraph::kindName(VertexKind k) {
    switch (k) {
    case VertexKind::Zone:
        return "zone";
    case VertexKind::Group:
        return "group";
    case VertexKind::Saas:
        return "saas endpoint";
    }
    return "zone";
}

uint32_t PolicyGraph::vertexOf(const model::Endpoint& e) const {
    switch (e.kind) {
    case model::Endpoint::Kind::Zone:
        return zoneVertex.at(e.index);
    case model::Endpoint::Kind::Group:
        return groupVertex.at(e.index);
    case model::Endpoint::Kind::Saas:
        return saasVertex.at(e.index);
    }
    return kNone;
}

const std::string& PolicyGraph::name(uint32_t v, const model::Policy& policy) const {
    const Vertex& x = vertices.at(v);
    switch (x.kind) {
    case VertexKind::Zone:
        return policy.zones.at(x.index).name;
    case VertexKind::Group:
        return policy.groups.at(x.index).name;
    case VertexKind::Saas:
        return policy.saas.at(x.index).name;
    }
    return policy.zones.at(x.index).name;
}

std::optional<model::Level> PolicyGraph::level(uint32_t v, const model::Policy& policy) const {
    const Vertex& x = vertices.at(v);
    if (x.zone == kNone)
        return std::nullopt;
    return policy.zones.at(x.zone).level;
}

std::vector<uint32_t> PolicyGraph::cover(const model::Endpoint& e, bool narrowed) const {
    std::vector<uint32_t> out;
    out.push_back(vertexOf(e));
    if (e.kind == model::Endpoint::Kind::Zone && !narrowed)
        out.insert(out.end(), zoneGroups[e.index].begin(), zoneGroups[e.index].end());
    return out;
}

std::vector<uint32_t> PolicyGraph::cover(const std::vector<model::Endpoint>& es,
                                         bool narrowed) const {
    std::vector<uint32_t> out;
    for (const auto& e : es) {
        auto c = cover(e, narrowed);
        out.insert(out.end(), c.begin(), c.end());
    }
    sortUnique(out);
    return out;
}

std::optional<uint32_t> PolicyGraph::findEdge(uint32_t u, uint32_t v) const {
    if (u >= vertexCount())
        return std::nullopt;
    auto first = edges.begin() + edgeStart[u];
    auto last = edges.begin() + edgeStart[u + 1];
    auto it = std::lower_bound(first, last, v, [](const Edge& e, uint32_t x) { return e.dst < x; });
    if (it == last || it->dst != v)
        return std::nullopt;
    return static_cast<uint32_t>(it - edges.begin());
}

SpaceTable::Id PolicyGraph::allowedAt(uint32_t u, uint32_t v) const {
    auto e = findEdge(u, v);
    return e ? edges[*e].allowed : SpaceTable::kEmpty;
}

bool PolicyGraph::covers(uint32_t rule, uint32_t u, uint32_t v) const {
    return contains(ruleFrom[rule], u) && contains(ruleTo[rule], v);
}

std::vector<uint32_t> PolicyGraph::deniesAt(uint32_t u, uint32_t v) const {
    std::vector<uint32_t> out;
    for (uint32_t r : denyRules)
        if (covers(r, u, v))
            out.push_back(r);
    return out;
}

std::vector<uint32_t> PolicyGraph::allowsAt(uint32_t u, uint32_t v) const {
    std::vector<uint32_t> out;
    for (uint32_t r = 0; r < ruleFrom.size(); ++r)
        if (ruleActive[r] && covers(r, u, v))
            out.push_back(r);
    return out;
}

PolicyGraph PolicyGraph::build(
    const model::Policy& policy, model::Date asOf, bool applyWaivers,
    const std::function<void(std::string_view step, size_t done, size_t total)>& progress) {
    PolicyGraph g;

    // Vertices.
    const size_t nz = policy.zones.size(), ng = policy.groups.size(), ns = policy.saas.size();
    g.vertices.reserve(nz + ng + ns);
    g.zoneGroups.assign(nz, {});
    for (uint32_t i = 0; i < nz; ++i) {
        g.zoneVertex.push_back(static_cast<uint32_t>(g.vertices.size()));
        g.vertices.push_back({VertexKind::Zone, i, i});
    }
    for (uint32_t i = 0; i < ng; ++i) {
        uint32_t v = static_cast<uint32_t>(g.vertices.size());
        g.groupVertex.push_back(v);
        g.vertices.push_back({VertexKind::Group, i, policy.groups[i].zone});
        if (policy.groups[i].zone < nz)
            g.zoneGroups[policy.groups[i].zone].push_back(v);
    }
    for (uint32_t i = 0; i < ns; ++i) {
        g.saasVertex.push_back(static_cast<uint32_t>(g.vertices.size()));
        g.vertices.push_back({VertexKind::Saas, i, kNone});
    }
    const size_t nv = g.vertices.size();

    // Service spaces.
    g.serviceSpace.reserve(policy.services.size());
    for (const auto& s : policy.services)
        g.serviceSpace.push_back(g.spaces.intern(ServiceSpace::of(s)));

    // Rules: covers, spaces, activity.
    const size_t nr = policy.rules.size();
    g.ruleFrom.resize(nr);
    g.ruleTo.resize(nr);
    g.ruleSpace.assign(nr, SpaceTable::kEmpty);
    g.rulePivotSpace.assign(nr, SpaceTable::kEmpty);
    g.ruleActive.assign(nr, 0);
    g.ruleAlive.assign(nr, 0);
    g.ruleEdge.assign(nr, kNone);
    g.rulePairs.assign(nr, 0);
    g.isDeny.assign(nr, 0);
    std::vector<uint32_t> allowRules, denyRules;
    std::vector<SpaceTable::Id> spaceIds, pivotIds;
    for (uint32_t r = 0; r < nr; ++r) {
        const model::Rule& rule = policy.rules[r];
        g.ruleFrom[r] = g.cover(rule.from, rule.identity.has_value());
        g.ruleTo[r] = g.cover(rule.to);
        if (rule.serviceAny) {
            g.ruleSpace[r] = g.rulePivotSpace[r] = g.spaces.all();
        } else {
            // One merge per rule: a chain of pairwise unions would intern
            // every partial union (a rule of 30,000 inline ports: gigabytes).
            spaceIds.clear();
            pivotIds.clear();
            for (uint32_t s : rule.services) {
                if (s >= g.serviceSpace.size())
                    continue;
                spaceIds.push_back(g.serviceSpace[s]);
                if (!policy.services[s].noPivot)
                    pivotIds.push_back(g.serviceSpace[s]);
            }
            g.ruleSpace[r] = g.spaces.uniteAll(spaceIds);
            g.rulePivotSpace[r] = g.spaces.uniteAll(pivotIds);
        }
        switch (rule.kind) {
        case model::RuleKind::Deny:
            g.isDeny[r] = 1;
            denyRules.push_back(r);
            break;
        case model::RuleKind::Access:
            g.ruleActive[r] = 1;
            allowRules.push_back(r);
            break;
        case model::RuleKind::Exception:
            if (model::inForce(rule, asOf)) {
                g.ruleActive[r] = 1;
                allowRules.push_back(r);
            } else {
                g.dormantExceptions.push_back(r);
            }
            break;
        }
    }

    g.denyRules = denyRules;

    // Deny index: per source vertex, the denies to every vertex (folded into
    // one space) and the others (checked per destination).
    std::vector<SpaceTable::Id> denyEverywhere(nv, SpaceTable::kEmpty);
    SourceIndex denyIndex;
    {
        std::vector<uint32_t> partial;
        std::vector<const std::vector<uint32_t>*> froms;
        std::vector<std::vector<SpaceTable::Id>> everywhere(nv);
        for (uint32_t d : denyRules) {
            if (g.ruleTo[d].size() == nv) {
                for (uint32_t u : g.ruleFrom[d])
                    everywhere[u].push_back(g.ruleSpace[d]);
            } else {
                partial.push_back(d);
                froms.push_back(&g.ruleFrom[d]);
            }
        }
        for (size_t u = 0; u < nv; ++u)
            if (!everywhere[u].empty())
                denyEverywhere[u] = g.spaces.uniteAll(everywhere[u]);
        denyIndex.build(nv, partial, froms);
    }

    // Waivers.
    g.waivers.resize(policy.waivers.size());
    SourceIndex waiverIndex;
    {
        std::vector<uint32_t> live;
        std::vector<const std::vector<uint32_t>*> froms;
        for (uint32_t w = 0; w < policy.waivers.size(); ++w) {
            const model::Waiver& src = policy.waivers[w];
            WaiverInfo& info = g.waivers[w];
            info.live = asOf <= src.until;
            info.from = g.cover(src.from);
            info.to = g.cover(src.to);
            if (src.serviceAny) {
                info.space = g.spaces.all();
            } else {
                spaceIds.clear();
                for (uint32_t s : src.services)
                    if (s < g.serviceSpace.size())
                        spaceIds.push_back(g.serviceSpace[s]);
                info.space = g.spaces.uniteAll(spaceIds);
            }
            if (info.live) {
                live.push_back(w);
                froms.push_back(&info.from);
            }
        }
        waiverIndex.build(nv, live, froms);
    }

    // Candidate pairs, bucketed by source vertex: (destination, rule).
    std::vector<uint32_t> bucketStart(nv + 1, 0);
    for (uint32_t r : allowRules) {
        const auto& to = g.ruleTo[r];
        for (uint32_t u : g.ruleFrom[r])
            bucketStart[u + 1] += static_cast<uint32_t>(to.size() - (contains(to, u) ? 1 : 0));
    }
    for (uint32_t z = 0; z < nz; ++z) {
        if (policy.zones[z].isolated)
            continue;
        for (uint32_t gv : g.zoneGroups[z]) {
            ++bucketStart[gv + 1];
            ++bucketStart[g.zoneVertex[z] + 1];
        }
    }
    for (size_t v = 0; v < nv; ++v)
        bucketStart[v + 1] += bucketStart[v];
    std::vector<std::pair<uint32_t, uint32_t>> cand(bucketStart.back());
    {
        std::vector<uint32_t> fill(bucketStart.begin(), bucketStart.end() - 1);
        for (uint32_t r : allowRules)
            for (uint32_t u : g.ruleFrom[r])
                for (uint32_t v : g.ruleTo[r])
                    if (v != u)
                        cand[fill[u]++] = {v, r};
        for (uint32_t z = 0; z < nz; ++z) {
            if (policy.zones[z].isolated)
                continue;
            uint32_t zv = g.zoneVertex[z];
            for (uint32_t gv : g.zoneGroups[z]) {
                cand[fill[gv]++] = {zv, kIntraRule};
                cand[fill[zv]++] = {gv, kIntraRule};
            }
        }
    }
    for (uint32_t r = 0; r < nr; ++r) {
        const auto& from = g.ruleFrom[r];
        const auto& to = g.ruleTo[r];
        g.rulePairs[r] = !from.empty() && !to.empty() &&
                         !(from.size() == 1 && to.size() == 1 && from[0] == to[0]);
    }

    // Edges.
    g.edgeStart.assign(nv + 1, 0);
    g.edges.reserve(cand.size());
    g.edgeRules.reserve(cand.size());
    SpaceTable& sp = g.spaces;
    std::vector<uint32_t> rules;
    std::vector<SpaceTable::Id> ruleSpaces;
    for (uint32_t u = 0; u < nv; ++u) {
        if (progress && u % 64 == 0)
            progress("graph", u, nv);
        g.edgeStart[u] = static_cast<uint32_t>(g.edges.size());
        auto first = cand.begin() + bucketStart[u];
        auto last = cand.begin() + bucketStart[u + 1];
        std::sort(first, last);
        const uint32_t* dBegin = denyIndex.items.data() + denyIndex.start[u];
        const uint32_t* dEnd = denyIndex.items.data() + denyIndex.start[u + 1];
        const uint32_t* wBegin = waiverIndex.items.data() + waiverIndex.start[u];
        const uint32_t* wEnd = waiverIndex.items.data() + waiverIndex.start[u + 1];
        for (auto it = first; it != last;) {
            const uint32_t v = it->first;
            bool intra = false;
            rules.clear();
            ruleSpaces.clear();
            for (; it != last && it->first == v; ++it) {
                if (it->second == kIntraRule) {
                    intra = true;
                    continue;
                }
                if (!rules.empty() && rules.back() == it->second)
                    continue;
                rules.push_back(it->second);
                ruleSpaces.push_back(g.ruleSpace[it->second]);
            }
            // One merge per edge: a chain of pairwise unions would intern every
            // partial union, quadratic on an edge with thousands of rules.
            const SpaceTable::Id allow = sp.uniteAll(ruleSpaces);
            spaceIds.clear();
            spaceIds.push_back(denyEverywhere[u]);
            for (const uint32_t* d = dBegin; d != dEnd; ++d)
                if (contains(g.ruleTo[*d], v))
                    spaceIds.push_back(g.ruleSpace[*d]);
            const SpaceTable::Id deny = sp.uniteAll(spaceIds);
            const SpaceTable::Id allowed = sp.subtract(allow, deny);
            if (allowed == SpaceTable::kEmpty && !intra)
                continue;

            SpaceTable::Id waived = SpaceTable::kEmpty;
            if (allowed != SpaceTable::kEmpty) {
                spaceIds.clear();
                for (const uint32_t* w = wBegin; w != wEnd; ++w) {
                    WaiverInfo& info = g.waivers[*w];
                    if (!contains(info.to, v))
                        continue;
                    if (applyWaivers)
                        spaceIds.push_back(info.space);
                    if (!info.matched && sp.intersects(allowed, info.space))
                        info.matched = true;
                }
                waived = sp.uniteAll(spaceIds);
            }

            Edge e;
            e.src = u;
            e.dst = v;
            e.allowed = allowed;
            e.intra = intra;
            e.rulesBegin = static_cast<uint32_t>(g.edgeRules.size());
            e.waived = waived != SpaceTable::kEmpty && sp.intersects(allowed, waived);
            for (uint32_t r : rules) {
                const SpaceTable::Id mine = deny == SpaceTable::kEmpty
                                                ? g.ruleSpace[r]
                                                : sp.intersect(g.ruleSpace[r], allowed);
                if (mine == SpaceTable::kEmpty)
                    continue; // every service of this rule is denied here
                if (!g.ruleAlive[r]) {
                    g.ruleAlive[r] = 1;
                    g.ruleEdge[r] = static_cast<uint32_t>(g.edges.size());
                }
                const SpaceTable::Id pivot = sp.intersect(g.rulePivotSpace[r], allowed);
                uint8_t flags = 0;
                if (waived == SpaceTable::kEmpty) {
                    flags = kRuleFlow | (pivot != SpaceTable::kEmpty ? kRuleMove : 0);
                } else {
                    if (sp.subtract(mine, waived) != SpaceTable::kEmpty)
                        flags |= kRuleFlow;
                    if (sp.subtract(pivot, waived) != SpaceTable::kEmpty)
                        flags |= kRuleMove;
                }
                e.movement = e.movement || (flags & kRuleMove);
                e.flow = e.flow || (flags & kRuleFlow);
                g.edgeRules.push_back({r, flags});
            }
            e.rulesEnd = static_cast<uint32_t>(g.edgeRules.size());
            if (intra) {
                e.movement = e.flow = true;
                ++g.intraEdges;
            }
            g.movementEdges += e.movement;
            g.flowEdges += e.flow;
            g.edges.push_back(e);
        }
    }
    g.edgeStart[nv] = static_cast<uint32_t>(g.edges.size());
    std::vector<std::pair<uint32_t, uint32_t>>().swap(cand);

    // Adjacency of the movement and flow graphs, both directions.
    auto build = [&](bool Edge::*flag, Adjacency& fwd, Adjacency& rev) {
        std::vector<std::pair<uint32_t, uint32_t>> pairs;
        std::vector<uint32_t> ids;
        const size_t count = flag == &Edge::movement ? g.movementEdges : g.flowEdges;
        pairs.reserve(count); // no doubling: on a full mesh these are hundreds of MB
        ids.reserve(count);
        for (uint32_t i = 0; i < g.edges.size(); ++i)
            if (g.edges[i].*flag) {
                pairs.emplace_back(g.edges[i].src, g.edges[i].dst);
                ids.push_back(i);
            }
        fwd = makeAdjacency(nv, pairs, ids);
        pairs.clear();
        ids.clear();
        // Reverse: bucket by destination, keeping source order inside.
        std::vector<uint32_t> start(nv + 1, 0);
        for (const Edge& e : g.edges)
            if (e.*flag)
                ++start[e.dst + 1];
        for (size_t v = 0; v < nv; ++v)
            start[v + 1] += start[v];
        pairs.resize(start.back());
        ids.resize(start.back());
        for (uint32_t i = 0; i < g.edges.size(); ++i) {
            const Edge& e = g.edges[i];
            if (!(e.*flag))
                continue;
            uint32_t at = start[e.dst]++;
            pairs[at] = {e.dst, e.src};
            ids[at] = i;
        }
        rev = makeAdjacency(nv, pairs, ids);
    };
    build(&Edge::movement, g.moveFwd, g.moveRev);
    build(&Edge::flow, g.flowFwd, g.flowRev);
    return g;
}

} // namespace netsep::analysis
