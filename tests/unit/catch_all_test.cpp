// The catch-all zone (the one declaring 0.0.0.0/0 or ::/0) lowered as a
// negated address object: "every address outside the declared set".
#include "TestPolicy.hpp"
#include "backends/iptables/IptablesBackend.hpp"
#include "backends/nftables/NftablesBackend.hpp"
#include "lower/ExplicitAddresses.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

using netsep::test::compileText;
using namespace netsep;

namespace {

// Zones on no interface of fw, a prefix that internet takes back inside
// corp (longest prefix), a SaaS endpoint, and scattered IPv6 /64s.
const char* kPolicy = R"(
zone internet { kind internet level open networks 0.0.0.0/0, ::/0, 10.99.57.0/24 }
zone dmz { kind dmz level open networks 10.99.50.0/24, fd99:50:a:1::/64 }
zone app { kind internal level sensitive networks 10.99.51.0/24, fd99:51:7:3::/64 }
zone remote { kind internal level sensitive networks 10.99.52.0/24, fd99:52:9:c::/64 }
zone corp { kind internal level sensitive networks 10.99.56.0/22 }
saas ai { provider "p" fqdn api.example.com networks 10.99.58.0/24 screening "r" on 2026-05-30 }
group partners in internet { 10.99.0.64/26 }
deny no-rdp { from any to any service tcp/3389 }
access web-in { from internet to dmz service tcp/443 justification "j" owner "o" }
access partner-in { from partners to dmz service tcp/990 justification "j" owner "o" }
access dmz-out { from dmz to internet service tcp/80 justification "j" owner "o" }
firewall fw { backend nftables, iptables
  interface eth0 zone internet interface eth1 zone dmz interface eth2 zone app }
)";

std::vector<std::string> strs(const std::vector<model::IpPrefix>& v) {
    std::vector<std::string> out;
    for (const auto& p : v)
        out.push_back(p.str());
    return out;
}

lower::LoweredFirewall lowered(const char* text) {
    auto c = compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    return fws[0];
}

