#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Cisco ASA (9.x, unified IPv4/IPv6 extended ACLs): one file "cisco-asa.cfg"
// of global-configuration commands. Each interface gets a `nameif`; each
// address object becomes an `object-group network`, each service an
// `object-group service`; the rules of every zone pair leaving a zone form
// one extended ACL, bound with `access-group ... in interface` to each of
// the zone's interfaces and ending in an explicit logged deny. See
// docs/backends/cisco-asa.md.
class CiscoAsaBackend final : public Backend {
public:
    const char* name() const override { return "cisco-asa"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;
    // Disable: `no access-list ...` for every ACE of the group's exceptions.
    // Enable: the same ACEs re-inserted with `access-list NAME line N` at the
    // positions emit() gave them.
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;
};

} // namespace netsep::backends
