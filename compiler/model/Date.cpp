#include "model/Date.hpp"

#include <chrono>
#include <cstdio>

namespace netsep::model {

std::optional<Date> Date::parse(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    int parts[3] = {0, 0, 0};
    size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
    for (int i = 0; i < 3; ++i)
        for (size_t k = 0; k < lens[i]; ++k) {
            char c = s[starts[i] + k];
            if (c < '0' || c > '9')
                return std::nullopt;
            parts[i] = parts[i] * 10 + (c - '0');
        }
    using namespace std::chrono;
    year_month_day ymd{year{parts[0]}, month{unsigned(parts[1])}, day{unsigned(parts[2])}};
    if (!ymd.ok() || parts[0] < 1970)
        return std::nullopt;
    return Date{static_cast<int>(sys_days(ymd).time_since_epoch().count())};
}

Date Date::today() {
    using namespace std::chrono;
    auto d = floor<std::chrono::days>(system_clock::now());
    return Date{static_cast<int>(d.time_since_epoch().count())};
}

std::string Date::str() const {
    using namespace std::chrono;
    year_month_day ymd{sys_days{std::chrono::days{this->days}}};
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
             unsigned(ymd.day()));
    return buf;
}

} // namespace netsep::model
