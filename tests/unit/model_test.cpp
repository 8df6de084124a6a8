#include "model/AddressSet.hpp"
#include "model/Date.hpp"
#include "model/IpPrefix.hpp"
#include "sema/ServiceSpec.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>

using namespace netsep::model;

static IpPrefix P(const char* s) {
    std::string err;
    auto p = parsePrefix(s, err);
    REQUIRE_MESSAGE(p, err);
    return *p;
}

TEST_CASE("model: prefixes parse and print canonically") {
    CHECK(P("10.1.0.0/16").str() == "10.1.0.0/16");
    CHECK(P("192.0.2.10").str() == "192.0.2.10/32");
    CHECK(P("fd00:10::/48").str() == "fd00:10::/48");
    CHECK(P("::/0").str() == "::/0");
    CHECK(P("FD00:0010:0000::/48").str() == "fd00:10::/48");
    std::string err;
    CHECK_FALSE(parsePrefix("10.1.0.1/16", err));
    CHECK(err.find("did you mean 10.1.0.0/16") != std::string::npos);
    CHECK_FALSE(parsePrefix("10.1.0/16", err));
    CHECK_FALSE(parsePrefix("256.1.1.1", err));
    CHECK_FALSE(parsePrefix("10.1.1.1/33", err));
    CHECK_FALSE(parsePrefix("fd00::/129", err));
    CHECK_FALSE(parsePrefix("010.1.1.1/", err));
    CHECK(P("10.0.0.0/8").contains(P("10.1.0.0/16")));
    CHECK_FALSE(P("10.1.0.0/16").contains(P("10.0.0.0/8")));
}

// formatAddress writes IPv6 text by hand (for speed); it must stay
// inet_ntop's text exactly, or every generated config changes.
TEST_CASE("model: addresses print exactly as inet_ntop prints them") {
    auto viaNtop = [](Family f, u128 a) {
        char buf[INET6_ADDRSTRLEN];
        unsigned char bytes[16];
        if (f == Family::V4) {
            auto v = static_cast<uint32_t>(a);
            for (int i = 0; i < 4; ++i)
                bytes[i] = static_cast<unsigned char>(v >> (24 - 8 * i));
            return std::string(inet_ntop(AF_INET, bytes, buf, sizeof buf));
        }
        for (int i = 15; i >= 0; --i, a >>= 8)
            bytes[i] = static_cast<unsigned char>(a & 0xff);
        return std::string(inet_ntop(AF_INET6, bytes, buf, sizeof buf));
    };
    // Every IPv6 address whose groups are each 0, 1, 0xffff or 0x0a0b: all
    // placements of zero runs (ties, ends, the embedded IPv4 forms).
    const unsigned kinds[] = {0, 1, 0xffff, 0x0a0b};
    size_t mismatches = 0;
    for (unsigned pick = 0; pick < (1u << 16); ++pick) {
        u128 a = 0;
        for (int i = 0; i < 8; ++i)
            a = (a << 16) | kinds[(pick >> (2 * i)) & 3];
        if (formatAddress(Family::V6, a) != viaNtop(Family::V6, a))
            ++mismatches;
    }
    // And pseudo-random addresses and IPv4 addresses (zero octets included).
    uint64_t x = 0x9e3779b97f4a7c15ull;
    auto next = [&] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (int i = 0; i < 20000; ++i) {
        u128 a = (u128(next()) << 64) | next();
        // Zero some groups so that runs occur.
        uint64_t zeros = next();
        for (int g = 0; g < 8; ++g)
            if ((zeros >> (2 * g) & 3) == 0)
                a &= ~(u128(0xffff) << (16 * g));
        if (formatAddress(Family::V6, a) != viaNtop(Family::V6, a))
            ++mismatches;
        u128 v4 = next() & (next() | 0xff00ff00u) & 0xffffffffu;
        if (formatAddress(Family::V4, v4) != viaNtop(Family::V4, v4))
            ++mismatches;
    }
    CHECK(mismatches == 0);
    CHECK(formatAddress(Family::V6, (u128(0xffff) << 32) | 0x0a000001u) == "::ffff:10.0.0.1");
    CHECK(formatAddress(Family::V4, 0) == "0.0.0.0");
}

TEST_CASE("model: address sets subtract and re-cover with minimal prefixes") {
    AddressSet s = AddressSet::of({P("0.0.0.0/0")});
    s.subtract(P("10.0.0.0/8"));
    auto v = s.prefixes(Family::V4);
    // 0/0 minus 10/8 needs one prefix per bit of 10/8's position.
    CHECK(v.size() == 8);
    CHECK_FALSE(s.contains(P("10.1.2.3")));
    CHECK(s.contains(P("11.0.0.0/8")));
    AddressSet whole = AddressSet::of({P("::/0")});
    REQUIRE(whole.prefixes(Family::V6).size() == 1);
    CHECK(whole.prefixes(Family::V6)[0].str() == "::/0");
    AddressSet adj = AddressSet::of({P("10.0.0.0/25"), P("10.0.0.128/25")});
    REQUIRE(adj.prefixes(Family::V4).size() == 1);
    CHECK(adj.prefixes(Family::V4)[0].str() == "10.0.0.0/24");
    CHECK(adj.intersects(AddressSet::of({P("10.0.0.7")})));
    CHECK_FALSE(adj.intersects(AddressSet::of({P("10.0.1.7")})));
}

TEST_CASE("model: dates are validated calendar dates") {
    auto d = Date::parse("2026-06-23");
    REQUIRE(d);
    CHECK(d->str() == "2026-06-23");
    CHECK(*Date::parse("2027-06-22") - *d == 364);
    CHECK_FALSE(Date::parse("2026-02-30"));
    CHECK_FALSE(Date::parse("2026-6-23"));
    CHECK_FALSE(Date::parse("yesterday"));
    CHECK(Date::parse("2028-02-29"));
}

TEST_CASE("sema: service clauses") {
    std::string err;
    auto e = netsep::sema::parseServiceEntry("tcp/8000-8010", err);
    REQUIRE(e);
    CHECK(e->proto == Proto::Tcp);
    CHECK(e->ports.lo == 8000);
    CHECK(e->ports.hi == 8010);
    e = netsep::sema::parseServiceEntry("icmp/echo-request", err);
    REQUIRE(e);
    CHECK(e->icmpType == 8);
    e = netsep::sema::parseServiceEntry("icmpv6/128", err);
    REQUIRE(e);
    CHECK(e->icmpName == "echo-request");
    e = netsep::sema::parseServiceEntry("udp", err);
    REQUIRE(e);
    CHECK(e->ports.all());
    CHECK_FALSE(netsep::sema::parseServiceEntry("tcp/0", err));
    CHECK_FALSE(netsep::sema::parseServiceEntry("tcp/65536", err));
    CHECK_FALSE(netsep::sema::parseServiceEntry("tcp/90-80", err));
    CHECK_FALSE(netsep::sema::parseServiceEntry("sctp/9", err));
    CHECK_FALSE(netsep::sema::parseServiceEntry("icmp/bogus", err));
}
