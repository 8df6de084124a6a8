#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

namespace netsep::sema {

// Gives every address to the most specific zone or saas network containing
// it (longest prefix), filling Zone::addresses and Saas::addresses. The same
// prefix declared by two owners is an error (E306).
void assignAddressOwnership(model::Policy& policy, DiagnosticEngine& diags,
                            const std::vector<std::vector<SourceSpan>>& zoneNetworkSpans,
                            const std::vector<std::vector<SourceSpan>>& saasNetworkSpans);

} // namespace netsep::sema
