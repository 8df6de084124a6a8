#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "model/Date.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::review {

// Gate codes: errors that `--fail-on` adds (docs/ci.md).
namespace codes {
inline constexpr const char* kExceptionExpired = "CIG-001";
inline constexpr const char* kExceptionExpiring = "CIG-002";
inline constexpr const char* kWaiverExpired = "CIG-003";
inline constexpr const char* kWaiverExpiring = "CIG-004";
} // namespace codes

// `--fail-on LIST`: conditions that fail a CI run although the policy has no
// error. LIST is comma-separated:
//   expired              an exception past its expiry date (no longer emitted)
//   expiring=Nd          an exception with N days or fewer left (expired ones too)
//   waiver-expired       a waiver past its `until` date
//   waiver-expiring=Nd   a waiver with N days or fewer left (expired ones too)
//   warnings             every warning (like --strict)
//   CODE                 the warnings with this code (e.g. ANO-002, AIX-013)
struct FailOn {
    bool expired = false;
    std::optional<int> expiringDays;
    bool waiverExpired = false;
    std::optional<int> waiverExpiringDays;
    bool warnings = false;
    std::vector<std::string> codes;
    std::string spec; // as given, for messages

    bool empty() const {
        return !expired && !expiringDays && !waiverExpired && !waiverExpiringDays && !warnings &&
               codes.empty();
    }
};

// nullopt and `error` set on a malformed list.
std::optional<FailOn> parseFailOn(std::string_view spec, std::string& error);

// Reports one error per condition met (CIG-001..004, at the exception's
// `expires` or the waiver) and raises the selected warnings to errors.
// Returns the number of errors it added or raised.
size_t applyFailOn(const FailOn& failOn, const model::Policy& policy, model::Date asOf,
                   DiagnosticEngine& diags);

} // namespace netsep::review
