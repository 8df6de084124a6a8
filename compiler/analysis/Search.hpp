#pragma once
// Internal to the analysis: breadth-first search, shortest-path counting,
// Yen's k shortest simple paths, and the rule-level minimum cut.
#include "analysis/Analysis.hpp"
#include "analysis/PolicyGraph.hpp"

#include <cstdint>
#include <vector>

namespace netsep::analysis::detail {

// Multi-source BFS over one adjacency. Keeps its arrays between runs and
// resets only what the previous run touched, so many runs over a large
// graph cost O(reached), not O(V), each.
class Bfs {
public:
    explicit Bfs(size_t vertexCount);

    // count: also count shortest paths (saturating at 2^64-1).
    void run(const Adjacency& adj, const std::vector<uint32_t>& sources, bool count);

    bool reached(uint32_t v) const { return dist_[v] != kNone; }
    uint32_t dist(uint32_t v) const { return dist_[v]; }
    uint32_t parent(uint32_t v) const { return parent_[v]; } // kNone for a source
    uint64_t paths(uint32_t v) const { return sigma_[v]; }
    bool saturated(uint32_t v) const { return sat_[v] != 0; }
    const std::vector<uint32_t>& order() const { return order_; } // reached, in BFS order

private:
    std::vector<uint32_t> dist_, parent_;
    std::vector<uint64_t> sigma_;
    std::vector<uint8_t> sat_;
    std::vector<uint32_t> order_;
    std::vector<uint32_t> queue_;
};

// Reachability only, as a byte map (1 = reached).
std::vector<uint8_t> reach(const Adjacency& adj, const std::vector<uint32_t>& sources);

// Yen's algorithm for the k shortest simple paths from any vertex of
// `sources` to the nearest vertex of `targets`, starting from the
// already-known shortest path `first`. Paths are vertex sequences; each ends
// at the first target it meets. Each spur path is a bidirectional BFS (the
// smaller frontier expands first), so a spur that cannot reach the targets
// costs the smaller of the two searchable regions, not the whole graph.
class Yen {
public:
    explicit Yen(size_t vertexCount);
    std::vector<std::vector<uint32_t>> run(const Adjacency& fwd, const Adjacency& rev,
                                           const std::vector<uint32_t>& sources,
                                           const std::vector<uint32_t>& targets,
                                           std::vector<uint32_t> first, unsigned k);

private:
    bool spur(const Adjacency& fwd, const Adjacency& rev, const std::vector<uint32_t>& sources,
              const std::vector<uint32_t>& targets, uint32_t from,
              const std::vector<uint32_t>& bannedNext, std::vector<uint32_t>& out);
    void nextStamp();

    size_t n_;
    std::vector<uint32_t> banned_, fseen_, bseen_;
    std::vector<uint32_t> fdist_, bdist_, fparent_, bparent_;
    std::vector<uint32_t> ffront_, bfront_, next_;
    uint32_t stamp_ = 0;
};

// Rule-level minimum cut between `sources` and `sinks` over the edges of
// `fwd` (see docs/analysis.md): each rule is one node of capacity 1 joined
// to the endpoints of the edges it allows with `flag`; each zone's
// intra-zone join is one node whose capacity outweighs every rule.
std::vector<CutItem> minimumCut(const PolicyGraph& g, const Adjacency& fwd, const Adjacency& rev,
                                const std::vector<uint32_t>& sources,
                                const std::vector<uint32_t>& sinks, uint8_t flag);

} // namespace netsep::analysis::detail
