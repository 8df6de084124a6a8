#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Palo Alto Networks PAN-OS (configuration-mode set commands, one attribute
// per line): one file "paloalto.set". Zones with their layer-3 interfaces,
// address objects (ip-netmask, fqdn for SaaS endpoints) and static
// address-groups, service objects and service-groups, one security rule per
// lowered rule (from/to/source/destination/source-user/application/service/
// action, log-end) and an explicit logged deny rule at the end. Identity
// becomes `source-user`. See docs/backends/paloalto.md.
class PaloAltoBackend final : public Backend {
public:
    const char* name() const override { return "paloalto"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;
    // `disabled yes` / `disabled no` on every rule of the group's exceptions
    // (those rules also carry the tag "netsep-ks-<group>").
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;
};

} // namespace netsep::backends
