#pragma once
#include "analysis/ServiceSpace.hpp"
#include "audit/Audit.hpp"
#include "diag/SourceManager.hpp"
#include "lower/LoweredPolicy.hpp"
#include "model/Policy.hpp"
#include "review/AddressIndex.hpp"
#include "review/Findings.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netsep::review {

// `netsep explain POLICY SRC DST [SERVICE]`: why a flow is allowed or
// denied, answered from the lowered rules the backends print (so the verdict
// is the firewall's, rule for rule), with the policy's context around it.
struct FlowQuery {
    std::string src, dst; // host addresses, or zone/group/saas names
    std::string service;  // a policy service, a clause (tcp/443, icmp/echo-request), or "" = any
};

// One end of the flow.
struct FlowEnd {
    std::string text;                        // as given
    bool byName = false;                     // a name: `address` is a representative host
    model::IpPrefix address;                 // the host
    Owner owner;                             // zone (+ groups) or saas endpoint
    std::optional<model::Endpoint> endpoint; // most specific (group, zone, saas)
    // The same by name, for renderers: "zone office (kind internal, ...)".
    std::string ownerText, zoneName, saasName, endpointName;
    std::vector<std::string> groupNames;
};

enum class Verdict : uint8_t { Allow, Deny };

// The lowered rule that decides part of the flow on one firewall.
struct DecidingRule {
    std::string policyRule;
    std::string where; // file:line
    model::RuleKind kind = model::RuleKind::Access;
    bool log = false;
    std::string killSwitch;
    std::string identity, identityGroup, identityProvider;
};

// One slice of the query's services and what decides it.
struct Decision {
    analysis::ServiceSpace services;
    Verdict verdict = Verdict::Deny;
    std::optional<DecidingRule> rule; // none: default deny
    // A deny decides: the allow rules it overrides (same packets).
    std::vector<DecidingRule> overridden;
};

// The flow on one firewall that has interfaces in both its zones.
struct FirewallPass {
    std::string firewall;
    std::vector<std::string> backends;
    std::string fromZone, toZone;
    std::vector<std::string> inInterfaces, outInterfaces;
    bool zonePair = false; // any rule for this zone pair (else: default deny, no zone pair)
    std::vector<Decision> decisions;
    std::optional<std::string> identityEnforcedBy;
    bool allowsAll() const;
    bool deniesAll() const;
};

enum class Outcome : uint8_t {
    Allowed,    // every firewall on the way allows every queried service
    Denied,     // every firewall denies every queried service
    Partial,    // some services allowed, others denied (or firewalls disagree)
    SameZone,   // no firewall between hosts of one zone
    NoFirewall, // no firewall has interfaces in both zones
    NotOwned,   // an address no zone or saas endpoint holds
};

struct ExceptionNote {
    std::string rule, where;
    bool inForce = false;
    std::string issued, expires; // "" when unknown
    int daysLeft = 0;
    std::string killSwitch, basis, approvedBy, purpose;
    std::string verdict;          // audit: valid, warning, invalid
    std::vector<std::string> ids; // audit rules it breaks
    bool decides = false;         // a decision of this flow (in force), else it would allow it
};

struct WaiverNote {
    std::string hop, ticket, because, until, where;
    int daysLeft = 0;
    bool live = false;
};

// The smallest change that would let the denied part through.
struct Suggestion {
    enum class Kind : uint8_t {
        AddRule,
        WidenRule,
        NarrowDeny,
        RenewException
    } kind = Kind::AddRule;
    std::string text;                   // what to do, in words
    std::string statement;              // a policy statement to add or the rule to edit
    std::string rule, where;            // the rule edited (widen, narrow, renew)
    std::vector<std::string> firewalls; // where the change lands
    std::vector<Finding> raises;        // findings the change would add
};

struct Explanation {
    FlowQuery query;
    std::string error; // the query could not be answered (bad address, name, service)
    FlowEnd src, dst;
    std::string serviceText; // "tcp/443", "https (tcp/443)", "any"
    analysis::ServiceSpace services;
    Outcome outcome = Outcome::Denied;
    std::vector<FirewallPass> firewalls;
    std::vector<ExceptionNote> exceptions;
    std::vector<WaiverNote> waivers;
    std::optional<Suggestion> suggestion;
    std::string note; // same zone, isolated, no firewall: what that means
};

// Built once per policy (lowering, address index, baseline findings), then
// asked any number of flows.
class Explainer {
public:
    // suggest: compute the smallest change for denied flows (one analysis
    // and audit of the changed policy each; `explain --no-suggest` skips it).
    Explainer(const model::Policy& policy, const SourceManager& sources, model::Date asOf,
              bool suggest = true);
    ~Explainer();
    Explanation explain(const FlowQuery& query) const;

private:
    struct State;
    std::unique_ptr<State> s_;
};

const char* verdictName(Verdict v);
const char* outcomeName(Outcome o);

} // namespace netsep::review
