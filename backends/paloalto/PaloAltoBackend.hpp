#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Palo Alto Networks PAN-OS (configuration-mode set commands, one attribute
// per line): "paloalto.set" and its recipe "paloalto-README.txt". Every rule
// and object is named netsep-* and tagged; rules are replaced whole, moved to
// the top in order, and closed by a deny between netsep's zones; with the
// previous compile's output, what it had and this one has not is deleted.
// Zones with their layer-3 interfaces,
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
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw,
                               const PreviousOutput& previous) const override;
    std::string interfaceNameProblem(std::string_view name) const override;
    // `disabled yes` / `disabled no` on every rule of the group's exceptions
    // by name (those rules also carry the tag "netsep-ks-<group>"), each
    // also tagged with this compile's tag so that PAN-OS refuses the commit
    // on a device that runs another compile.
    std::map<std::string, std::set<std::string>>
    ruleLabels(const lower::LoweredFirewall& fw) const override;
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;
    // Deny rules netsep-q-* moved, by name, directly above netsep's first
    // rule, tagged with the compile's tag; netsep-quarantine-* addresses and
    // groups; a README with the provenance and the commit recipe. The
    // release deletes exactly those.
    std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw,
                        const lower::LoweredQuarantine& q) const override;
};

} // namespace netsep::backends