const lower::AddressObject& object(const lower::LoweredFirewall& fw, const std::string& name) {
    auto it = std::find_if(fw.objects.begin(), fw.objects.end(),
                           [&](const auto& o) { return o.name == name; });
    REQUIRE(it != fw.objects.end());
    return *it;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("address set: complement of one family") {
    std::string err;
    auto p = [&](const char* t) { return *model::parsePrefix(t, err); };
    auto s = model::AddressSet::of({p("10.0.0.0/8"), p("192.0.2.0/24"), p("fd00::/8")});
    CHECK(strs(s.complement(model::Family::V4).prefixes(model::Family::V4)) ==
          strs(model::AddressSet::of(
                   {p("0.0.0.0/5"),     p("8.0.0.0/7"),     p("11.0.0.0/8"),    p("12.0.0.0/6"),
                    p("16.0.0.0/4"),    p("32.0.0.0/3"),    p("64.0.0.0/2"),    p("128.0.0.0/2"),
                    p("192.0.0.0/23"),  p("192.0.3.0/24"),  p("192.0.4.0/22"),  p("192.0.8.0/21"),
                    p("192.0.16.0/20"), p("192.0.32.0/19"), p("192.0.64.0/18"), p("192.0.128.0/17"),
                    p("192.1.0.0/16"),  p("192.2.0.0/15"),  p("192.4.0.0/14"),  p("192.8.0.0/13"),
                    p("192.16.0.0/12"), p("192.32.0.0/11"), p("192.64.0.0/10"), p("192.128.0.0/9"),
                    p("193.0.0.0/8"),   p("194.0.0.0/7"),   p("196.0.0.0/6"),   p("200.0.0.0/5"),
                    p("208.0.0.0/4"),   p("224.0.0.0/3")})
                   .prefixes(model::Family::V4)));
    CHECK(strs(model::AddressSet::of({p("0.0.0.0/0")})
                   .complement(model::Family::V4)
                   .prefixes(model::Family::V4))
              .empty());
    CHECK(strs(model::AddressSet().complement(model::Family::V6).prefixes(model::Family::V6)) ==
          std::vector<std::string>{"::/0"});
    // the edges: the first and the last address of the family
    auto edges = model::AddressSet::of({p("0.0.0.0/8"), p("255.255.255.255/32")});
    auto mid = edges.complement(model::Family::V4).ranges();
    REQUIRE(mid.size() == 1);
    CHECK(mid[0].lo == 0x01000000u);
    CHECK(mid[0].hi == 0xfffffffeu);
}

TEST_CASE("lower: the catch-all zone is every address outside the declared set") {
    auto fw = lowered(kPolicy);
    const auto& internet = object(fw, "zone-internet");
    CHECK(internet.negatedV4);
    CHECK(internet.negatedV6);
    CHECK(internet.v4.empty());
    CHECK(internet.v6.empty());
    // Every other zone and the SaaS endpoint, also those on no interface of
    // fw; internet's own 10.99.57.0/24 is cut out of corp's /22.
    CHECK(strs(fw.declaredV4) == std::vector<std::string>{"10.99.50.0/23", "10.99.52.0/24",
                                                          "10.99.56.0/24", "10.99.58.0/23"});
    CHECK(strs(fw.declaredV6) ==
          std::vector<std::string>{"fd99:50:a:1::/64", "fd99:51:7:3::/64", "fd99:52:9:c::/64"});
    // Groups and SaaS endpoints stay explicit.
    CHECK_FALSE(object(fw, "group-partners").negatedV4);
    CHECK(strs(object(fw, "group-partners").v4) == std::vector<std::string>{"10.99.0.64/26"});
    // Rules keep both families.
    for (const auto& p : fw.pairs)
        for (const auto& r : p.rules)
            if (r.policyRule == "web-in")
                CHECK((r.v4 && r.v6));
}

TEST_CASE("lower: listing the catch-all out gives the zone's own addresses back") {
    auto c = compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    const lower::ExplicitAddresses listed(fws[0]);
    const auto& fw = listed.firewall();
    CHECK(fw.declaredV4.empty());
    const auto& internet = object(fw, "zone-internet");
    CHECK_FALSE(internet.negatedV4);
    const auto& zone = *std::find_if(c->policy.zones.begin(), c->policy.zones.end(),
                                     [](const auto& z) { return z.name == "internet"; });
    CHECK(strs(internet.v4) == strs(zone.addresses.prefixes(model::Family::V4)));
    CHECK(strs(internet.v6) == strs(zone.addresses.prefixes(model::Family::V6)));
    CHECK(internet.v6.size() > 100); // what every rule used to be multiplied by
    // A firewall without a negated object is passed through, not copied.
    auto plain = lowered(R"(
zone a { kind dmz level open networks 10.99.1.0/24 }
zone b { kind dmz level open networks 10.99.2.0/24 }
access r { from a to b service tcp/443 justification "j" owner "o" }
firewall fw { backend nftables interface e0 zone a interface e1 zone b }
)");
    const lower::ExplicitAddresses same(plain);
    CHECK(&same.firewall() == &plain);
}

TEST_CASE("lower: a catch-all that owns the whole family stays a plain prefix") {
    auto fw = lowered(R"(
zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }
zone dmz { kind dmz level open networks 10.99.1.0/24 }
access r { from internet to dmz service tcp/443 justification "j" owner "o" }
firewall fw { backend nftables, iptables interface e0 zone internet interface e1 zone dmz }
)");
    const auto& internet = object(fw, "zone-internet");
    CHECK(internet.negatedV4);
    CHECK_FALSE(internet.negatedV6); // no zone declares IPv6: internet owns it all
    CHECK(strs(internet.v6) == std::vector<std::string>{"::/0"});
    CHECK(fw.declaredV6.empty());
    auto nft = backends::NftablesBackend().emit(fw)[0].content;
    CHECK(nft.find("set declared_v6") == std::string::npos);
    CHECK(nft.find("ip6 saddr @declared") == std::string::npos);
    CHECK(nft.find("\t\tip saddr @declared_v4 counter drop") != std::string::npos);
    CHECK(nft.find("\t\tmeta nfproto ipv4 tcp dport 443 ct state new") != std::string::npos);
}

TEST_CASE("backend nftables: the catch-all is one shared negated set per family") {
    auto fw = lowered(kPolicy);
    auto text = backends::NftablesBackend().emit(fw)[0].content;
    CHECK(text.find("set zone-internet_v4") == std::string::npos);
    CHECK(count(text, "\tset declared_v4 {") == 1);
    CHECK(count(text, "\tset declared_v6 {") == 1);
    CHECK(text.find("\t\t\t10.99.56.0/24,\n") != std::string::npos);
    // Declared sources leave the catch-all's pair chain first (no rule there
    // can match one: the partners group lies inside the internet zone), so
    // the catch-all and the whole zones need no test: one line, both
    // families.
    const std::string inDmz = "\tchain z_internet__dmz {\n"
                              "\t\tip saddr @declared_v4 counter drop comment \"netsep default "
                              "deny internet to dmz\"\n"
                              "\t\tip6 saddr @declared_v6 counter drop comment \"netsep default "
                              "deny internet to dmz\"\n";
    CHECK(text.find(inDmz) != std::string::npos);
    CHECK(text.find("\t\ttcp dport 443 ct state new counter accept comment \"policy rule web-in") !=
          std::string::npos);
    CHECK(text.find("\t\tip saddr @group-partners_v4 tcp dport 990 ct state new") !=
          std::string::npos);
    CHECK(text.find("\t\tip daddr @declared_v4 counter drop comment \"netsep default deny dmz to "
                    "internet\"") != std::string::npos);
    CHECK(text.find("\t\ttcp dport 80 ct state new counter accept comment \"policy rule dmz-out") !=
          std::string::npos);
    // The interface scopes: the catch-all's interface takes every address,
    // the others what their zone owns.
    CHECK(text.find("\t\t\t\"eth0\" . 0.0.0.0/0,\n") != std::string::npos);
    CHECK(text.find("\t\t\t\"eth0\" . ::/0,\n") != std::string::npos);
    CHECK(text.find("\t\t\t\"eth1\" . 10.99.50.0/24,\n") != std::string::npos);
    CHECK(text.find("\t\t\t\"eth1\" . fd99:50:a:1::/64,\n") != std::string::npos);
    CHECK(text.find("ip saddr != @declared") == std::string::npos);
}

