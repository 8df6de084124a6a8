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

struct LegalBasis {
    enum class Kind : uint8_t { NoActionLetter, Sandbox, SaasGeneral } kind = Kind::NoActionLetter;
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
// An exception opens traffic only from its issue date up to and including
// its expiry date; access and deny rules are always in force.
bool inForce(const Rule& rule, Date asOf);
} // namespace netsep::model
