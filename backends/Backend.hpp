#pragma once
#include "lower/LoweredPolicy.hpp"
#include "lower/LoweredQuarantine.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::backends {

// What a backend can express. The shared capability check (not the backend)
// reports every policy feature a backend lacks, so nothing is dropped silently.
struct Capabilities {
    bool identity = false; // user/group match (source-user, user groups)
    bool fqdn = false;     // FQDN address objects
    bool ipv6 = false;
    bool portRanges = false;
    bool icmpTypes = false;
    bool logging = false;
    // Interface names the backend prints verbatim: at most maxInterfaceName
    // characters from [A-Za-z0-9] and interfaceNameChars. 0 = not checked
    // by the shared check (the backend validates them itself).
    std::size_t maxInterfaceName = 0;
    const char* interfaceNameChars = "";
    // Kill-switch groups one firewall may carry; 0 = no limit.
    std::size_t maxKillSwitchGroups = 0;
    // The kill switch turns a per-group switch that every compile of the
    // policy carries (whatever the as-of date), rather than removing the
    // group's rules: its artifacts do not depend on which exceptions are in
    // force, only on the policy digest.
    bool killSwitchByState = false;
};

// One output file, path relative to the firewall's output directory.
struct Artifact {
    std::string path;
    std::string content;
};

// What an earlier compile wrote for the same firewall and backend: one of
// its files by path (relative to the firewall's output directory), nullopt
// when it has no such file. Empty when no earlier output was given.
using PreviousOutput = std::function<std::optional<std::string>(const std::string& path)>;

// An earlier output that cannot be read, or that netsep did not write.
struct PreviousOutputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* name() const = 0;
    virtual Capabilities capabilities() const = 0;
    // Full configuration for one firewall; deterministic bytes.
    virtual std::vector<Artifact> emit(const lower::LoweredFirewall& fw) const = 0;

    // emit() for a device that may run the output of `previous` (the compile
    // deployed before): backends whose devices offer netsep no way to find
    // its own rules and objects also remove those that compile had and this
    // one has not (docs/backends/*.md). Throws PreviousOutputError when
    // `previous` is not this backend's output. The default ignores it.
    virtual std::vector<Artifact> emit(const lower::LoweredFirewall& fw,
                                       const PreviousOutput& previous) const {
        (void)previous;
        return emit(fw);
    }

    // How the device shows the rules emit() prints, per policy rule name:
    // the rule names as printed (after the platform's name limits), or what
    // finds them where device rules have no name (the Linux rule comment,
    // the ASA access list or kill-switch time range). The audit report's
    // deployment view reads it. Empty by default.
    virtual std::map<std::string, std::set<std::string>>
    ruleLabels(const lower::LoweredFirewall& fw) const {
        (void)fw;
        return {};
    }

    // Why `name` cannot name an interface of this platform, or "" when it
    // can. Checked, with the name the firewall gives this backend
    // (`interface NAME zone Z on BACKEND NAME`), when the policy is checked
    // and again before anything is printed. The default applies
    // Capabilities::maxInterfaceName and interfaceNameChars.
    virtual std::string interfaceNameProblem(std::string_view name) const;

    // Kill switch for one group (AIX-009, DORA 9(4)(b)): artifacts that
    // disable every exception of `group` on this firewall at once, and that
    // restore them, touching no other rule; they apply to the config emit()
    // produced. nullopt: this backend cannot (reported, never skipped).
    virtual std::optional<std::vector<Artifact>>
    killSwitchArtifacts(const lower::LoweredFirewall& fw, const std::string& group) const {
        (void)fw;
        (void)group;
        return std::nullopt;
    }

    // Quarantine (`netsep quarantine`): an artifact that fills this
    // firewall's quarantine hook chain (jumped first in forward processing)
    // so that `q` is isolated, and one that empties it again, restoring
    // exactly the compiled state; both touch nothing else. nullopt: this
    // backend cannot (reported, never skipped).
    virtual std::optional<std::vector<Artifact>>
    quarantineArtifacts(const lower::LoweredFirewall& fw, const lower::LoweredQuarantine& q) const {
        (void)fw;
        (void)q;
        return std::nullopt;
    }
};

// Every backend, in a fixed order; lookup by registered name.
const std::vector<std::unique_ptr<Backend>>& allBackends();
const Backend* findBackend(const std::string& name);

} // namespace netsep::backends
