#pragma once
#include "backends/Backend.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Linux iptables: "iptables.rules" and "ip6tables.rules" (restore format,
// filter table, netsep's chains only), "ipset.rules" when the rules match
// sets (the catch-all zone's declared addresses, address objects of several
// prefixes), and "iptables-load.sh", which loads
// them (sets swapped in, rules with `iptables-restore --noflush`) and keeps
// the one jump from FORWARD into the firewall's entry chain. Only routed traffic is policed;
// nothing outside the firewall's own chains is touched (docs/backends/iptables.md).
class IptablesBackend final : public Backend {
public:
    const char* name() const override { return "iptables"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;

    // The prefix of every chain of this firewall, "ns_<tag>" (tag: the
    // firewall name if it is at most 8 characters of [A-Za-z0-9-], else an
    // 8-character abbreviation with a hash). It is also the entry chain that
    // FORWARD jumps to; every other chain is "<prefix>_...".
    static std::string chainPrefix(const lower::LoweredFirewall& fw);
    // The quarantine hook: an empty chain that the entry chain jumps to
    // first, before any other rule of netsep, for every routed packet.
    // `netsep quarantine` fills it; every load of the compiled files empties it.
    static std::string quarantineChain(const lower::LoweredFirewall& fw);
    // The comment of the entry chain's first rule (kept by the kernel, shown
    // by `iptables -S`): policy, firewall, policy digest, netsep version,
    // as-of date.
    static std::string provenanceComment(const lower::LoweredFirewall& fw);
    // The ipset (hash:net) that the classification chains of the catch-all
    // zone match in one family: every declared prefix ("<prefix>_dcl4",
    // "<prefix>_dcl6"). Written to "ipset.rules" only when a chain uses it.
    static std::string declaredSet(const lower::LoweredFirewall& fw, model::Family fam);
    // The shell script that loads the two rules files (iptables-load.sh),
    // and the sets of ipset.rules, per family (IPv4, IPv6), when there are any.
    static std::string loadScript(const lower::LoweredFirewall& fw,
                                  const std::array<std::vector<std::string>, 2>& familySets);

    // The chains marking the connections of one kill-switch group's
    // exceptions (one per zone pair that has any), in output order; the same
    // names in both families.
    static std::vector<std::string> killSwitchChains(const lower::LoweredFirewall& fw,
                                                     const std::string& group);
    // The group's switch chain: one accept rule while the group is on,
    // empty while it is off (throws if the group has no switch here).
    static std::string switchChain(const lower::LoweredFirewall& fw, const std::string& group);

    // For `netsep killswitch`: two POSIX sh scripts, in this order,
    // "iptables-killswitch-<group>-disable.sh" and "...-enable.sh". Each
    // checks that the loaded chains carry this compile's policy digest
    // (else refuses, unless run with --force), then feeds one
    // `iptables-restore --noflush` and one `ip6tables-restore --noflush`
    // commit that empty (disable) or refill (enable) the group's switch chain.
    std::map<std::string, std::set<std::string>>
    ruleLabels(const lower::LoweredFirewall& fw) const override;
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;

    // The restore-format files inside those scripts, in the order
    // iptables-disable, ip6tables-disable, iptables-enable, ip6tables-enable
    // (paths "<tool>-<group>-disable.rules" etc.).
    std::vector<Artifact> killSwitchRules(const lower::LoweredFirewall& fw,
                                          const std::string& group) const;

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
