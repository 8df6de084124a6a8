#include "audit/GraphPathOracle.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/visitors.hpp>
#include <boost/pending/queue.hpp>

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
    // The analysis's own forward adjacency (movement or flow), filtered to
    // the usable edges, searched with Boost's multi-source BFS; predecessors
    // give the path. A view, not a copy: on a full mesh of thousands of
    // zones a copy per edge kind cost hundreds of MB.
    const analysis::Adjacency& adj = edges == Edges::Movement ? g_.moveFwd : g_.flowFwd;
    auto usable = [this, &adj, edges](analysis::Csr::edge_descriptor e) {
        return edges != Edges::FlowWithoutExceptions ||
               edgeUsable(g_.edges[adj.edge[boost::get(boost::edge_index, adj.g, e)]], edges);
    };
    boost::filtered_graph<analysis::Csr, std::function<bool(analysis::Csr::edge_descriptor)>> graph(
        adj.g, usable);
    const size_t n = g_.vertexCount();
    std::vector<size_t> pred(n, SIZE_MAX);
    std::vector<size_t> dist(n, SIZE_MAX);
    for (uint32_t s : from) {
        pred[s] = s;
        dist[s] = 0;
    }
    std::vector<boost::default_color_type> color(n, boost::white_color);
    boost::queue<analysis::Csr::vertex_descriptor> queue;
    boost::breadth_first_search(
        graph, from.begin(), from.end(), queue,
        boost::make_bfs_visitor(
            std::make_pair(boost::record_predecessors(pred.data(), boost::on_tree_edge()),
                           boost::record_distances(dist.data(), boost::on_tree_edge()))),
        boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, graph)));
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
    for (size_t v = best;; v = pred[v]) {
        path.push_back(v);
        if (pred[v] == v)
            break;
    }
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
