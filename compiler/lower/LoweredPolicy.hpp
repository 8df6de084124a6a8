#pragma once
#include "diag/SourceSpan.hpp"
#include "model/AddressSet.hpp"
#include "model/Rule.hpp"
#include "model/Service.hpp"

#include <string>
#include <vector>

namespace netsep::lower {

// Backend-neutral output of lowering. Backends only print this; every policy
// decision (deny-overrides, expiry, interface pairs, addresses) is made
// before it. All names here come from validated policy names
// ([A-Za-z0-9_][A-Za-z0-9_.:/*-]*); free text never appears except in
// `justification`, which backends must escape or drop.

// A named address list shared by all rules that use the same endpoint.
struct AddressObject {
    std::string name; // stable, unique per firewall: "zone-app", "group-web", "saas-claude-api"
    std::vector<model::IpPrefix> v4;
    std::vector<model::IpPrefix> v6;
    std::vector<std::string> fqdns; // saas endpoints only
};

// One protocol match; a policy service with tcp and udp entries becomes
// one LoweredRule per protocol.
struct Match {
    model::Proto proto = model::Proto::Any;
    std::vector<model::PortRange> ports; // tcp/udp; empty = every port
    std::vector<int> icmpTypes;          // icmp/icmpv6; empty = every type
    std::vector<std::string> icmpNames;  // same order as icmpTypes
};

enum class Action : uint8_t { Accept, Drop };

struct LoweredRule {
    Action action = Action::Accept;
    model::RuleKind kind = model::RuleKind::Access;
    std::string policyRule; // the policy statement's name
    std::string where;      // "file:line" of that statement
    uint32_t src = 0;       // index into LoweredFirewall::objects
    uint32_t dst = 0;
    Match match;
    bool log = false;
    // Which families the rule applies to (both objects have addresses of it).
    bool v4 = false;
    bool v6 = false;
    std::string killSwitch;       // exceptions: their kill-switch group
    std::string identity;         // non-empty: the rule is narrowed to an identity
    std::string identityGroup;    // the identity's group at its IdP ("SOC")
    std::string identityProvider; // the IdP ("corp-sso")
    SourceSpan span;              // the policy statement, for diagnostics
};

// Traffic entering on a zone's interfaces and leaving on another zone's.
// Rules are in evaluation order: denies, then allows, then exceptions grouped
// by kill-switch group; anything unmatched is dropped (default deny).
struct ZonePair {
    std::string fromZone;
    std::string toZone;
    std::vector<std::string> inInterfaces;
    std::vector<std::string> outInterfaces;
    std::vector<LoweredRule> rules;
};

// Which policy version produced an artifact: printed into every file (and,
// where the device keeps it, a description) so a running config can be
// traced back to its policy. Empty fields are left out.
struct Provenance {
    std::string policyDigest;  // "sha256:<hex>" over every loaded policy file
    std::string netsepVersion; // "0.1.0"
    std::string asOf;          // the --as-of date exceptions were judged on
};

struct FirewallInterface {
    std::string name;
    std::string zone;
};

struct LoweredFirewall {
    std::string name;
    std::string policyName;
    std::vector<std::string> backends;
    std::vector<FirewallInterface> interfaces;
    std::vector<AddressObject> objects;
    std::vector<ZonePair> pairs;               // sorted by (fromZone, toZone) order of interfaces
    std::vector<std::string> killSwitchGroups; // sorted, those with rules here
    // Every kill-switch group with an exception between two zones of this
    // firewall, whatever its dates and state (sorted): what the Linux
    // backends give a conntrack bit and an on/off switch, so that neither
    // moves when an exception expires or a group is engaged.
    std::vector<std::string> switchGroups;
    // Groups of switchGroups that the policy records as engaged
    // (`kill-switch GROUP engaged ...`), sorted. Their exceptions are left
    // out of `pairs`, like expired ones: every backend emits them disabled.
    std::vector<std::string> engagedGroups;
    // `forward-policy drop`: the Linux backends also drop routed traffic
    // that is not between two of the firewall's interfaces.
    bool forwardPolicyDrop = false;
    Provenance provenance;
};

} // namespace netsep::lower
