#pragma once
#include "backends/Backend.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "lower/LoweredPolicy.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// interfacesFor without the copy, for a caller that owns `fw`: renames the
// interfaces in place and puts the original names back when it goes out of
// scope. A compile emits every backend of a firewall from one lowered
// firewall, and copying all its rules for each backend with aliases cost
// more than some backends' whole output.
class InterfacesRenamed {
public:
    InterfacesRenamed(lower::LoweredFirewall& fw, const model::Firewall& decl,
                      const std::string& backend);
    ~InterfacesRenamed();
    InterfacesRenamed(const InterfacesRenamed&) = delete;
    InterfacesRenamed& operator=(const InterfacesRenamed&) = delete;
    const lower::LoweredFirewall& firewall() const { return fw_; }

private:
    lower::LoweredFirewall& fw_;
    // The names replaced, to put back: interfaces, then per zone pair its
    // in- and out-interfaces (empty when nothing was renamed).
    std::vector<lower::FirewallInterface> interfaces_;
    std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> pairs_;
};

} // namespace netsep::backends
