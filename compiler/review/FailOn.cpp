#include "review/FailOn.hpp"

#include "analysis/WaivedPaths.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace netsep::review {

namespace {

// "30d" or "30" -> 30 (days, 0..36500).
std::optional<int> parseDays(std::string_view text) {
    if (!text.empty() && text.back() == 'd')
        text.remove_suffix(1);
    int n = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 0 || n > 36500)
        return std::nullopt;
    return n;
}

bool looksLikeCode(std::string_view s) {
    // E501, W303, ANO-002, AIX-013, ZSG-008, CIG-001 ...
    if (s.empty() || !std::isupper(static_cast<unsigned char>(s[0])))
        return false;
    bool digit = false;
    for (char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c)))
            digit = true;
        else if (!std::isupper(static_cast<unsigned char>(c)) && c != '-')
            return false;
    }
    return digit;
}

std::string daysText(int days) {
    if (days == 0)
        return "today";
    if (days > 0)
        return fmt::format("in {} day{}", days, days == 1 ? "" : "s");
    return fmt::format("{} day{} ago", -days, days == -1 ? "" : "s");
}

} // namespace

std::optional<FailOn> parseFailOn(std::string_view spec, std::string& error) {
    FailOn f;
    f.spec = std::string(spec);
    size_t start = 0;
    while (start <= spec.size()) {
        size_t comma = spec.find(',', start);
        std::string_view item =
            spec.substr(start, comma == std::string_view::npos ? spec.npos : comma - start);
        start = comma == std::string_view::npos ? spec.size() + 1 : comma + 1;
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (item.empty()) {
            error = "--fail-on: empty item in '" + f.spec + "'";
            return std::nullopt;
        }
        size_t eq = item.find('=');
        std::string_view key = item.substr(0, eq);
        std::optional<int> days;
        if (eq != std::string_view::npos) {
            days = parseDays(item.substr(eq + 1));
            if (!days) {
                error = "--fail-on: '" + std::string(item) +
                        "': the value must be a number of days (e.g. 30d)";
                return std::nullopt;
            }
        }
        auto noValue = [&]() {
            if (eq == std::string_view::npos)
                return true;
            error = "--fail-on: '" + std::string(key) + "' takes no value";
            return false;
        };
        auto needsValue = [&]() {
            if (eq != std::string_view::npos)
                return true;
            error = "--fail-on: '" + std::string(key) + "' needs a number of days (" +
                    std::string(key) + "=30d)";
            return false;
        };
        if (key == "expired") {
            if (!noValue())
                return std::nullopt;
            f.expired = true;
        } else if (key == "expiring") {
            if (!needsValue())
                return std::nullopt;
            f.expiringDays = days;
        } else if (key == "waiver-expired") {
            if (!noValue())
                return std::nullopt;
            f.waiverExpired = true;
        } else if (key == "waiver-expiring") {
            if (!needsValue())
                return std::nullopt;
            f.waiverExpiringDays = days;
        } else if (key == "warnings") {
            if (!noValue())
                return std::nullopt;
            f.warnings = true;
        } else if (looksLikeCode(key) && eq == std::string_view::npos) {
            f.codes.emplace_back(key);
        } else {
            error = "--fail-on: unknown condition '" + std::string(item) +
                    "' (expected expired, expiring=Nd, waiver-expired, waiver-expiring=Nd, "
                    "warnings or a diagnostic code such as ANO-002)";
            return std::nullopt;
        }
    }
    return f;
}

size_t applyFailOn(const FailOn& f, const model::Policy& policy, model::Date asOf,
                   DiagnosticEngine& diags) {
    size_t added = 0;
    const std::string why = " (--fail-on " + f.spec + ")";
    for (const model::Rule& r : policy.rules) {
        if (!r.exception)
            continue;
        const model::Date expires = r.exception->expires;
        const int left = expires - asOf;
        const SourceSpan at = r.exception->expiresSpan.valid() ? r.exception->expiresSpan : r.span;
        if (f.expired && left < 0) {
            diags.error(codes::kExceptionExpired, at,
                        fmt::format("exception {} expired on {} ({}): no backend emits it any "
                                    "more{}",
                                    r.name, expires.str(), daysText(left), why));
            ++added;
        } else if (f.expiringDays && left <= *f.expiringDays) {
            diags.error(codes::kExceptionExpiring, at,
                        fmt::format("exception {} expires on {} ({}), within {} days{}", r.name,
                                    expires.str(), daysText(left), *f.expiringDays, why));
            ++added;
        }
    }
    for (const model::Waiver& w : policy.waivers) {
        const int left = w.until - asOf;
        const std::string hop = analysis::waiverHopText(policy, w);
        if (f.waiverExpired && left < 0) {
            diags.error(codes::kWaiverExpired, w.span,
                        fmt::format("waiver of hop {} (ticket {}) expired on {} ({}){}", hop,
                                    w.ticket, w.until.str(), daysText(left), why));
            ++added;
        } else if (f.waiverExpiringDays && left <= *f.waiverExpiringDays) {
            diags.error(codes::kWaiverExpiring, w.span,
                        fmt::format("waiver of hop {} (ticket {}) ends on {} ({}), within {} "
                                    "days{}",
                                    hop, w.ticket, w.until.str(), daysText(left),
                                    *f.waiverExpiringDays, why));
            ++added;
        }
    }
    added += diags.raiseToErrors([&](const Diagnostic& d) {
        return f.warnings || std::find(f.codes.begin(), f.codes.end(), d.code) != f.codes.end();
    });
    return added;
}

} // namespace netsep::review
