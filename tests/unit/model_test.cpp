#include "model/AddressSet.hpp"
#include "model/Date.hpp"
#include "model/IpPrefix.hpp"
#include "sema/ServiceSpec.hpp"

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
