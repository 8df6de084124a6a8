#pragma once
#include "backends/Backend.hpp"

#include <string>
#include <vector>

namespace netsep::backends {

// Linux iptables: "iptables.rules" (iptables-restore) and "ip6tables.rules"
// (ip6tables-restore), filter table only. Only routed traffic is policed
// (FORWARD); see docs/backends/iptables.md for layout and loading.
class IptablesBackend final : public Backend {
public:
    const char* name() const override { return "iptables"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;

    // The chains holding the exceptions of one kill-switch group on this
    // firewall (one per zone pair that has any), in output order; the same
    // names in both families.
    static std::vector<std::string> killSwitchChains(const lower::LoweredFirewall& fw,
                                                     const std::string& group);

    // For `netsep killswitch`: iptables-restore --noflush files, each one
    // atomic commit. `disable` flushes every chain of the group in both
    // families; `restore` refills them (and their helper chains) exactly as
    // `emit` does. Order: iptables-<g>-disable, ip6tables-<g>-disable,
    // iptables-<g>-restore, ip6tables-<g>-restore (".rules" files).
    std::vector<Artifact> killSwitch(const lower::LoweredFirewall& fw,
                                     const std::string& group) const;
};

} // namespace netsep::backends
