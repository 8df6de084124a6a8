#pragma once
#include "backends/Backend.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::backends {

// Fortinet FortiOS (7.x CLI, consolidated IPv4/IPv6 policy table): one file
// "fortios.conf". `config firewall address`/`address6` (FQDN addresses for
// SaaS endpoints), `addrgrp`/`addrgrp6`, `service custom`/`service group`,
// `user group` for identities, and `config firewall policy` with srcintf,
// dstintf, srcaddr(6), dstaddr(6), service, schedule, action, groups and
// `logtraffic all`, ending in an explicit logged deny policy between
// netsep's interfaces. Objects are named netsep-*, policies have stable IDs
// in netsep's own range and are moved in order before that deny; with the
// previous compile's output, what it had and this one has not is deleted.
// See docs/backends/fortios.md.
class FortiosBackend final : public Backend {
public:
    const char* name() const override { return "fortios"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw,
                               const PreviousOutput& previous) const override;
    std::string interfaceNameProblem(std::string_view name) const override;
    // The group's recurring schedule "netsep-ks-<group>" gets no day / every
    // day: all its policies go off / on at once, addressed by name.
    std::map<std::string, std::set<std::string>>
    ruleLabels(const lower::LoweredFirewall& fw) const override;
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;
    // Deny policies with IDs of their own (1070000001, ...) moved above
    // netsep's block, netsep-quarantine-* addresses and groups; the release
    // deletes exactly those.
    std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw,
                        const lower::LoweredQuarantine& q) const override;
};

} // namespace netsep::backends
