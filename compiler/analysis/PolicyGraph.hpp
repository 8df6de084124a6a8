#pragma once
#include "analysis/ServiceSpace.hpp"
#include "model/Date.hpp"
#include "model/Policy.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::analysis {

inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

enum class VertexKind : uint8_t { Zone, Group, Saas };

// A vertex is a zone (its hosts outside every named group), a group, or a
// saas endpoint. Vertex ids: zones first, then groups, then saas endpoints,
// each in source order.
struct Vertex {
    VertexKind kind = VertexKind::Zone;
    uint32_t index = 0;    // into Policy::zones / groups / saas
    uint32_t zone = kNone; // the zone it sits in; kNone for a saas endpoint
};

// Per allowing rule on an edge.
enum EdgeRuleFlag : uint8_t {
    kRuleMove = 1, // gives the edge an unwaived pivot service (lateral movement)
    kRuleFlow = 2, // gives the edge an unwaived service (data flow, exfiltration)
};

struct EdgeRule {
    uint32_t rule = 0;
    uint8_t flags = 0;
};

// An allowed flow between two vertices, after deny-overrides, plus the
// intra-zone join of a group and the rest of its zone.
struct Edge {
    uint32_t src = 0, dst = 0;
    SpaceTable::Id allowed = SpaceTable::kEmpty; // services after denies; empty if intra only
    uint32_t rulesBegin = 0, rulesEnd = 0;       // PolicyGraph::edgeRules: contributing allows
    bool intra = false;    // group <-> rest of its zone (the zone is not isolated)
    bool movement = false; // a lateral-movement step (pivot service, not waived)
    bool flow = false;     // data can move along it (not fully waived)
    bool waived = false;   // a live waiver covers some of its services
};

using Csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, uint32_t, uint32_t>;

// One edge subset in one direction. CSR edge index i stands for
// PolicyGraph::edges[edge[i]]; out-edges of a vertex are sorted by the
// other end, so every traversal is deterministic.
struct Adjacency {
    Csr g;
    std::vector<uint32_t> edge;
};

// The policy graph of docs/analysis.md for one as-of date.
class PolicyGraph {
public:
    // With applyWaivers false, live waivers are still evaluated (live,
    // matched) but remove nothing: the graph a waiver-free policy would have
    // (`paths --include-waived`, waived findings). `progress`, when given, is
    // told how many vertices' edges are built.
    static PolicyGraph build(
        const model::Policy& policy, model::Date asOf, bool applyWaivers = true,
        const std::function<void(std::string_view step, size_t done, size_t total)>& progress = {});

    size_t vertexCount() const { return vertices.size(); }
    uint32_t vertexOf(const model::Endpoint& e) const;
    const std::string& name(uint32_t v, const model::Policy& policy) const;
    // "zone", "group" or "saas endpoint".
    static const char* kindName(VertexKind k);
    // The zone's level for zones and groups; nullopt for saas endpoints.
    std::optional<model::Level> level(uint32_t v, const model::Policy& policy) const;

    // Vertices an endpoint stands for: a zone is its own vertex and those of
    // its groups (their addresses are part of the zone); with `narrowed` (a
    // source narrowed by `as IDENTITY`) only the zone vertex, since named
    // groups are machines, not the identity's users.
    std::vector<uint32_t> cover(const model::Endpoint& e, bool narrowed = false) const;
    std::vector<uint32_t> cover(const std::vector<model::Endpoint>& es,
                                bool narrowed = false) const;

    // The edge u -> v, if any.
    std::optional<uint32_t> findEdge(uint32_t u, uint32_t v) const;
    // Services allowed u -> v after denies (empty without an edge).
    SpaceTable::Id allowedAt(uint32_t u, uint32_t v) const;
    // Deny rules covering the pair, in rule order.
    std::vector<uint32_t> deniesAt(uint32_t u, uint32_t v) const;
    // Active allow rules covering the pair (in force), in rule order.
    std::vector<uint32_t> allowsAt(uint32_t u, uint32_t v) const;
    bool covers(uint32_t rule, uint32_t u, uint32_t v) const;

    std::vector<Vertex> vertices;
    std::vector<uint32_t> zoneVertex, groupVertex, saasVertex;
    std::vector<std::vector<uint32_t>> zoneGroups; // group vertices of each zone
    std::vector<Edge> edges;                       // sorted by (src, dst)
    std::vector<uint32_t> edgeStart;               // per vertex, into edges (size V+1)
    std::vector<EdgeRule> edgeRules;

    mutable SpaceTable spaces;
    std::vector<SpaceTable::Id> serviceSpace;            // per policy service
    std::vector<SpaceTable::Id> ruleSpace;               // per rule: union of its services
    std::vector<SpaceTable::Id> rulePivotSpace;          // per rule: union of its pivot services
    std::vector<std::vector<uint32_t>> ruleFrom, ruleTo; // covers, sorted
    std::vector<uint8_t> isDeny;                         // a deny rule
    std::vector<uint32_t> denyRules;                     // every deny rule, in rule order
    std::vector<uint32_t> dormantExceptions; // exceptions not in force on the as-of date
    std::vector<uint8_t> ruleActive;         // allow in force (access, or exception in force)
    std::vector<uint8_t> ruleAlive;          // allows something on some edge
    std::vector<uint32_t> ruleEdge;          // the first edge it allows something on (kNone)
    std::vector<uint8_t> rulePairs;          // covers at least one pair of distinct vertices

    struct WaiverInfo {
        bool live = false;
        bool matched = false; // covers some allowed flow (live waivers only)
        SpaceTable::Id space = SpaceTable::kEmpty;
        std::vector<uint32_t> from, to; // covers, sorted
    };
    std::vector<WaiverInfo> waivers;

    Adjacency moveFwd, moveRev; // lateral-movement graph and its reverse
    Adjacency flowFwd, flowRev; // data-flow graph (exfiltration) and its reverse

    size_t movementEdges = 0, flowEdges = 0, intraEdges = 0;
};

} // namespace netsep::analysis
