#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Juniper SRX (Junos OS set form): one file "juniper-srx.set" for
// `load set` + `commit confirmed`. Everything lives in the configuration
// group "netsep" (deleted and rebuilt, applied with apply-groups), so
// nothing else on the device is touched. Security zones with their interfaces, global
// address-book entries and address-sets (dns-name entries for SaaS FQDNs),
// applications and application-sets, `security policies from-zone A to-zone
// B` with all three match fields, `then permit`/`then deny`, `then log
// session-init`/`session-close`, and a logged deny-rest per zone pair. See
// docs/backends/juniper-srx.md.
class JuniperSrxBackend final : public Backend {
public:
    const char* name() const override { return "juniper-srx"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw,
                               const PreviousOutput& previous) const override;
    std::string interfaceNameProblem(std::string_view name) const override;
    // `deactivate` / `activate` for every policy of the group's exceptions.
    std::map<std::string, std::set<std::string>>
    ruleLabels(const lower::LoweredFirewall& fw) const override;
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;
    // Deny policies netsep-q-* in group netsep, each inserted by name before
    // the first policy of its zone context; netsep-quarantine-* addresses and
    // address-sets; the release deletes exactly those.
    std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw,
                        const lower::LoweredQuarantine& q) const override;
};

} // namespace netsep::backends
