#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

namespace netsep::sema {

// Private address space (RFC 1918, RFC 6598 shared space, IPv6 ULA) that a
// policy partly assigns to its zones but whose rest no zone declares falls
// into the internet catch-all by longest prefix: `from internet` then
// admits internal hosts, and the analysis counts them as internet. Warns
// (W305) for each private range that some non-internet zone or saas
// endpoint uses while an internet-kind zone still owns part of it -- unless
// that internet zone lists the range (or the parts it owns) in its own
// `networks`, which states that they are external.
// Call after address ownership was assigned without errors.
void checkPrivateSpace(const model::Policy& policy, DiagnosticEngine& diags,
                       const std::vector<std::vector<SourceSpan>>& zoneNetworkSpans,
                       const std::vector<std::vector<SourceSpan>>& saasNetworkSpans);

// The ranges checked, in the order reported.
const std::vector<model::IpPrefix>& privateRanges();

} // namespace netsep::sema
