#pragma once
#include "analysis/PolicyGraph.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "model/Date.hpp"
#include "model/Policy.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::analysis {

// Diagnostic codes of the analyses (stable; see docs/analysis.md).
namespace codes {
inline constexpr const char* kLateral = "LAT-001";       // error
inline constexpr const char* kExfil = "EXF-001";         // error
inline constexpr const char* kExpectAllow = "EXP-001";   // error
inline constexpr const char* kExpectDeny = "EXP-002";    // error
inline constexpr const char* kExpectNoPath = "EXP-003";  // error
inline constexpr const char* kDeadRule = "ANO-001";      // warning
inline constexpr const char* kRedundant = "ANO-002";     // warning
inline constexpr const char* kWaiverUnused = "WAI-001";  // warning
inline constexpr const char* kWaiverExpired = "WAI-002"; // warning
} // namespace codes

// A group of findings (FindingGroup) with at most this many members is
// reported one finding per path set; a larger one as one finding.
inline constexpr size_t kFindingsListedPerGroup = 3;

// Said wherever the analysis suggests `isolated`: it is an assumption about
// the network that no emitted rule enforces.
inline constexpr const char* kIsolatedCaveat =
    "only if the network keeps its hosts apart: netsep emits no rule for traffic inside a zone";

struct Options {
    model::Date asOf;
    unsigned k = 3; // paths listed per finding: the witness and up to k-1 alternatives
    // `netsep paths --from/--to`: zone, group or saas endpoint names. With
    // `from`, the paths start there whether or not it is exposed; with `to`,
    // they end there whether or not it is a target. Diagnostics from a
    // filtered result are not the full check.
    std::optional<std::string> from, to;
    // Alternatives (Yen) are computed for the first this many path sets of
    // each kind; later ones keep their witness path and count only.
    size_t maxAlternativeSets = 1000;
    // Findings are grouped per source and class of target (FindingGroup).
    // Path sets (with their witness paths) are built for at most this many
    // nearest targets of each group; the rest are only counted. `netsep
    // check` needs a few per group, `netsep paths` lists them all.
    size_t pathSetsPerGroup = SIZE_MAX;
    bool exfiltration = true;
    bool minimumCut = true;
    // false: live waivers remove nothing (PolicyGraph::build), so the paths
    // they hide are found too (`paths --include-waived`).
    bool applyWaivers = true;
    // Called as the long steps advance (done of total), for a progress line.
    std::function<void(std::string_view step, size_t done, size_t total)> progress;
};

// A source or destination of path findings: one endpoint and the graph
// vertices it stands for (a target zone includes its groups).
struct Unit {
    model::Endpoint endpoint;
    std::vector<uint32_t> vertices;
    std::vector<std::string> reasons; // "kind internet", "holds exception x", "crown-jewel"
    std::vector<uint32_t> exceptions; // exception rules that make it exposed
};

struct HopRule {
    uint32_t rule = 0;
    std::vector<uint32_t> services; // the rule's services that make the hop
    bool anyService = false;        // the rule says `service any`
};

struct Hop {
    uint32_t from = 0, to = 0; // vertices
    uint32_t edge = 0;
    bool intraZone = false;
    std::vector<HopRule> rules; // allowing rules, in rule order
};

struct Path {
    uint32_t start = 0; // vertex
    std::vector<Hop> hops;
    std::vector<uint32_t> vertices() const;
};

struct CutItem {
    enum class Kind : uint8_t { Rule, Isolate } kind = Kind::Rule;
    uint32_t index = 0; // rule index, or zone index to declare isolated
    friend auto operator<=>(const CutItem&, const CutItem&) = default;
};

struct PathSet {
    uint32_t from = 0,
             to = 0;     // unit indices (lateral: exposed/targets; exfil: targets/destinations)
    uint32_t length = 0; // hops of the shortest path
    uint64_t shortestPaths = 0;       // number of distinct shortest paths
    bool countSaturated = false;      // the count overflowed 2^64-1
    std::vector<Path> paths;          // [0] the witness, then alternatives by length
    bool alternativesSkipped = false; // over Options::maxAlternativeSets
    std::vector<CutItem> fix;         // minimum-cut items on the witness path
    // Set on a result computed with Options::applyWaivers false: the finding
    // disappears when live waivers apply (review::findWaived), and these
    // waivers cover hops of its witness path.
    bool waived = false;
    std::vector<uint32_t> waivedBy = {};
    // A --from/--to query may start outside the exposed sources or end
    // outside the targets: such a path answers the query but is no finding.
    bool finding = true;
};

