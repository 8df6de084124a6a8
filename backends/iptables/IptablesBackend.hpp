#pragma once
#include "backends/Backend.hpp"

#include <optional>
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

    // For `netsep killswitch`: two POSIX sh scripts, in this order,
    // "iptables-killswitch-<group>-disable.sh" and "...-enable.sh". Each
    // feeds one `iptables-restore --noflush` and one `ip6tables-restore
    // --noflush` commit (atomic per family). Disable flushes every chain of
    // the group; enable refills them (and their helper chains) exactly as
    // `emit` does.
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;

    // The restore-format files inside those scripts, in the order
    // iptables-disable, ip6tables-disable, iptables-enable, ip6tables-enable
    // (paths "<tool>-<group>-disable.rules" etc.).
    std::vector<Artifact> killSwitchRules(const lower::LoweredFirewall& fw,
                                          const std::string& group) const;

    // The quarantine hook: an empty chain jumped first in netsep's forward
    // processing, in both families.
    static std::string quarantineChain(const lower::LoweredFirewall& fw);
    // For `netsep quarantine` (IptablesQuarantine.cpp): two POSIX sh
    // scripts, "iptables-quarantine.sh" (fills the hook chain) and
    // "iptables-quarantine-release.sh" (empties it: the compiled state), each
    // one `iptables-restore --noflush` and one `ip6tables-restore --noflush`
    // commit that touches only that chain.
    std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw,
                        const lower::LoweredQuarantine& q) const override;
};

} // namespace netsep::backends
