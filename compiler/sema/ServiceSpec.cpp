#include "sema/ServiceSpec.hpp"

#include <array>
#include <charconv>

namespace netsep::sema {

namespace {

struct IcmpName {
    const char* name;
    int type;
};

// IANA ICMP / ICMPv6 type numbers, named as nftables and iptables name them.
constexpr std::array<IcmpName, 11> kIcmp{{{"echo-reply", 0},
                                          {"destination-unreachable", 3},
                                          {"source-quench", 4},
                                          {"redirect", 5},
                                          {"echo-request", 8},
                                          {"router-advertisement", 9},
                                          {"router-solicitation", 10},
                                          {"time-exceeded", 11},
                                          {"parameter-problem", 12},
                                          {"timestamp-request", 13},
                                          {"timestamp-reply", 14}}};
constexpr std::array<IcmpName, 10> kIcmpv6{{{"destination-unreachable", 1},
                                            {"packet-too-big", 2},
                                            {"time-exceeded", 3},
                                            {"parameter-problem", 4},
                                            {"echo-request", 128},
                                            {"echo-reply", 129},
                                            {"nd-router-solicit", 133},
                                            {"nd-router-advert", 134},
                                            {"nd-neighbor-solicit", 135},
                                            {"nd-neighbor-advert", 136}}};

bool parseNumber(std::string_view s, unsigned max, unsigned& out) {
    if (s.empty() || s.size() > 5)
        return false;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size() && out <= max;
}

template <size_t N>
bool icmpType(const std::array<IcmpName, N>& table, std::string_view s, model::ServiceEntry& e) {
    unsigned n = 0;
    if (parseNumber(s, 255, n)) {
        e.icmpType = int(n);
        e.icmpName = std::to_string(n);
        for (const auto& t : table)
            if (t.type == int(n))
                e.icmpName = t.name;
        return true;
    }
    for (const auto& t : table)
        if (s == t.name) {
            e.icmpType = t.type;
            e.icmpName = t.name;
            return true;
        }
    return false;
}

} // namespace

bool looksLikeServiceSpec(std::string_view text) {
    auto proto = text.substr(0, text.find('/'));
    return proto == "tcp" || proto == "udp" || proto == "icmp" || proto == "icmpv6";
}

std::optional<model::ServiceEntry> parseServiceEntry(std::string_view text, std::string& error) {
    size_t slash = text.find('/');
    std::string_view proto = text.substr(0, slash);
    std::string_view arg =
        slash == std::string_view::npos ? std::string_view() : text.substr(slash + 1);
    model::ServiceEntry e;
    if (proto == "tcp" || proto == "udp") {
        e.proto = proto == "tcp" ? model::Proto::Tcp : model::Proto::Udp;
        if (slash == std::string_view::npos || arg == "any")
            return e; // every port
        size_t dash = arg.find('-');
        unsigned lo = 0, hi = 0;
        if (!parseNumber(arg.substr(0, dash), 65535, lo) ||
            (dash != std::string_view::npos && !parseNumber(arg.substr(dash + 1), 65535, hi))) {
            error = "port must be a number 1-65535 or a range like 8000-8010";
            return std::nullopt;
        }
        if (dash == std::string_view::npos)
            hi = lo;
        if (lo == 0) {
            error = "port 0 cannot be matched; ports are 1-65535";
            return std::nullopt;
        }
        if (hi < lo) {
            error =
                "port range is reversed (" + std::to_string(lo) + " > " + std::to_string(hi) + ")";
            return std::nullopt;
        }
        e.ports = {uint16_t(lo), uint16_t(hi)};
        return e;
    }
    if (proto == "icmp" || proto == "icmpv6") {
        bool v6 = proto == "icmpv6";
        e.proto = v6 ? model::Proto::Icmpv6 : model::Proto::Icmp;
        if (slash == std::string_view::npos || arg == "any")
            return e;
        bool ok = v6 ? icmpType(kIcmpv6, arg, e) : icmpType(kIcmp, arg, e);
        if (!ok) {
            error = std::string("unknown ") + (v6 ? "ICMPv6" : "ICMP") +
                    " type; use a number 0-255 or a name such as echo-request";
            return std::nullopt;
        }
        return e;
    }
    error = "unknown protocol '" + std::string(proto) + "'; expected tcp, udp, icmp or icmpv6";
    return std::nullopt;
}

} // namespace netsep::sema
