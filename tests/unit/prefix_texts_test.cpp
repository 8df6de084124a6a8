// vendor::prefixTexts: the texts of a prefix list, shared by content. Every
// vendor firewall prints them, so they must be exactly what formatting each
// prefix on its own gives, and one list must never get another's texts.
#include "backends/common/PrefixNormalize.hpp"
#include "backends/common/PrefixTexts.hpp"
#include "backends/common/VendorCommon.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace netsep;
using model::Family;
using model::IpPrefix;
using model::u128;

namespace {

// `n` scattered IPv6 /64s and IPv4 /24s, unsorted, with a covered prefix.
std::vector<IpPrefix> prefixes(unsigned n, unsigned seed) {
    std::vector<IpPrefix> v;
    for (unsigned i = 0; i < n; ++i) {
        u128 site = (u128(0xfd00u + seed) << 112) | (u128((i * 7919u) % 65536u) << 64);
        v.push_back({Family::V6, site, 64});
        v.push_back({Family::V4, (u128(10) << 24) | (u128((n - i) % 256) << 8), 24});
    }
    v.push_back({Family::V4, u128(10) << 24, 8}); // covers every /24 above
    return v;
}

void checkTexts(const std::vector<IpPrefix>& list) {
    const auto texts = backends::vendor::prefixTexts(list);
    const auto normal = backends::normalizePrefixes(list);
    REQUIRE(texts->size() == normal.size());
    for (std::size_t i = 0; i < normal.size(); ++i) {
        const auto& t = (*texts)[i];
        CHECK(t.prefix == normal[i]);
        CHECK(t.address == model::formatAddress(normal[i].family, normal[i].addr));
        CHECK(t.cidr == normal[i].str());
        CHECK(t.name == backends::vendor::prefixName(normal[i]));
    }
}

// The vendor backends name a prefix's address entry PrefixText::owned
// without asking their NameTable: it must be exactly what the table would
// hand out, whatever else the table named first (the objects' groups and
// sets, FQDN entries, the catch-all's "declared" set), and with prefixes
// of both families at their longest.
void checkOwnedNames(const std::vector<IpPrefix>& list) {
    using backends::vendor::NameTable;
    for (std::size_t maxLen : {std::size_t(63)}) {
        NameTable table(maxLen, backends::vendor::kOwnedPrefix);
        for (const char* reserved : {"netsep-all", "netsep-all6"})
            table.reserve(reserved);
        for (const char* raw : {"zone-net-10_0_0_0-8", "group-net6-fd00__-8", "saas-net-x",
                                "declared", "zone-NET-10_0_0_0-24", "net-"})
            table.name("set", raw);
        table.name("group4", "declared");
        table.name("group6", "declared-v6");
        table.name("fqdn", backends::vendor::fqdnName("net-10.example.com"));
        const auto texts = backends::vendor::prefixTexts(list);
        for (const auto& t : *texts) {
            CHECK(t.owned == table.name("prefix", t.name));
            CHECK(t.owned.size() <= maxLen);
        }
    }
}

} // namespace

TEST_CASE("prefix texts: what each prefix formats to, short lists and shared long ones") {
    checkTexts(prefixes(3, 1));   // formatted on each call
    checkTexts(prefixes(300, 2)); // shared
    checkTexts(prefixes(300, 3)); // another long list: its own texts
    checkTexts(prefixes(300, 2)); // the first again, from the cache
    const auto a = backends::vendor::prefixTexts(prefixes(300, 2));
    const auto b = backends::vendor::prefixTexts(prefixes(300, 2));
    CHECK(a == b); // one copy per content
    // More distinct lists than the cache keeps: still each its own texts.
    for (unsigned seed = 10; seed < 30; ++seed)
        checkTexts(prefixes(100, seed));
    checkTexts(prefixes(300, 3));
}

TEST_CASE("prefix texts: the owned name is the one a vendor name table gives") {
    checkOwnedNames(prefixes(3, 4));
    checkOwnedNames(prefixes(300, 5));
    const u128 ones = ~u128(0);
    checkOwnedNames({{Family::V6, ones, 128},
                     {Family::V4, (u128(1) << 32) - 1, 32},
                     {Family::V6, (ones >> 16) << 16, 112},
                     {Family::V4, 0, 0},
                     {Family::V6, 0, 0}});
}
