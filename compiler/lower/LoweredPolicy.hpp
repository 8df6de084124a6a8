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
//
// The catch-all zone (the one declaring 0.0.0.0/0 or ::/0, usually
// `internet`) owns every address no other zone or SaaS endpoint owns. Listed
// out, that is the complement of every declared prefix of the whole policy
// (tens of thousands of IPv6 prefixes once zones have scattered /64s), so in
// such a family the object is negated instead: "every address except
// LoweredFirewall::declaredV4/declaredV6", with its own prefix list empty.
// Vendors that negate a whole address field write it with exclusionOf
// (lower/NegatedAddresses.hpp); backends that cannot match a negated set
// list it out again with ExplicitAddresses (lower/ExplicitAddresses.hpp).
struct AddressObject {
    std::string name; // stable, unique per firewall: "zone-app", "group-web", "saas-claude-api"
    std::vector<model::IpPrefix> v4; // empty when negatedV4
    std::vector<model::IpPrefix> v6; // empty when negatedV6
    std::vector<std::string> fqdns;  // saas endpoints only
    bool negatedV4 = false;          // every IPv4 address outside the firewall's declaredV4
    bool negatedV6 = false;          // every IPv6 address outside the firewall's declaredV6

    bool negated(model::Family f) const { return f == model::Family::V4 ? negatedV4 : negatedV6; }
    // Whether the object holds any address of the family.
    bool has(model::Family f) const {
        return negated(f) || !(f == model::Family::V4 ? v4 : v6).empty();
    }
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
    // A deny `from any to any` without identity: it drops the same service
    // in every zone pair, and whatever else it would drop there (spoofed
    // sources, interface pairs without a zone pair) is dropped by default
    // anyway, so a backend may write it once ahead of the zone-pair
    // dispatch, without addresses, and leave it out of the pairs.
    bool global = false;
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

// The addresses a zone owns (longest-prefix ownership), per family; for the
// catch-all zone of a family, that family's whole space (0.0.0.0/0, ::/0).
struct ZoneAddresses {
    std::string zone;
    std::vector<model::IpPrefix> v4, v6;
};

struct LoweredFirewall {
    std::string name;
    std::string policyName;
    std::vector<std::string> backends;
    std::vector<FirewallInterface> interfaces;
    // One entry per zone of `interfaces`, in their order: what a packet may
    // carry entering or leaving through that zone's interfaces.
    std::vector<ZoneAddresses> zoneAddresses;
    std::vector<AddressObject> objects;
    // What a negated object leaves out, per family: the addresses owned by
    // any zone or SaaS endpoint other than the catch-all zone, as sorted,
    // disjoint, minimal prefixes. Empty unless some object is negated in
    // that family (never empty when one is).
    std::vector<model::IpPrefix> declaredV4, declaredV6;
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