// The findings of one source against one class of target: for lateral
// movement, an exposed unit and the target zones that share one set of
// reasons ("crown-jewel, level classified"); for exfiltration, a target zone
// and the sinks of one kind ("kind internet"). One diagnostic per group
// keeps `check` bounded by the number of sources, not sources x targets.
struct FindingGroup {
    uint32_t from = 0;          // unit index (exposed, or exfiltration source)
    std::string toClass;        // the reasons its targets (sinks) share
    size_t count = 0;           // target (sink) units of the class it reaches
    std::vector<uint32_t> sets; // indices into lateral / exfiltration, nearest first
};

struct BlastRadius {
    uint32_t source = 0;             // exposed unit
    std::vector<uint32_t> reachable; // vertices, ascending, excluding the source itself
    size_t open = 0, sensitive = 0, classified = 0, unleveled = 0;
};

struct Cut {
    std::vector<CutItem> lateral;      // cuts every lateral-movement path set
    std::vector<CutItem> exfiltration; // cuts every exfiltration path set
    // Exposed units that are themselves inside a target: no rule removal helps.
    std::vector<uint32_t> uncuttable;
};

struct Anomaly {
    enum class Kind : uint8_t { Dead, Redundant } kind = Kind::Dead;
    uint32_t rule = 0;
    std::vector<uint32_t> by; // the deny rules (dead) or the covering allow (redundant)
};

struct ExpectationResult {
    uint32_t index = 0;
    bool passed = true;
    std::string detail;          // why it failed
    std::vector<uint32_t> rules; // the rules that break it
    std::optional<Path> path;    // no-path: the offending path
};

struct WaiverResult {
    uint32_t index = 0;
    bool live = false;
    bool matched = false;
};

struct Summary {
    size_t vertices = 0, edges = 0, movementEdges = 0, flowEdges = 0, intraEdges = 0;
};

// Wall-clock milliseconds per phase (for --verbose and the benchmark).
struct Timings {
    double graph = 0, lateral = 0, exfiltration = 0, cut = 0, anomalies = 0, expectations = 0;
};

struct Result {
    std::shared_ptr<const PolicyGraph> graph;
    model::Date asOf;
    unsigned k = 3;
    bool filtered = false;               // from or to given
    std::optional<std::string> from, to; // Options::from/to
    std::string error;                   // bad --from/--to name; nothing else is filled in

    Summary summary;
    std::vector<Unit> exposed;         // lateral-movement sources (or --from)
    std::vector<Unit> targets;         // lateral-movement targets (or --to)
    std::vector<Unit> exfilSources;    // target zones (data holders)
    std::vector<Unit> exfilSinks;      // internet/saas zones and saas endpoints
    std::vector<PathSet> lateral;      // by source, then target
    std::vector<PathSet> exfiltration; // by source, then sink
    std::vector<FindingGroup> lateralGroups;
    std::vector<FindingGroup> exfiltrationGroups;
    std::vector<BlastRadius> blast; // per exposed unit
    Cut cut;
    std::vector<Anomaly> anomalies;
    std::vector<ExpectationResult> expectations;
    std::vector<WaiverResult> waivers;
    Timings timings;
};

// A zone, group or saas endpoint by name (zones first).
std::optional<model::Endpoint> findEndpoint(const model::Policy& policy, const std::string& name);

Result analyze(const model::Policy& policy, const Options& options);

// Findings, failed expectations, anomalies and waiver problems become
// diagnostics located at the policy statements, with the path hops as notes.
void report(const Result& result, const model::Policy& policy, DiagnosticEngine& diags);

// Shared text helpers (also used by the renderers).
std::string unitName(const Result& result, const model::Policy& policy, const Unit& unit);
// "web (web-in, https)": the hop's destination and what allows it.
std::string hopText(const Result& result, const model::Policy& policy, const Hop& hop);
// "internet → web (web-in, https) → app (web-app, https)"
std::string pathText(const Result& result, const model::Policy& policy, const Path& path);
// "remove or narrow rule soc-triage" / "declare zone secops isolated"
std::string cutItemText(const model::Policy& policy, const CutItem& item);

} // namespace netsep::analysis
