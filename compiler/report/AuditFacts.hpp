#pragma once
// The facts the audit report and the exception register show, as strings,
// gathered once and shared by every format. Internal to compiler/report.
#include "report/AuditReport.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::report::facts {

struct ExceptionFacts {
    uint32_t rule = 0;
    std::string name, where;
    audit::ExceptionStatus::Verdict verdict = audit::ExceptionStatus::Verdict::Valid;
    std::vector<std::string> violations;
    std::vector<std::string> sources;      // "group scanners (zone ai-scan)", "as identity x"
    std::vector<std::string> destinations; // "saas claude-api"
    std::vector<std::string> endpoints;    // saas endpoint names
    std::vector<std::string> providers, networks, fqdns;
    std::string services, purpose;
    // The basis: a declared letter, or the deprecated inline form.
    std::string basisKind; // "no-action-letter", "sandbox", "saas-general"; "" = none
    std::string basisId;
    bool inlineBasis = false;
    std::optional<uint32_t> letter;
    std::string firm, letterIssued, letterExpires, letterSha256;
    std::string validFrom;  // "" = no start date
    std::string validUntil; // the last day in force: expiry or the basis's lapse
    std::string expires;
    std::optional<int> daysLeft;
    std::string approvedBy, killSwitch;
    bool logged = false, inForce = false;
    bool switchedOff = false;                     // its kill-switch group is engaged in the policy
    std::vector<const audit::HeldBack*> heldBack; // findings it passes only by assumption
};

std::vector<ExceptionFacts> exceptions(const AuditInput& in);

struct LetterFacts {
    uint32_t index = 0;
    std::string id, kind, firm, issued, expires, sha256, where;
    enum class State { InForce, Lapsed, NotYet } state = State::InForce;
    std::vector<std::pair<std::string, std::string>> scope; // catalogue key, value
    std::vector<std::string> exceptions;
};

std::vector<LetterFacts> letters(const AuditInput& in);

// "app -> core service postgres"
std::string waiverHop(const model::Policy& policy, const model::Waiver& w);
// A held-back finding's assumptions, in the report's language.
std::string assumptionRefs(const model::Policy& policy, Lang lang, const audit::HeldBack& h);

std::string joined(const std::vector<std::string>& v, const char* sep = ", ");
const char* severityName(Severity s); // English: "error", ...

// The English title of an audit rule or analysis code, or its translation.
std::string ruleTitle(Lang lang, const std::string& id);
std::string ruleTraces(Lang lang, const std::string& id);

} // namespace netsep::report::facts
