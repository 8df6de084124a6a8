#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Cisco ASA (9.x, unified IPv4/IPv6 extended ACLs): "cisco-asa.cfg" of
// global-configuration commands (with the previous compile's output also a
// rollback and a cleanup file). Interfaces are named by their nameif and not
// configured; each address object becomes an `object-group network`, each
// service an `object-group service`, each kill-switch group a `time-range`;
// the rules of every zone pair leaving a zone form one extended ACL, bound
// with `access-group ... in interface` to each of the zone's interfaces and
// ending in an explicit logged deny. Every name starts with netsep-; ACLs
// and network groups carry a content tag, so a new version is built beside
// the running one. See docs/backends/cisco-asa.md.
class CiscoAsaBackend final : public Backend {
public:
    const char* name() const override { return "cisco-asa"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw,
                               const PreviousOutput& previous) const override;
    std::string interfaceNameProblem(std::string_view name) const override;
    // The group's time range "netsep-ks-<group>", which every ACE of its
    // exceptions carries, set to a past minute / back to always: addressed
    // by name, never by ACE line.
    std::map<std::string, std::set<std::string>>
    ruleLabels(const lower::LoweredFirewall& fw) const override;
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;
    // Deny ACEs inserted at the top of netsep's ACLs (by line, removed again
    // by content), an object-group per target, `clear conn` for its
    // addresses; the release removes exactly those.
    std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw,
                        const lower::LoweredQuarantine& q) const override;
};

} // namespace netsep::backends
