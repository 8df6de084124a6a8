#include "analysis/Search.hpp"

#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/property_map/property_map.hpp>
#include <boost/range/iterator_range.hpp>

#include <algorithm>
#include <limits>
#include <set>

namespace netsep::analysis::detail {

namespace {

template <class F> inline void forEachOut(const Adjacency& adj, uint32_t u, F&& f) {
    auto [it, end] = boost::out_edges(u, adj.g);
    for (; it != end; ++it)
        f(static_cast<uint32_t>(boost::target(*it, adj.g)),
          static_cast<uint32_t>(boost::get(boost::edge_index, adj.g, *it)));
}

} // namespace

Bfs::Bfs(size_t n) : dist_(n, kNone), parent_(n, kNone), sigma_(n, 0), sat_(n, 0) {
    order_.reserve(n);
}

void Bfs::run(const Adjacency& adj, const std::vector<uint32_t>& sources, bool count) {
    for (uint32_t v : order_) {
        dist_[v] = kNone;
        parent_[v] = kNone;
        sigma_[v] = 0;
        sat_[v] = 0;
    }
    order_.clear();
    for (uint32_t s : sources) {
        if (dist_[s] != kNone)
            continue;
        dist_[s] = 0;
        sigma_[s] = 1;
        order_.push_back(s);
    }
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    for (size_t head = 0; head < order_.size(); ++head) {
        const uint32_t u = order_[head];
        const uint32_t next = dist_[u] + 1;
        forEachOut(adj, u, [&](uint32_t v, uint32_t) {
            if (dist_[v] == kNone) {
                dist_[v] = next;
                parent_[v] = u;
                order_.push_back(v);
                if (count) {
                    sigma_[v] = sigma_[u];
                    sat_[v] = sat_[u];
                }
            } else if (count && dist_[v] == next) {
                if (sigma_[v] > kMax - sigma_[u]) {
                    sigma_[v] = kMax;
                    sat_[v] = 1;
                } else {
                    sigma_[v] += sigma_[u];
                }
                sat_[v] |= sat_[u];
            }
        });
    }
}

std::vector<uint8_t> reach(const Adjacency& adj, const std::vector<uint32_t>& sources) {
    const size_t n = boost::num_vertices(adj.g);
    std::vector<uint8_t> seen(n, 0);
    std::vector<uint32_t> queue;
    for (uint32_t s : sources)
        if (!seen[s]) {
            seen[s] = 1;
            queue.push_back(s);
        }
    for (size_t head = 0; head < queue.size(); ++head)
        forEachOut(adj, queue[head], [&](uint32_t v, uint32_t) {
            if (!seen[v]) {
                seen[v] = 1;
                queue.push_back(v);
            }
        });
    return seen;
}

Yen::Yen(size_t n)
    : n_(n), banned_(n + 1, 0), fseen_(n + 1, 0), bseen_(n + 1, 0), fdist_(n + 1, 0),
      bdist_(n + 1, 0), fparent_(n + 1, kNone), bparent_(n + 1, kNone) {}

void Yen::nextStamp() {
    if (++stamp_ == 0) { // wrapped: clear every stamp
        std::fill(banned_.begin(), banned_.end(), 0);
        std::fill(fseen_.begin(), fseen_.end(), 0);
        std::fill(bseen_.begin(), bseen_.end(), 0);
        stamp_ = 1;
    }
}

bool Yen::spur(const Adjacency& fwd, const Adjacency& rev, const std::vector<uint32_t>& sources,
               const std::vector<uint32_t>& targets, uint32_t from,
               const std::vector<uint32_t>& bannedNext, std::vector<uint32_t>& out) {
    const uint32_t virt = static_cast<uint32_t>(n_);
    const uint32_t st = stamp_;
    auto isBannedNext = [&](uint32_t w) {
        return std::find(bannedNext.begin(), bannedNext.end(), w) != bannedNext.end();
    };
    ffront_.clear();
    bfront_.clear();
    fseen_[from] = st;
    fdist_[from] = 0;
    fparent_[from] = kNone;
    if (from == virt) {
        // The virtual source: its "out-edges" are the unit's sources.
        for (uint32_t s : sources) {
            if (banned_[s] == st || fseen_[s] == st || isBannedNext(s))
                continue;
            fseen_[s] = st;
            fdist_[s] = 1;
            fparent_[s] = virt;
            ffront_.push_back(s);
        }
    } else {
        ffront_.push_back(from);
    }
    for (uint32_t t : targets) {
        if (banned_[t] == st || bseen_[t] == st)
            continue;
        bseen_[t] = st;
        bdist_[t] = 0;
        bparent_[t] = kNone;
        bfront_.push_back(t);
    }
    uint32_t meet = kNone, best = kNone;
    auto candidate = [&](uint32_t v) {
        uint32_t total = fdist_[v] + bdist_[v];
        if (total < best || (total == best && v < meet)) {
            best = total;
            meet = v;
        }
    };
    // A source of the virtual start already seen from the targets' side.
    for (uint32_t v : ffront_)
        if (bseen_[v] == st)
            candidate(v);
    while (meet == kNone && !ffront_.empty() && !bfront_.empty()) {
        next_.clear();
        if (ffront_.size() <= bfront_.size()) {
            for (uint32_t u : ffront_) {
                if (bseen_[u] == st && bdist_[u] == 0)
                    continue; // a target: paths end there
                auto [it, end] = boost::out_edges(u, fwd.g);
                for (; it != end; ++it) {
                    const uint32_t w = static_cast<uint32_t>(boost::target(*it, fwd.g));
                    if (fseen_[w] == st || banned_[w] == st || (u == from && isBannedNext(w)))
                        continue;
                    fseen_[w] = st;
                    fdist_[w] = fdist_[u] + 1;
                    fparent_[w] = u;
                    if (bseen_[w] == st)
                        candidate(w);
                    next_.push_back(w);
                }
            }
            ffront_.swap(next_);
        } else {
            for (uint32_t w : bfront_) {
                auto [it, end] = boost::out_edges(w, rev.g);
                for (; it != end; ++it) {
                    const uint32_t x = static_cast<uint32_t>(boost::target(*it, rev.g));
                    if (bseen_[x] == st || banned_[x] == st || (x == from && isBannedNext(w)))
                        continue;
                    bseen_[x] = st;
                    bdist_[x] = bdist_[w] + 1;
                    bparent_[x] = w;
                    if (fseen_[x] == st)
                        candidate(x);
                    next_.push_back(x);
                }
            }
            bfront_.swap(next_);
        }
    }
    if (meet == kNone)
        return false;
    out.clear();
    for (uint32_t v = meet; v != from; v = fparent_[v])
        out.push_back(v);
    std::reverse(out.begin(), out.end());
    for (uint32_t v = bparent_[meet]; v != kNone; v = bparent_[v])
        out.push_back(v);
    return true;
}

std::vector<std::vector<uint32_t>> Yen::run(const Adjacency& fwd, const Adjacency& rev,
                                            const std::vector<uint32_t>& sources,
                                            const std::vector<uint32_t>& targets,
                                            std::vector<uint32_t> first, unsigned k) {
    using Seq = std::vector<uint32_t>;
    const uint32_t virt = static_cast<uint32_t>(n_);
    std::vector<Seq> found;
    first.insert(first.begin(), virt);
    found.push_back(std::move(first));
    auto shorter = [](const Seq& a, const Seq& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    };
    std::set<Seq, decltype(shorter)> candidates(shorter);
    Seq spurPath, bannedNext;
    while (found.size() < k) {
        const Seq prev = found.back();
        for (size_t j = 0; j + 1 < prev.size(); ++j) {
            bannedNext.clear();
            for (const Seq& p : found)
                if (p.size() > j + 1 && std::equal(p.begin(), p.begin() + j + 1, prev.begin()))
                    bannedNext.push_back(p[j + 1]);
            nextStamp();
            for (size_t i = 0; i < j; ++i)
                banned_[prev[i]] = stamp_;
            if (!spur(fwd, rev, sources, targets, prev[j], bannedNext, spurPath))
                continue;
            Seq total(prev.begin(), prev.begin() + j + 1);
            total.insert(total.end(), spurPath.begin(), spurPath.end());
            if (std::find(found.begin(), found.end(), total) == found.end())
                candidates.insert(std::move(total));
        }
        if (candidates.empty())
            break;
        found.push_back(*candidates.begin());
        candidates.erase(candidates.begin());
    }
    for (Seq& p : found)
        p.erase(p.begin());
    return found;
}

std::vector<CutItem> minimumCut(const PolicyGraph& g, const Adjacency& fwd, const Adjacency& rev,
                                const std::vector<uint32_t>& sources,
                                const std::vector<uint32_t>& sinksIn, uint8_t flag) {
    const size_t n = g.vertexCount();
    std::vector<uint8_t> isSource(n, 0);
    for (uint32_t s : sources)
        isSource[s] = 1;
    std::vector<uint32_t> sinks;
    for (uint32_t t : sinksIn)
        if (!isSource[t])
            sinks.push_back(t);
    if (sources.empty() || sinks.empty())
        return {};
    const std::vector<uint8_t> fromSources = reach(fwd, sources);
    const std::vector<uint8_t> toSinks = reach(rev, sinks);
    std::vector<uint32_t> node(n, kNone);
    uint32_t nodes = 2; // 0 = super-source, 1 = super-sink
    for (uint32_t v = 0; v < n; ++v)
        if (fromSources[v] && toSinks[v])
            node[v] = nodes++;
    bool linked = false;
    for (uint32_t t : sinks)
        linked = linked || node[t] != kNone;
    if (!linked)
        return {};

    struct Arc {
        uint32_t a, b;
        int64_t cap; // -1 = infinite, fixed below
    };
    std::vector<Arc> arcs;
    std::vector<uint32_t> ruleIn(g.ruleFrom.size(), kNone);
    std::vector<uint32_t> isoIn(g.zoneVertex.size(), kNone);
    std::vector<uint32_t> gadgetRules, gadgetZones;
    auto ruleNode = [&](uint32_t r) {
        if (ruleIn[r] == kNone) {
            ruleIn[r] = nodes;
            nodes += 2;
            gadgetRules.push_back(r);
        }
        return ruleIn[r];
    };
    auto isoNode = [&](uint32_t z) {
        if (isoIn[z] == kNone) {
            isoIn[z] = nodes;
            nodes += 2;
            gadgetZones.push_back(z);
        }
        return isoIn[z];
    };
    // Arcs into the gadgets, one per (vertex, gadget): walk the out-edges of
    // each vertex, remembering the last vertex seen per gadget.
    std::vector<uint32_t> lastRule(g.ruleFrom.size(), kNone), lastZone(g.zoneVertex.size(), kNone);
    for (uint32_t u = 0; u < n; ++u) {
        if (node[u] == kNone)
            continue;
        auto [it, end] = boost::out_edges(u, fwd.g);
        for (; it != end; ++it) {
            const uint32_t v = static_cast<uint32_t>(boost::target(*it, fwd.g));
            if (node[v] == kNone)
                continue;
            const Edge& e = g.edges[fwd.edge[boost::get(boost::edge_index, fwd.g, *it)]];
            if (e.intra) {
                const uint32_t z = g.vertices[u].zone;
                uint32_t in = isoNode(z);
                if (lastZone[z] != u) {
                    lastZone[z] = u;
                    arcs.push_back({node[u], in, -1});
                }
            }
            for (uint32_t i = e.rulesBegin; i < e.rulesEnd; ++i) {
                if (!(g.edgeRules[i].flags & flag))
                    continue;
                const uint32_t r = g.edgeRules[i].rule;
                uint32_t in = ruleNode(r);
                if (lastRule[r] != u) {
                    lastRule[r] = u;
                    arcs.push_back({node[u], in, -1});
                }
            }
        }
    }
    // Arcs out of the gadgets, one per (gadget, vertex): the same edges,
    // walked from their destinations.
    std::fill(lastRule.begin(), lastRule.end(), kNone);
    std::fill(lastZone.begin(), lastZone.end(), kNone);
    for (uint32_t v = 0; v < n; ++v) {
        if (node[v] == kNone)
            continue;
        auto [it, end] = boost::out_edges(v, rev.g);
        for (; it != end; ++it) {
            const uint32_t u = static_cast<uint32_t>(boost::target(*it, rev.g));
            if (node[u] == kNone)
                continue;
            const Edge& e = g.edges[rev.edge[boost::get(boost::edge_index, rev.g, *it)]];
            if (e.intra) {
                const uint32_t z = g.vertices[v].zone;
                if (lastZone[z] != v) {
                    lastZone[z] = v;
                    arcs.push_back({isoIn[z] + 1, node[v], -1});
                }
            }
            for (uint32_t i = e.rulesBegin; i < e.rulesEnd; ++i) {
                if (!(g.edgeRules[i].flags & flag))
                    continue;
                const uint32_t r = g.edgeRules[i].rule;
                if (lastRule[r] != v) {
                    lastRule[r] = v;
                    arcs.push_back({ruleIn[r] + 1, node[v], -1});
                }
            }
        }
    }
    const int64_t big = static_cast<int64_t>(gadgetRules.size()) + 1;
    const int64_t inf = static_cast<int64_t>(gadgetRules.size()) +
                        big * static_cast<int64_t>(gadgetZones.size()) + 1;
    for (uint32_t r : gadgetRules)
        arcs.push_back({ruleIn[r], ruleIn[r] + 1, 1});
    for (uint32_t z : gadgetZones)
        arcs.push_back({isoIn[z], isoIn[z] + 1, big});
    for (uint32_t s : sources)
        if (node[s] != kNone)
            arcs.push_back({0, node[s], -1});
    for (uint32_t t : sinks)
        if (node[t] != kNone)
            arcs.push_back({node[t], 1, -1});
    for (Arc& a : arcs)
        if (a.cap < 0)
            a.cap = inf;

    // Forward and reverse arcs, bucketed by source node for the CSR (a
    // counting sort: arc 2i is arcs[i], arc 2i+1 its reverse).
    const size_t m = arcs.size() * 2;
    auto from = [&](uint32_t i) { return (i & 1) ? arcs[i >> 1].b : arcs[i >> 1].a; };
    auto to = [&](uint32_t i) { return (i & 1) ? arcs[i >> 1].a : arcs[i >> 1].b; };
    std::vector<uint32_t> start(nodes + 1, 0);
    for (uint32_t i = 0; i < m; ++i)
        ++start[from(i) + 1];
    for (uint32_t v = 0; v < nodes; ++v)
        start[v + 1] += start[v];
    std::vector<uint32_t> order(m), rank(m);
    for (uint32_t i = 0; i < m; ++i) {
        rank[i] = start[from(i)]++;
        order[rank[i]] = i;
    }
    std::vector<std::pair<uint32_t, uint32_t>> pairs(m);
    for (uint32_t i = 0; i < m; ++i)
        pairs[i] = {from(order[i]), to(order[i])};
    Csr flowGraph(boost::edges_are_sorted, pairs.begin(), pairs.end(), nodes);
    using ED = boost::graph_traits<Csr>::edge_descriptor;
    std::vector<int64_t> cap(m, 0), res(m, 0);
    std::vector<ED> byIndex(m), reverse(m);
    for (auto e : boost::make_iterator_range(boost::edges(flowGraph)))
        byIndex[boost::get(boost::edge_index, flowGraph, e)] = e;
    for (uint32_t i = 0; i < m; ++i) {
        const uint32_t original = order[i];
        cap[i] = (original & 1) ? 0 : arcs[original >> 1].cap;
        reverse[i] = byIndex[rank[original ^ 1u]];
    }
    auto eidx = boost::get(boost::edge_index, flowGraph);
    boost::boykov_kolmogorov_max_flow(flowGraph,
                                      boost::make_iterator_property_map(cap.begin(), eidx),
                                      boost::make_iterator_property_map(res.begin(), eidx),
                                      boost::make_iterator_property_map(reverse.begin(), eidx),
                                      boost::get(boost::vertex_index, flowGraph), 0u, 1u);

    // Sink side of the cut: nodes that still reach the super-sink in the
    // residual graph. Of all minimum cuts this picks the one nearest the
    // targets (the hop into the crown jewel rather than the front door),
    // which is the more specific rule to narrow.
    std::vector<uint8_t> sinkSide(nodes, 0);
    {
        // Residual arc x -> y exists when res(x -> y) > 0; walk them backwards.
        std::vector<uint32_t> rstart(nodes + 1, 0), rfrom(m);
        for (uint32_t i = 0; i < m; ++i)
            ++rstart[pairs[i].second + 1];
        for (uint32_t v = 0; v < nodes; ++v)
            rstart[v + 1] += rstart[v];
        std::vector<uint32_t> fill(rstart.begin(), rstart.end() - 1);
        for (uint32_t i = 0; i < m; ++i)
            rfrom[fill[pairs[i].second]++] = i;
        std::vector<uint32_t> queue{1};
        sinkSide[1] = 1;
        for (size_t head = 0; head < queue.size(); ++head) {
            const uint32_t y = queue[head];
            for (uint32_t k = rstart[y]; k < rstart[y + 1]; ++k) {
                const uint32_t i = rfrom[k];
                const uint32_t x = pairs[i].first;
                if (!sinkSide[x] && res[i] > 0) {
                    sinkSide[x] = 1;
                    queue.push_back(x);
                }
            }
        }
    }
    std::vector<CutItem> cut;
    for (uint32_t r : gadgetRules)
        if (!sinkSide[ruleIn[r]] && sinkSide[ruleIn[r] + 1])
            cut.push_back({CutItem::Kind::Rule, r});
    for (uint32_t z : gadgetZones)
        if (!sinkSide[isoIn[z]] && sinkSide[isoIn[z] + 1])
            cut.push_back({CutItem::Kind::Isolate, z});
    std::sort(cut.begin(), cut.end());
    return cut;
}

} // namespace netsep::analysis::detail
