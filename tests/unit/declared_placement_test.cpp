// lower::DeclaredPlacement: where an address object lies against the
// declared set, shared by the nftables split chains and the iptables
// classification chains.
#include "lower/DeclaredPlacement.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace netsep;
using lower::Placement;
using model::Family;

namespace {

std::vector<model::IpPrefix> prefixes(std::initializer_list<const char*> texts) {
    std::vector<model::IpPrefix> out;
    for (const char* t : texts) {
        std::string error;
        auto p = model::parsePrefix(t, error);
        REQUIRE_MESSAGE(p, error);
        out.push_back(*p);
    }
    return out;
}

model::AddressSet set(std::initializer_list<const char*> texts) {
    return model::AddressSet::of(prefixes(texts));
}

} // namespace

TEST_CASE("placeAgainst: empty, outside, declared, both") {
    const auto declared = set({"10.1.0.0/24", "10.3.0.0/24"});
    CHECK(lower::placeAgainst(declared, set({})) == Placement::Empty);
    CHECK(lower::placeAgainst(declared, set({"10.2.0.0/24"})) == Placement::Outside);
    CHECK(lower::placeAgainst(declared, set({"10.1.0.5", "10.3.0.0/25"})) == Placement::Declared);
    // scattered: one prefix in, one out
    CHECK(lower::placeAgainst(declared, set({"10.1.0.5", "10.2.0.5"})) == Placement::Both);
    // a prefix that covers a declared one and more
    CHECK(lower::placeAgainst(declared, set({"10.0.0.0/8"})) == Placement::Both);
    // nothing declared: everything is outside
    CHECK(lower::placeAgainst(set({}), set({"10.2.0.0/24"})) == Placement::Outside);
}

TEST_CASE("DeclaredPlacement: per object and family, negated objects are the catch-all") {
    lower::LoweredFirewall fw;
    fw.declaredV4 = prefixes({"10.1.0.0/24", "10.3.0.0/24"});
    fw.declaredV6 = prefixes({"fd00:1::/64"});
    lower::AddressObject internet;
    internet.name = "internet";
    internet.negatedV4 = internet.negatedV6 = true;
    lower::AddressObject zone;
    zone.name = "z";
    zone.v4 = prefixes({"10.1.0.0/24", "10.3.0.0/24"});
    zone.v6 = prefixes({"fd00:1::/64"});
    lower::AddressObject span; // one prefix in a zone, one outside every zone
    span.name = "span";
    span.v4 = prefixes({"10.1.0.9", "192.0.2.0/28"});
    lower::AddressObject saas; // outside every zone, IPv6 only
    saas.name = "saas";
    saas.v6 = prefixes({"2001:db8::/48", "2001:db8:9::/48"});
    fw.objects = {internet, zone, span, saas};

    const lower::DeclaredPlacement p(fw);
    CHECK(p.of(0, Family::V4) == Placement::CatchAll);
    CHECK(p.of(0, Family::V6) == Placement::CatchAll);
    CHECK(p.addresses(0, Family::V4) == set({"0.0.0.0/0"}));
    CHECK(p.of(1, Family::V4) == Placement::Declared);
    CHECK(p.of(1, Family::V6) == Placement::Declared);
    CHECK(p.of(2, Family::V4) == Placement::Both);
    CHECK(p.of(2, Family::V6) == Placement::Empty);
    CHECK(p.of(3, Family::V4) == Placement::Empty);
    CHECK(p.of(3, Family::V6) == Placement::Outside);
    CHECK(p.addresses(2, Family::V4) == set({"10.1.0.9", "192.0.2.0/28"}));
    CHECK(p.declared(Family::V6) == set({"fd00:1::/64"}));
    CHECK_THROWS(p.of(4, Family::V4));
}
