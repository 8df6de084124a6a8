#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace netsep::model {

// A calendar date (proleptic Gregorian) as days since 1970-01-01.
struct Date {
    int days = 0;

    static std::optional<Date> parse(std::string_view iso); // YYYY-MM-DD, validated
    static Date today();                                    // UTC
    std::string str() const;

    friend auto operator<=>(const Date&, const Date&) = default;
    friend int operator-(const Date& a, const Date& b) { return a.days - b.days; }
};

} // namespace netsep::model
