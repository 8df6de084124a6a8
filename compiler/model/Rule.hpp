#pragma once
#include "diag/SourceSpan.hpp"
#include "model/Date.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netsep::model {

// What a rule's `from`/`to` names: a zone, a group or a saas endpoint.
struct Endpoint {
    enum class Kind : uint8_t { Zone, Group, Saas } kind = Kind::Zone;
    uint32_t index = 0;
    friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

enum class RuleKind : uint8_t { Access, Deny, Exception };

// As written: `basis "ID"` (Kind::Letter) names a declared letter; the other
// kinds are the deprecated inline form (W401).
struct LegalBasis {
    enum class Kind : uint8_t {
        NoActionLetter,
        Sandbox,
        SaasGeneral,
        Letter
    } kind = Kind::NoActionLetter;
    std::string id;
    std::optional<Date> issued;
    SourceSpan span;
};

// Exception-only fields. Presence is checked by sema (E4xx); validity by
// the audit (AIX-xxx), so a missing field is never silently defaulted.
struct ExceptionInfo {
    std::string purpose; // empty when absent (AIX-001 reports it)
    SourceSpan purposeSpan;
    std::optional<LegalBasis> basis; // absent: AIX-002
    Date expires;
    SourceSpan expiresSpan;
    std::string approvedBy; // empty when absent (AIX-011)
    std::string killSwitch; // empty when absent (AIX-009)
    // Resolved by sema. The declared letter the basis names (also when an
    // inline basis carries a declared letter's id).
    std::optional<uint32_t> letter;
    // The period the basis grants: from its start (the letter's issue; for
    // an inline basis its issue date, or for saas-general the FSI screening)
    // to its lapse. No `validFrom`: the start is unknown and the exception
    // is never in force (AIX-003).
    std::optional<Date> validFrom, validUntil;
};

struct Rule {
    RuleKind kind = RuleKind::Access;
    std::string name;
    std::vector<Endpoint> from; // `any` expands to every zone and saas endpoint
    std::vector<Endpoint> to;
    bool fromAny = false;
    bool toAny = false;
    std::optional<uint32_t> identity;
    std::vector<uint32_t> services; // indexes into Policy::services
    bool serviceAny = false;        // `service any` (services is then empty)
    bool log = false;
    std::string justification;
    std::string owner;
    std::optional<ExceptionInfo> exception;
    SourceSpan span;
    SourceSpan fromSpan, toSpan, serviceSpan;
};

} // namespace netsep::model

namespace netsep::model {
// An exception opens traffic only from the day its basis was granted up to
// and including its expiry date, and never after its basis lapses; access
// and deny rules are always in force.
bool inForce(const Rule& rule, Date asOf);
} // namespace netsep::model
