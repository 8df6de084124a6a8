#pragma once
#include "diag/SourceSpan.hpp"
#include "model/Date.hpp"
#include "model/Rule.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::model {

// What grants an exception its legal basis. The FSC's no-action letter
// (비조치의견서), its designation of an innovative financial service under
// the sandbox (혁신금융서비스 지정), or, under the general SaaS exception of
// April 2026, the firm's own six-monthly evaluation record.
enum class LetterKind : uint8_t { NoActionLetter, Sandbox, SaasGeneral };

const char* letterKindName(LetterKind k); // "no-action-letter", "sandbox", "saas-general"
// The longest period a basis of this kind grants, in days: one year of
// relief (365), a two-year designation (730), six months to the next
// evaluation (184).
int maxBasisDays(LetterKind k);
// The first day a basis of this kind can exist, if the regime has one
// (the general SaaS exception: 2026-04-20).
std::optional<Date> regimeStart(LetterKind k);

// What the letter allows: the exceptions that rest on it must stay inside.
struct LetterScope {
    std::vector<std::string> purposes;
    std::vector<Endpoint> from;         // zones and groups; a zone covers its groups
    std::vector<Endpoint> to;           // saas endpoints
    std::vector<std::string> providers; // or any saas endpoint of these providers
    std::vector<uint32_t> services;     // empty: not limited by the letter
    SourceSpan span;
};

struct Letter {
    std::string id;
    LetterKind kind = LetterKind::NoActionLetter;
    std::string firm; // the addressee, as written on the letter
    std::optional<Date> issued, expires;
    SourceSpan issuedSpan, expiresSpan;
    std::optional<LetterScope> scope;
    std::string documentSha256; // lowercase hex, or empty
    SourceSpan span;            // the id
};

} // namespace netsep::model
