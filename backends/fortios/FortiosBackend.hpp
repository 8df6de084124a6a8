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
// `logtraffic all`, ending in an explicit logged deny policy. See
// docs/backends/fortios.md.
class FortiosBackend final : public Backend {
public:
    const char* name() const override { return "fortios"; }
    Capabilities capabilities() const override;
    std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const override;
    // `set status disable` / `set status enable` on every policy of the
    // group's exceptions.
    std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const override;
};

} // namespace netsep::backends
