#pragma once
#include "backends/Backend.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "lower/LoweredPolicy.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>

namespace netsep::backends {

// Reports E501 at every interface name of `decl` that one of its backends
// cannot print (the name the firewall gives that backend: its alias or the
// interface's own name). Unknown backends are left to the compile (E502).
void checkInterfaceNames(const model::Firewall& decl, DiagnosticEngine& diags);

// The same for one backend of the firewall.
void checkInterfaceNames(const model::Firewall& decl, const Backend& backend,
                         DiagnosticEngine& diags);

// The same for every firewall of the policy: part of `netsep check`.
void checkInterfaceNames(const model::Policy& policy, DiagnosticEngine& diags);

// `fw` as `backend` prints it: every interface under the name the firewall
// gives that backend. Returns `fw` itself when no interface has an alias for
// it; otherwise a renamed copy, kept in `storage`.
const lower::LoweredFirewall& interfacesFor(const lower::LoweredFirewall& fw,
                                            const model::Firewall& decl, const std::string& backend,
                                            std::optional<lower::LoweredFirewall>& storage);

} // namespace netsep::backends
