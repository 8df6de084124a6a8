#include "audit/ExpiryCalendar.hpp"

#include <algorithm>
#include <tuple>

namespace netsep::audit {

namespace {
constexpr int kScreeningValidDays = 184; // AIX-013
}

std::vector<CalendarEntry> expiryCalendar(const model::Policy& p, model::Date asOf, int days) {
    std::vector<CalendarEntry> out;
    const model::Date last{asOf.days + days};
    auto add = [&](CalendarEntry::Kind kind, model::Date date, uint32_t index, bool lapses) {
        if (asOf <= date && date <= last)
            out.push_back({kind, date, index, lapses});
    };
    for (uint32_t r = 0; r < p.rules.size(); ++r) {
        const auto& x = p.rules[r].exception;
        if (!x)
            continue;
        bool lapses = x->validUntil && *x->validUntil < x->expires;
        add(CalendarEntry::Kind::Exception, lapses ? *x->validUntil : x->expires, r, lapses);
    }
    for (uint32_t l = 0; l < p.letters.size(); ++l)
        if (p.letters[l].expires)
            add(CalendarEntry::Kind::Letter, *p.letters[l].expires, l, false);
    for (uint32_t w = 0; w < p.waivers.size(); ++w)
        add(CalendarEntry::Kind::Waiver, p.waivers[w].until, w, false);
    for (uint32_t s = 0; s < p.saas.size(); ++s)
        if (p.saas[s].screeningDate)
            add(CalendarEntry::Kind::Screening,
                model::Date{p.saas[s].screeningDate->days + kScreeningValidDays}, s, false);
    std::stable_sort(out.begin(), out.end(), [](const CalendarEntry& a, const CalendarEntry& b) {
        return std::tie(a.date, a.kind, a.index) < std::tie(b.date, b.kind, b.index);
    });
    return out;
}

} // namespace netsep::audit
