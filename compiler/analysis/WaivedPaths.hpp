#pragma once
#include "analysis/Analysis.hpp"

#include <memory>
#include <string>
#include <vector>

namespace netsep::analysis {

// Findings that live waivers hide: the lateral-movement and exfiltration
// path sets of an analysis with waivers set aside (Options::applyWaivers
// false) whose source/target pair has no finding when the waivers apply.
// They are accepted risks, not absent ones: `paths --include-waived`
// prints them, JSON and SARIF list them as suppressed results.
struct WaivedPaths {
    // The analysis with waivers set aside; null when no live waiver matches
    // an allowed flow (nothing can be hidden then).
    std::shared_ptr<const Result> unwaived;
    // Indices into unwaived->lateral / unwaived->exfiltration, whose path
    // sets are marked waived, with waivedBy filled in.
    std::vector<uint32_t> lateral, exfiltration;
    bool empty() const { return lateral.empty() && exfiltration.empty(); }
};

// `normal` is the analysis of `policy` with `options` (waivers applied).
WaivedPaths findWaivedPaths(const model::Policy& policy, const Options& options,
                            const Result& normal);

// Marks, in a result computed with applyWaivers false, the path sets that
// the live waivers hide (comparing with `normal`), and returns their indices.
WaivedPaths markWaivedPaths(std::shared_ptr<Result> unwaived, const Result& normal);

// The live waivers that cover a hop: the pair is in the waiver's covers and
// the hop's rules keep a service the waiver names.
std::vector<uint32_t> waiversOnHop(const PolicyGraph& graph, const Hop& hop);

// The diagnostics the hidden findings would be without their waivers (as
// analysis::report words them), each with the waivers that hide it.
struct WaivedDiagnostic {
    Diagnostic diagnostic;
    std::vector<uint32_t> waivers;
};
std::vector<WaivedDiagnostic> waivedDiagnostics(const WaivedPaths& waived,
                                                const model::Policy& policy);

// "app -> core service postgres", "app -> core" (every service).
std::string waiverHopText(const model::Policy& policy, const model::Waiver& waiver);
// "RISK-77, until 2027-09-30: internet banking tier, reviewed quarterly"
std::string waiverJustification(const model::Waiver& waiver);

} // namespace netsep::analysis
