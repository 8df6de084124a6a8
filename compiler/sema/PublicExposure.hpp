#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

namespace netsep::sema {

// W306: a zone of a kind other than internet or saas that owns public
// address space (model/PublicAddresses.hpp). The analysis treats such a
// zone as exposed; the warning says so at the network that brings the
// public addresses in. Runs after address ownership.
void warnPublicAddresses(const model::Policy& policy,
                         const std::vector<std::vector<SourceSpan>>& zoneNetworkSpans,
                         DiagnosticEngine& diags);

} // namespace netsep::sema