TEST_CASE("backend iptables: the catch-all is classified once, each rule written once") {
    auto fw = lowered(kPolicy);
    auto arts = backends::IptablesBackend().emit(fw);
    const std::string& v4 = arts[0].content;
    const std::string& v6 = arts[1].content;
    // One set match per direction; the declared prefixes are the members
    // of one set per family (ipset.rules), each once; no complement anywhere.
    CHECK(count(v4, "-A ns_fw_cls_src ") == 2);
    CHECK(count(v4, "-A ns_fw_cls_src -m set --match-set ns_fw_dcl4 src -j ns_fw_dsp_src_dcl") ==
          1);
    CHECK(count(v4, "-A ns_fw_cls_dst -m set --match-set ns_fw_dcl4 dst -j ns_fw_dsp_dst_dcl") ==
          1);
    CHECK(count(v6, "-A ns_fw_cls_src -m set --match-set ns_fw_dcl6 src -j ns_fw_dsp_src_dcl") ==
          1);
    CHECK(v4.find("0.0.0.0/5") == std::string::npos);
    REQUIRE(arts.size() == 4);
    CHECK(arts[3].path == "ipset.rules");
    const std::string& sets = arts[3].content;
    std::string want = "# declared addresses: the catch-all zone is every address outside this "
                       "set\ncreate ns_fw_dcl4 hash:net family inet hashsize 1024 maxelem 65536\n";
    for (const auto& p : fw.declaredV4)
        want += "add ns_fw_dcl4 " + p.str() + "\n";
    want += "# declared addresses: the catch-all zone is every address outside this set\n";
    want += "create ns_fw_dcl6 hash:net family inet6 hashsize 1024 maxelem 65536\n";
    for (const auto& p : fw.declaredV6)
        want += "add ns_fw_dcl6 " + p.str() + "\n";
    want += "# end\n";
    REQUIRE(sets.find("\ncreate ") != std::string::npos);
    CHECK(sets.substr(sets.find("\n# declared addresses") + 1) == want);
    CHECK(arts[2].content.find("load \"${IPTABLES:-iptables}\" iptables.rules 'ns_fw_dcl4'") !=
          std::string::npos);
    CHECK(v4.find("-A ns_fw_fwd -i eth0 -o eth1 -m comment --comment \"netsep zone pair internet "
                  "to dmz\" -j ns_fw_cls_src") != std::string::npos);
    CHECK(v4.find("-A ns_fw_dsp_src_out -i eth0 -o eth1 -m comment --comment \"netsep zone pair "
                  "internet to dmz\" -j ns_fw_z_internet__dmz") != std::string::npos);
    // The declared variant has no rule (see below): no chain, no dispatch;
    // the dispatch chain ends in a drop.
    CHECK(v4.find("-j ns_fw_zd_internet__dmz") == std::string::npos);
    CHECK(v4.find("-A ns_fw_dsp_src_dcl -m comment --comment \"netsep default deny: a zone pair "
                  "of the catch-all zone without rules for these addresses\" -j DROP") !=
          std::string::npos);
    // web-in: no source match (classified), once; partners keep theirs.
    CHECK(count(v4, "policy rule web-in at") == 1);
    CHECK(v4.find("-A ns_fw_z_internet__dmz -d 10.99.50.0/24 -p tcp -m tcp --dport 443 -m "
                  "conntrack --ctstate NEW") != std::string::npos);
    CHECK(v4.find("-A ns_fw_z_internet__dmz -s 10.99.0.64/26 -d 10.99.50.0/24 -p tcp -m tcp "
                  "--dport 990") != std::string::npos);
    CHECK(count(v6, "policy rule web-in at") == 1);
    // The `any` deny is global (tests/unit/global_rules_test.cpp), so the
    // declared variant would hold only its default deny: it is left out.
    CHECK(count(v4, "-A ns_fw_zd_internet__dmz ") == 0);
}
