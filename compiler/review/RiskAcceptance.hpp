#pragma once
#include "analysis/WaivedPaths.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"

#include <string>
#include <vector>

namespace netsep::review {

// One `waive` statement as an auditor reads it: an accepted lateral-movement
// risk on a hop, who and what accepted it, how long it has left, and the
// findings it keeps out of the verdict (docs/audit.md, "Risk acceptances").
struct RiskAcceptance {
    std::string hop;   // "app -> core service postgres"
    std::string owner; // who accepted it; "" when the statement names no one
    std::string ticket, because, until, where;
    int daysLeft = 0;
    enum class State : uint8_t { Live, Expired, Unused } state = State::Live;
    std::vector<std::string> accepts; // "LAT-001 internet -> core"
};

// Every waiver of the policy, in source order. `waived` is the result of
// analysis::findWaivedPaths for the same policy and date.
std::vector<RiskAcceptance> riskAcceptances(const model::Policy& policy,
                                            const SourceManager& sources, model::Date asOf,
                                            const analysis::Result& normal,
                                            const analysis::WaivedPaths& waived);

const char* stateName(RiskAcceptance::State s);

} // namespace netsep::review
