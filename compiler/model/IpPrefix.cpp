#include "model/IpPrefix.hpp"

#include <arpa/inet.h>

namespace netsep::model {

namespace {
u128 hostMask(Family f, unsigned len) {
    unsigned bits = IpPrefix::maxLen(f) - len;
    if (bits == 0)
        return 0;
    if (bits >= 128)
        return ~u128(0);
    return (u128(1) << bits) - 1;
}

bool parseDecimal(std::string_view s, unsigned max, unsigned& out) {
    if (s.empty() || s.size() > 3)
        return false;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + unsigned(c - '0');
    }
    if (v > max)
        return false;
    out = v;
    return true;
}
} // namespace

u128 IpPrefix::last() const {
    return addr | hostMask(family, len);
}

bool IpPrefix::contains(const IpPrefix& o) const {
    return family == o.family && o.len >= len && (o.addr & ~hostMask(family, len)) == addr;
}

// Written out by hand rather than with inet_ntop, which formats every
// group through sprintf: backends print the declared prefixes of a whole
// policy on every firewall, and that sprintf was a tenth of a compile. The
// text is inet_ntop's (RFC 5952: lowercase, no leading zeros, the first
// longest run of two or more zero groups as "::", ::a.b.c.d and
// ::ffff:a.b.c.d for IPv4-compatible and -mapped addresses); the unit tests
// compare the two.
namespace {
char* writeDecimal(char* p, unsigned v) {
    char digits[10];
    int n = 0;
    do {
        digits[n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = digits[--n];
    return p;
}

char* writeV4(char* p, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        p = writeDecimal(p, (v >> shift) & 255);
        if (shift)
            *p++ = '.';
    }
    return p;
}

char* writeHex(char* p, unsigned v) {
    static constexpr char kHex[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 15;
        if (d || started || shift == 0) {
            *p++ = kHex[d];
            started = true;
        }
    }
    return p;
}
} // namespace

std::string formatAddress(Family f, u128 a) {
    char buf[64];
    char* p = buf;
    if (f == Family::V4)
        return std::string(buf, writeV4(p, static_cast<uint32_t>(a)));
    unsigned words[8];
    for (int i = 0; i < 8; ++i)
        words[i] = static_cast<unsigned>(a >> (112 - 16 * i)) & 0xffff;
    int best = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (words[i]) {
            ++i;
            continue;
        }
        int start = i;
        while (i < 8 && words[i] == 0)
            ++i;
        if (i - start > bestLen) {
            best = start;
            bestLen = i - start;
        }
    }
    if (bestLen < 2)
        best = -1;
    for (int i = 0; i < 8; ++i) {
        if (best >= 0 && i >= best && i < best + bestLen) {
            if (i == best)
                *p++ = ':';
            continue;
        }
        if (i)
            *p++ = ':';
        if (i == 6 && best == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
            p = writeV4(p, static_cast<uint32_t>(a));
            return std::string(buf, p);
        }
        p = writeHex(p, words[i]);
    }
    if (best >= 0 && best + bestLen == 8)
        *p++ = ':';
    return std::string(buf, p);
}

std::string IpPrefix::str() const {
    return formatAddress(family, addr) + "/" + std::to_string(len);
}

std::optional<IpPrefix> parsePrefix(std::string_view text, std::string& error) {
    std::string_view addrPart = text;
    std::optional<unsigned> len;
    if (auto slash = text.find('/'); slash != std::string_view::npos) {
        addrPart = text.substr(0, slash);
        unsigned l = 0;
        if (!parseDecimal(text.substr(slash + 1), 128, l)) {
            error = "prefix length must be a number";
            return std::nullopt;
        }
        len = l;
    }
    IpPrefix p;
    if (addrPart.find(':') != std::string_view::npos) {
        p.family = Family::V6;
        std::string s(addrPart);
        unsigned char bytes[16];
        if (s.size() > 45 || inet_pton(AF_INET6, s.c_str(), bytes) != 1) {
            error = "not a valid IPv6 address";
            return std::nullopt;
        }
        for (unsigned char b : bytes)
            p.addr = (p.addr << 8) | b;
        // ::ffff:a.b.c.d never appears in an IPv6 packet: it is how a
        // dual-stack socket shows the IPv4 peer a.b.c.d, whose packets are
        // IPv4. A rule on it would match nothing on the wire.
        if (p.addr >> 32 == 0xffff && (!len || *len >= 96)) {
            error = "an IPv4-mapped IPv6 address stands for the IPv4 address " +
                    formatAddress(Family::V4, p.addr & 0xffffffffu) +
                    ", which travels as IPv4; write the IPv4 form";
            return std::nullopt;
        }
    } else {
        p.family = Family::V4;
        uint32_t v = 0;
        size_t start = 0;
        for (int i = 0; i < 4; ++i) {
            size_t dot = addrPart.find('.', start);
            if ((i < 3) != (dot != std::string_view::npos)) {
                error = "not a valid IPv4 address (expected four numbers 0-255)";
                return std::nullopt;
            }
            unsigned octet = 0;
            const std::string_view digits =
                addrPart.substr(start, i < 3 ? dot - start : std::string_view::npos);
            if (!parseDecimal(digits, 255, octet)) {
                error = "not a valid IPv4 address (expected four numbers 0-255)";
                return std::nullopt;
            }
            if (digits.size() > 1 && digits[0] == '0') {
                // Tools disagree on "010": octal 8 (inet_aton, ping) or 10.
                error = "an IPv4 number with a leading zero ('" + std::string(digits) +
                        "') is ambiguous (octal to some tools, decimal to others); write it "
                        "without leading zeros";
                return std::nullopt;
            }
            v = (v << 8) | octet;
            start = dot + 1;
        }
        p.addr = v;
    }
    unsigned max = IpPrefix::maxLen(p.family);
    p.len = static_cast<uint8_t>(len.value_or(max));
    if (p.len > max) {
        error = "prefix length is longer than " + std::to_string(max);
        return std::nullopt;
    }
    if (p.addr & hostMask(p.family, p.len)) {
        IpPrefix net = p;
        net.addr &= ~hostMask(p.family, p.len);
        error = "host bits are set; did you mean " + net.str() + "?";
        return std::nullopt;
    }
    return p;
}

} // namespace netsep::model
