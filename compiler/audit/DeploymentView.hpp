#pragma once
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace netsep::audit {

// What one backend of a firewall runs for an exception, and how it is cut.
struct BackendDeployment {
    std::string backend;
    // How the device shows the exception's rules (Backend::ruleLabels): the
    // vendors' rule names as printed ("netsep-ks-GROUP-RULE-PROTO"), the ASA
    // kill-switch time range, or the Linux rule comment ("policy rule R at
    // FILE:LINE ...").
    std::vector<std::string> rules;
    // `netsep killswitch POLICY GROUP -o DIR` writes these (relative to DIR).
    std::vector<std::string> killSwitchFiles;
};

// A firewall that carries an exception on the as-of date.
struct FirewallDeployment {
    std::string firewall;
    std::vector<std::string> zonePairs; // "ai-scan -> internet"
    size_t loweredRules = 0;            // one per zone pair, object pair and protocol
    std::string markBit;                // Linux kill switch: conntrack mark bit, "" without
    std::vector<BackendDeployment> backends;
};

// Where an exception is deployed: the audit report's per-exception
// deployment view. Computed from the same lowering the backends print.
struct ExceptionDeployment {
    uint32_t rule = 0; // into Policy::rules
    bool emitted = false;
    // Why nothing is emitted (None when emitted).
    enum class NotEmitted : uint8_t { None, NotInForce, KillSwitchEngaged, NoFirewall };
    NotEmitted notEmitted = NotEmitted::None;
    std::vector<FirewallDeployment> firewalls;
    // Firewalls that keep the group's Linux switch (and its conntrack bit)
    // although the exception is not emitted there today.
    std::vector<std::string> switchKeptOn;
};

std::vector<ExceptionDeployment> deploymentView(const model::Policy& policy,
                                                const SourceManager& sources, model::Date asOf);

} // namespace netsep::audit
