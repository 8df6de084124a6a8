#pragma once
#include "analysis/Analysis.hpp"
#include "analysis/ServiceSpace.hpp"
#include "audit/Audit.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"
#include "review/Findings.hpp"

#include <string>
#include <vector>

namespace netsep::review {

// `netsep diff OLD NEW`: what a change to a policy opens and closes, in the
// policy's own terms, independent of statement order and line numbers
// (docs/ci.md). Everything is computed from the checked models and their
// lowered rules, never from emitted text.

// One version of a policy, checked.
struct PolicyVersion {
    const model::Policy& policy;
    const SourceManager& sources;
    const analysis::Result& analysis;
    const audit::AuditResult& audit;
    std::string label; // "OLD (HEAD:examples/bank.nsp)"
};

struct RuleRef {
    std::string name, where;
    model::RuleKind kind = model::RuleKind::Access;
    std::string detail; // exceptions: "letter X, expires D, kill-switch G"
};

// Services newly allowed (opened) or newly denied (closed) between sets of
// hosts, merged: sources and destinations are endpoints of NEW (a whole zone
// when all of its hosts change alike), with addresses that moved between
// zones named with their prefixes.
struct ReachChange {
    bool opened = true;
    std::vector<std::string> from, to;
    analysis::ServiceSpace services;
    std::vector<RuleRef> newRules, oldRules; // responsible, in each version
    std::string newNote, oldNote;            // when no rule is responsible
    std::vector<std::string> targets; // crown-jewel/classified/datacenter zones it opens into
    // Exactly which hosts (the labels above name them; these are for tools
    // and tests; FQDN-only saas endpoints have none).
    model::AddressSet fromAddresses, toAddresses;
};

struct FieldChange {
    std::string field, before, after;
};

struct ExceptionChange {
    enum class Kind : uint8_t { Added, Removed, Changed } kind = Kind::Added;
    std::string name;
    std::string whereOld, whereNew;
    std::string summary;             // from -> to service ..., expires, kill switch (NEW, else OLD)
    std::vector<FieldChange> fields; // Changed
    bool widened = false;            // Added, or more sources/destinations/services/time
    std::string verdictOld, verdictNew; // audit: valid, warning, invalid ("" when absent)
    std::vector<std::string> idsOld, idsNew;
    bool inForceOld = false, inForceNew = false;
};

// One lowered rule of a firewall, as every backend of it prints it.
struct LoweredRuleChange {
    enum class Kind : uint8_t { Added, Removed, Changed } kind = Kind::Added;
    std::string fromZone, toZone;
    std::string text, before; // "accept group-scanners -> saas-claude-api tcp/443 (...)"
    RuleRef rule;
    // For merging alike changes: the rule without its place ("drop tcp/23
    // ipv4 (deny no-telnet)") and its place ("zone-dmz -> zone-oms").
    std::string what, objects;
};

struct FirewallChange {
    std::string name;
    bool added = false, removed = false;
    std::vector<std::string> backends; // NEW's (OLD's when removed)
    std::vector<std::string> backendsAdded, backendsRemoved;
    std::vector<std::string> interfaceChanges; // "+ eth7 zone trading"
    std::vector<LoweredRuleChange> rules;
    std::vector<std::string> objectChanges; // "saas-claude-api: + 160.79.106.0/24"
    bool empty() const {
        return !added && !removed && backendsAdded.empty() && backendsRemoved.empty() &&
               interfaceChanges.empty() && rules.empty() && objectChanges.empty();
    }
};

struct PolicyDiff {
    std::string oldLabel, newLabel;
    model::Date asOf;
    std::vector<ReachChange> opened, closed;
    FindingsDelta findings;
    std::vector<ExceptionChange> exceptions;
    std::vector<FirewallChange> firewalls; // changed ones only
    // Opens access into a target zone or adds/widens an exception: a
    // pipeline asks for a second approver (exit 4).
    std::vector<std::string> approvalReasons;
    bool needsApproval() const { return !approvalReasons.empty(); }
    bool empty() const {
        return opened.empty() && closed.empty() && findings.empty() && exceptions.empty() &&
               firewalls.empty();
    }
};

PolicyDiff diffPolicies(const PolicyVersion& before, const PolicyVersion& after, model::Date asOf);

// The reachability part alone (Reachability.cpp).
void diffReachability(const PolicyVersion& before, const PolicyVersion& after, PolicyDiff& out);
// The per-firewall part alone (LoweredDiff.cpp).
void diffFirewalls(const PolicyVersion& before, const PolicyVersion& after, model::Date asOf,
                   PolicyDiff& out);

} // namespace netsep::review
