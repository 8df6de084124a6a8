#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netsep::model {

using u128 = unsigned __int128;

enum class Family : uint8_t { V4, V6 };

// An address prefix; v4 addresses live in the low 32 bits of `addr`.
// Host bits are always zero (parse() reports a prefix with host bits set).
struct IpPrefix {
    Family family = Family::V4;
    u128 addr = 0;
    uint8_t len = 0;

    static unsigned maxLen(Family f) { return f == Family::V4 ? 32 : 128; }
    u128 first() const { return addr; }
    u128 last() const;
    bool contains(const IpPrefix& o) const;
    std::string str() const;

    friend bool operator==(const IpPrefix& a, const IpPrefix& b) {
        return a.family == b.family && a.addr == b.addr && a.len == b.len;
    }
    friend bool operator<(const IpPrefix& a, const IpPrefix& b) {
        if (a.family != b.family)
            return a.family < b.family;
        if (a.addr != b.addr)
            return a.addr < b.addr;
        return a.len < b.len;
    }
};

// Parses "10.1.0.0/16", "fd00::/48" or a bare address (a host prefix).
// On failure returns nullopt and sets `error` to a user-facing reason.
std::optional<IpPrefix> parsePrefix(std::string_view text, std::string& error);
std::string formatAddress(Family f, u128 addr);

} // namespace netsep::model
