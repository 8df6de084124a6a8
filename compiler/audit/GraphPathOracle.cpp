#include "audit/GraphPathOracle.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

namespace netsep::audit {

using analysis::VertexKind;
using model::ZoneKind;

std::optional<ZoneKind> GraphPathOracle::zoneKind(uint32_t v) const {
    const auto& vx = g_.vertices[v];
    if (vx.kind == VertexKind::Saas)
        return ZoneKind::Saas;
    return p_.zones[vx.zone].kind;
}

bool GraphPathOracle::isTarget(uint32_t v) const {
    const auto& vx = g_.vertices[v];
    if (vx.kind == VertexKind::Saas)
        return false;
    const auto& z = p_.zones[vx.zone];
    return z.crownJewel || (z.level && *z.level == model::Level::Classified) ||
           (z.kind && *z.kind == ZoneKind::Datacenter);
}

bool GraphPathOracle::edgeUsable(const analysis::Edge& e, Edges edges) const {
    switch (edges) {
    case Edges::Movement:
        return e.movement;
    case Edges::Flow:
        return e.flow;
    case Edges::FlowWithoutExceptions:
        if (!e.flow)
            return false;
        if (e.intra)
            return true;
        for (uint32_t i = e.rulesBegin; i < e.rulesEnd; ++i) {
            const auto& er = g_.edgeRules[i];
            if ((er.flags & analysis::kRuleFlow) && !p_.rules[er.rule].exception)
                return true;
        }
        return false;
    }
    return false;
}

template <typename Pred>
std::string GraphPathOracle::shortest(const std::vector<uint32_t>& from, Pred target,
                                      Edges edges) const {
    // A small adjacency list of the usable edges plus a super source, searched
    // with Boost's BFS; predecessors give the witness path.
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    const size_t n = g_.vertexCount();
    G graph(n + 1);
    for (const auto& e : g_.edges)
        if (edgeUsable(e, edges))
            boost::add_edge(e.src, e.dst, graph);
    for (uint32_t s : from)
        boost::add_edge(n, s, graph);
    std::vector<size_t> pred(n + 1, SIZE_MAX);
    std::vector<size_t> dist(n + 1, SIZE_MAX);
    pred[n] = n;
    dist[n] = 0;
    boost::breadth_first_search(graph, boost::vertex(n, graph),
                                boost::visitor(boost::make_bfs_visitor(std::make_pair(
                                    boost::record_predecessors(pred.data(), boost::on_tree_edge()),
                                    boost::record_distances(dist.data(), boost::on_tree_edge())))));
    // The nearest target; ties go to the lowest vertex id (deterministic).
    size_t best = SIZE_MAX;
    for (size_t v = 0; v < n; ++v) {
        if (dist[v] == SIZE_MAX || !target(uint32_t(v)))
            continue;
        if (std::find(from.begin(), from.end(), uint32_t(v)) != from.end())
            continue; // a source that is itself a target is not a path
        if (best == SIZE_MAX || dist[v] < dist[best])
            best = v;
    }
    if (best == SIZE_MAX)
        return {};
    std::vector<size_t> path;
    for (size_t v = best; v != n; v = pred[v])
        path.push_back(v);
    std::string out;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        if (!out.empty())
            out += " \u2192 ";
        out += g_.name(uint32_t(*it), p_);
    }
    return out;
}

std::string GraphPathOracle::dataPathInto(const model::Endpoint& source) const {
    // Search backwards is the same as forwards from every sensitive vertex.
    std::vector<uint32_t> holders = g_.cover(source);
    std::vector<uint32_t> from;
    for (uint32_t v = 0; v < g_.vertexCount(); ++v) {
        const auto& vx = g_.vertices[v];
        if (vx.kind == VertexKind::Saas)
            continue;
        const auto& z = p_.zones[vx.zone];
        bool sensitive = (z.kind && *z.kind == ZoneKind::Datacenter) ||
                         (z.level && *z.level == model::Level::Classified);
        if (sensitive && std::find(holders.begin(), holders.end(), v) == holders.end())
            from.push_back(v);
    }
    return shortest(
        from,
        [&](uint32_t v) { return std::find(holders.begin(), holders.end(), v) != holders.end(); },
        Edges::Flow);
}

std::string GraphPathOracle::exfiltrationWithoutException(uint32_t zone) const {
    model::Endpoint e{model::Endpoint::Kind::Zone, zone};
    return shortest(
        g_.cover(e),
        [&](uint32_t v) {
            auto k = zoneKind(v);
            return k && (*k == ZoneKind::Internet || *k == ZoneKind::Saas);
        },
        Edges::FlowWithoutExceptions);
}

std::string GraphPathOracle::lateralFrom(const model::Endpoint& holder) const {
    return shortest(
        g_.cover(holder), [&](uint32_t v) { return isTarget(v); }, Edges::Movement);
}

std::string GraphPathOracle::pathIntoDatacenter(uint32_t zone) const {
    model::Endpoint e{model::Endpoint::Kind::Zone, zone};
    return shortest(
        g_.cover(e),
        [&](uint32_t v) {
            auto k = zoneKind(v);
            return k && *k == ZoneKind::Datacenter;
        },
        Edges::Flow);
}

} // namespace netsep::audit
