#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Linux nftables: one `nft -f` script ("nftables.nft") that atomically
// replaces the table `inet netsep_<firewall>` and nothing else. Only routed
// traffic is policed (a `forward` base chain); see docs/backends/nftables.md.
class NftablesBackend final : public Backend {
public:
    const char* name() const override { return "nftables"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;

    // The table the script owns, e.g. "netsep_fw-core".
    static std::string tableName(const lower::LoweredFirewall& fw);
    // The chains holding the exceptions of one kill-switch group on this
    // firewall (one per zone pair that has any), in output order.
    static std::vector<std::string> killSwitchChains(const lower::LoweredFirewall& fw,
                                                     const std::string& group);

    // For `netsep killswitch`: two `nft -f` scripts, each one transaction,
    // in this order: "nftables-killswitch-<group>-disable.nft" flushes every
    // chain of the group (new connections of its exceptions are dropped at
    // once: the pair chains fall through to their default drop);
    // "nftables-killswitch-<group>-enable.nft" flushes and refills them with
    // the rules of `emit`.
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;

    // The quarantine hook in the table: an empty regular chain that the
    // forward chain jumps to first.
    static std::string quarantineChain();
    // For `netsep quarantine` (NftablesQuarantine.cpp): two `nft -f` files,
    // one transaction each, touching only the quarantine hook chain:
    // "nftables-quarantine.nft" fills it, "nftables-quarantine-release.nft"
    // empties it (the compiled state).
    std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw,
                        const lower::LoweredQuarantine& q) const override;
};

} // namespace netsep::backends
