#pragma once
#include "model/Policy.hpp"

#include <string>
#include <vector>

namespace netsep::audit {

// Something that expires or falls due on a date: what an auditor puts in
// the diary after the visit.
struct CalendarEntry {
    enum class Kind : uint8_t { Exception, Letter, Waiver, Screening } kind = Kind::Exception;
    model::Date date;
    uint32_t index = 0; // rule, letter, waiver or saas index
    // Exception: it ends because its basis lapses before its own expiry.
    bool basisLapses = false;
};

// Every exception end (its expiry, or its basis's lapse if earlier), letter
// lapse, waiver end and SaaS re-screening due date (screening + 184 days)
// from `asOf` through `asOf + days`, by date.
std::vector<CalendarEntry> expiryCalendar(const model::Policy& policy, model::Date asOf,
                                          int days = 90);

} // namespace netsep::audit
