#pragma once
#include "backends/Backend.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "model/Policy.hpp"

namespace netsep::backends {

// The one place that compares what a firewall's rules need with what each of
// its backends can express. Reports an error per (rule, backend, feature)
// at the policy statement; an identity condition on a backend without
// identity support is a note when the firewall says `identity-enforced-by`.
void checkCapabilities(const lower::LoweredFirewall& fw, const model::Firewall& decl,
                       const Backend& backend, DiagnosticEngine& diags);

} // namespace netsep::backends
