#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Linux nftables: one `nft -f` script ("nftables.nft") that atomically
// replaces the table `inet netsep_<firewall>` and nothing else. Only routed
// traffic between the firewall's interfaces is policed (a `forward` base
// chain); see docs/backends/nftables.md.
class NftablesBackend final : public Backend {
public:
    const char* name() const override { return "nftables"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;

    // The table the script owns, e.g. "netsep_fw-core".
    static std::string tableName(const lower::LoweredFirewall& fw);
    // The quarantine hook in that table: an empty regular chain that the
    // forward chain jumps to first, before any other rule, for every routed
    // packet. `netsep quarantine` fills it; every load of nftables.nft
    // recreates it empty.
    static std::string quarantineChain();
    // "provenance_sha256_<hex>": an empty chain named after the policy
    // digest; the kill-switch files flush it first, so they fail on a table
    // from another compile. Empty when the firewall carries no digest.
    static std::string provenanceChain(const lower::LoweredFirewall& fw);
    // The table's comment: policy, firewall, digest, netsep version, as-of.
    static std::string provenanceComment(const lower::LoweredFirewall& fw);
    // The chains marking the connections of one kill-switch group's
    // exceptions (one per zone pair that has any), in output order.
    static std::vector<std::string> killSwitchChains(const lower::LoweredFirewall& fw,
                                                     const std::string& group);
    // The group's switch chain: one accept rule while the group is on,
    // empty while it is off (throws if the group has no switch here).
    static std::string switchChain(const lower::LoweredFirewall& fw, const std::string& group);

    // For `netsep killswitch`: two `nft -f` files, each one transaction,
    // in this order: "nftables-killswitch-<group>-disable.nft" empties the
    // group's switch chain, "nftables-killswitch-<group>-enable.nft" puts
    // its accept rule back. Both first flush the provenance chain, so they
    // change nothing on a table loaded from another compile.
    std::map<std::string, std::set<std::string>>
    ruleLabels(const lower::LoweredFirewall& fw) const override;
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;

    // For `netsep quarantine` (NftablesQuarantine.cpp): two `nft -f` files,
    // one transaction each, touching only the quarantine hook chain:
    // "nftables-quarantine.nft" fills it, "nftables-quarantine-release.nft"
    // empties it (the compiled state).
    std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw,
                        const lower::LoweredQuarantine& q) const override;
};

} // namespace netsep::backends
