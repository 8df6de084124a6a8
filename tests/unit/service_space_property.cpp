// Property test: SpaceTable's shortcuts (signature rejection, unmemoised
// subset, one-merge union, hash interning) agree with the plain set
// operations on random service spaces. Ports are drawn from a small window
// around a few values so that overlaps, adjacency and residue collisions of
// the signature (p mod 61) are all common.
#include "analysis/ServiceSpace.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace netsep;
using namespace netsep::analysis;

namespace {

ServiceSpace randomSpace(std::mt19937& rng) {
    auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    ServiceSpace s;
    const uint32_t entries = pick(5);
    for (uint32_t i = 0; i < entries; ++i) {
        model::ServiceEntry e;
        const uint32_t kind = pick(20);
        if (kind == 0) {
            e.proto = model::Proto::Any;
        } else if (kind < 3) {
            e.proto = kind == 1 ? model::Proto::Icmp : model::Proto::Icmpv6;
            e.icmpType = pick(4) == 0 ? -1 : static_cast<int>(pick(4));
        } else {
            e.proto = pick(3) == 0 ? model::Proto::Udp : model::Proto::Tcp;
            // Bases 61 apart share residues; widths cross the 61 boundary.
            const uint32_t base = (pick(3) * 61 + pick(8)) + (pick(10) == 0 ? 65000 : 1000);
            const uint32_t width = pick(4) == 0 ? 55 + pick(10) : pick(4);
            e.ports = {static_cast<uint16_t>(base),
                       static_cast<uint16_t>(std::min<uint32_t>(65535, base + width))};
        }
        s.add(e);
    }
    return s;
}

} // namespace

TEST_CASE("service space: property - table shortcuts equal the set operations") {
    std::mt19937 rng(20261122);
    SpaceTable t;
    std::vector<ServiceSpace> spaces;
    std::vector<SpaceTable::Id> ids;
    for (int i = 0; i < 300; ++i) {
        spaces.push_back(randomSpace(rng));
        ids.push_back(t.intern(spaces.back()));
    }
    size_t subsets = 0, rejectedBySignature = 0;
    for (size_t i = 0; i < spaces.size(); ++i) {
        // Interning: equal spaces share an id, different ones do not.
        CHECK(t.get(ids[i]) == spaces[i]);
        for (size_t j = 0; j < spaces.size(); ++j) {
            const bool expected = spaces[i].subtract(spaces[j]).empty();
            CAPTURE(spaces[i].str());
            CAPTURE(spaces[j].str());
            CHECK(t.subset(ids[i], ids[j]) == expected);
            CHECK(spaces[i].subsetOf(spaces[j]) == expected);
            CHECK((ids[i] == ids[j]) == (spaces[i] == spaces[j]));
            const auto& a = t.signature(ids[i]);
            const auto& b = t.signature(ids[j]);
            const bool sigSubset = !(a[0] & ~b[0]) && !(a[1] & ~b[1]);
            if (expected)
                CHECK(sigSubset); // monotone: a subset never fails the signature
            subsets += expected;
            rejectedBySignature += !sigSubset;
        }
    }
    // Both outcomes occur often enough for the checks to mean something.
    CHECK(subsets > 500);
    CHECK(rejectedBySignature > 10000);

    for (int round = 0; round < 500; ++round) {
        std::vector<SpaceTable::Id> pick;
        ServiceSpace chain;
        const size_t n = rng() % 8;
        for (size_t k = 0; k < n; ++k) {
            const size_t i = rng() % spaces.size();
            pick.push_back(ids[i]);
            chain = chain.unite(spaces[i]);
        }
        CHECK(t.get(t.uniteAll(pick)) == chain);
    }
}
