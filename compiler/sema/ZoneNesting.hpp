#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

namespace netsep::sema {

// A zone network nested in another zone's (or saas endpoint's) network
// takes those addresses away from it (longest prefix). That is how
// `internet` stays the catch-all, but elsewhere a typo (/17 for /24) moves
// half a zone without a word. Warns (W304) when a nested zone network takes
// a quarter or more of the network it sits in, or sits in a zone of another
// kind or level, or in a saas endpoint's network -- unless the zone says
// `zone NAME in PARENT` and PARENT is the zone it sits in. A zone declared
// `in PARENT` must lie inside PARENT's networks (E309).
// Call after address ownership was assigned without errors.
void checkZoneNesting(const model::Policy& policy, DiagnosticEngine& diags,
                      const std::vector<std::vector<SourceSpan>>& zoneNetworkSpans,
                      const std::vector<std::vector<SourceSpan>>& saasNetworkSpans);

} // namespace netsep::sema
