// Unit tests for the FortiOS backend. Structure and semantics over every
// golden policy: vendor_equivalence_test.cpp; hostile strings:
// vendor_hostile_test.cpp.
#include "TestPolicy.hpp"
#include "backends/fortios/FortiosBackend.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace netsep;

namespace {

const char* kPolicy = R"(
identity soc { idp "sso" group "SOC" device managed mfa required }
service web tcp/443, tcp/8000-8010
service ping icmp/echo-request, icmpv6/echo-request
zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }
zone dmz { kind dmz level open networks 192.0.2.0/24, 2001:db8:2::/64 }
zone app { kind internal level sensitive networks 10.1.0.0/16, fd01::/48 }
zone scan { kind internal level sensitive networks 10.2.0.0/28 isolated }
group web in dmz { 192.0.2.10, 2001:db8:2::10 }
saas ai { provider "p" fqdn api.ai.example networks 198.51.100.0/24 screening "r" on 2026-05-30 }
access web-in { from internet to web service web log justification "j" owner "o" }
access ping-app { from dmz to app service ping justification "j" owner "o" }
access a-rule-name-that-is-far-too-long-for-fortios { from dmz as soc to app service tcp/22 log
  justification "j" owner "o" }
deny no-telnet { from internet to dmz service tcp/23 log }
exception x { from scan to ai service tcp/443 purpose vulnerability-assessment
  basis no-action-letter "N" issued 2026-06-01 expires 2027-05-31 approved-by "ciso:kim"
  kill-switch ks log }
firewall fw { backend fortios
  interface port1 zone internet interface port2 zone dmz
  interface port3 zone app interface port4 zone app interface vlan100 zone scan }
)";

lower::LoweredFirewall lowered() {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    fws[0].provenance = {"sha256:" + std::string(64, 'd'), "0.1.0", "2026-11-22"};
    return fws[0];
}

bool has(const std::string& text, const std::string& line) {
    return text.find(line) != std::string::npos;
}

// The body of the policy named `name` in config firewall policy, from its
// `edit ID` line.
std::string policy(const std::string& t, const std::string& name) {
    auto at = t.find("        set name \"" + name + "\"\n");
    if (at == std::string::npos)
        return {};
    auto edit = t.rfind("    edit ", at);
    return t.substr(edit, t.find("    next\n", at) - edit);
}

// Every policy body, in file order.
std::vector<std::string> policies(const std::string& t) {
    std::vector<std::string> out;
    auto at = t.find("config firewall policy\n");
    REQUIRE(at != std::string::npos);
    while ((at = t.find("    edit ", at)) != std::string::npos) {
        auto end = t.find("    next\n", at);
        out.push_back(t.substr(at, end - at));
        at = end;
    }
    return out;
}

} // namespace

TEST_CASE("backend fortios: capabilities") {
    backends::FortiosBackend b;
    auto c = b.capabilities();
    CHECK(c.identity);
    CHECK(c.fqdn);
    CHECK(c.ipv6);
    CHECK(c.portRanges);
    CHECK(c.icmpTypes);
    CHECK(c.logging);
    CHECK(c.maxInterfaceName == 15);
}

TEST_CASE("backend fortios: FortiOS interface names") {
    backends::FortiosBackend b;
    for (const char* ok :
         {"port1", "wan1", "internal", "vlan100", "ssl.root", "npu0_vlink0", "dmz-2"})
        CHECK_MESSAGE(b.interfaceNameProblem(ok).empty(), ok);
    for (const char* bad : {"any", "a-name-of-16-chr", "", "port 1", "-x", "x/y"})
        CHECK_MESSAGE(!b.interfaceNameProblem(bad).empty(), bad);
}

TEST_CASE("backend fortios: owned objects, stable policy IDs, moves, scoped final deny") {
    backends::FortiosBackend b;
    auto arts = b.emit(lowered());
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "fortios.conf");
    const std::string& t = arts[0].content;
    CHECK(has(t, "    edit \"netsep-net-192_0_2_10-32\"\n        set subnet 192.0.2.10 "
                 "255.255.255.255\n    next\n"));
    CHECK(has(t, "    edit \"netsep-fqdn-api_ai_example\"\n        set type fqdn\n        set fqdn "
                 "\"api.ai.example\"\n    next\n"));
    CHECK(has(t, "config firewall address6\n"));
    CHECK(has(t, "        set ip6 2001:db8:2::10/128\n"));
    CHECK(has(t, "    edit \"netsep-saas-ai\"\n        set member \"netsep-net-198_51_100_0-24\" "
                 "\"netsep-fqdn-api_ai_example\"\n"));
    CHECK(has(t, "    edit \"netsep-group-web-v6\"\n        set member "
                 "\"netsep-net6-2001_db8_2__10-128\"\n"));
    CHECK(has(t,
              "    edit \"netsep-tcp-8000-8010\"\n        set protocol TCP/UDP/SCTP\n        set "
              "tcp-portrange 8000-8010\n"));
    CHECK(
        has(t, "    edit \"netsep-icmp-8\"\n        set protocol ICMP\n        set icmptype 8\n"));
    CHECK(has(t, "    edit \"netsep-icmp6-128\"\n        set protocol ICMP6\n        set icmptype "
                 "128\n"));
    CHECK(has(t, "config firewall service group\n    edit \"netsep-svc-tcp-443_8000-8010\"\n"
                 "        set member \"netsep-tcp-443\" \"netsep-tcp-8000-8010\"\n"));
    // User groups are the device's (bound to the IdP there): not renamed.
    CHECK(has(t, "config user group\n    edit \"SOC\"\n    next\nend\n"));
    // The kill-switch group's schedule, every day while compiled.
    CHECK(has(t, "config firewall schedule recurring\n    edit \"netsep-ks-ks\"\n        set day "
                 "sunday monday tuesday wednesday thursday friday saturday\n"));

    // The closing deny comes first in the file (a new entry goes to the end
    // of the table) and has the first ID of netsep's range.
    auto all = policies(t);
    REQUIRE(all.size() > 3);
    CHECK(has(all[0], "    edit 1000000000\n"));
    CHECK(has(all[0], "set name \"netsep-default-deny\"\n"));
    // Scoped to netsep's interfaces, both ways; logged; provenance kept there.
    CHECK(has(all[0], "set srcintf \"port1\" \"port2\" \"port3\" \"port4\" \"vlan100\"\n"));
    CHECK(has(all[0], "set dstintf \"port1\" \"port2\" \"port3\" \"port4\" \"vlan100\"\n"));
    CHECK(has(all[0], "set srcaddr6 \"netsep-all6\"\n"));
    CHECK(has(all[0], "set service \"netsep-ip-all\"\n"));
    CHECK(has(all[0], "set action deny\n"));
    CHECK(has(all[0], "set logtraffic all\n"));
    CHECK(has(all[0], "sha256:" + std::string(64, 'd')));

    std::string deny = policy(t, "netsep-no-telnet-tcp");
    CHECK(has(deny, "set action deny\n"));
    CHECK(has(deny, "set logtraffic all\n"));
    std::string web = policy(t, "netsep-web-in-tcp");
    for (const char* line :
         {"set srcintf \"port1\"", "set dstintf \"port2\"", "set srcaddr \"netsep-declared\"",
          "set dstaddr \"netsep-group-web\"", "set srcaddr6 \"netsep-declared-v6\"",
          "set dstaddr6 \"netsep-group-web-v6\"", "set srcaddr-negate enable",
          "set dstaddr-negate disable", "set srcaddr6-negate enable", "set dstaddr6-negate disable",
          "set action accept", "set schedule \"always\"",
          "set service \"netsep-svc-tcp-443_8000-8010\"", "unset groups", "set logtraffic all",
          "set comments \"policy rule web-in at test.nsp:11\"", "set status enable"})
        CHECK_MESSAGE(has(web, std::string(line) + "\n"), line);
    // IDs in netsep's range, derived from the names: the same rule keeps its
    // ID when others come and go.
    auto idOf = [](const std::string& body) {
        return std::stoul(body.substr(9, body.find('\n') - 9));
    };
    for (const auto& p : all) {
        CHECK(idOf(p) >= 1000000000UL);
        CHECK(idOf(p) < 1070000000UL);
    }
    auto fw = lowered();
    auto fewer = fw;
    fewer.pairs[0].rules.erase(fewer.pairs[0].rules.begin());
    CHECK(idOf(policy(b.emit(fewer)[0].content, "netsep-web-in-tcp")) == idOf(web));
    // In order, each moved above the closing deny.
    CHECK(has(t, "    move " + std::to_string(idOf(deny)) + " before 1000000000\n"));
    CHECK(t.find("    move " + std::to_string(idOf(deny))) <
          t.find("    move " + std::to_string(idOf(web))));
    // Several interfaces per zone; identity through a user group; the
    // policy name cut to 35 characters.
    bool found = false;
    for (const auto& p : all) {
        if (!has(p, "set groups \"SOC\""))
            continue;
        found = true;
        CHECK(has(p, "set dstintf \"port3\" \"port4\"\n"));
        auto n = p.find("set name \"") + 10;
        CHECK(p.find('"', n) - n <= 35);
        CHECK(has(p, "set srcaddr6 \"netsep-zone-dmz-v6\"\n"));
    }
    CHECK(found);
}

TEST_CASE("backend fortios: with the previous output, what it had and this has not is deleted") {
    backends::FortiosBackend b;
    auto fw = lowered();
    auto before = b.emit(fw)[0];
    auto next = fw;
    next.pairs[0].rules.erase(next.pairs[0].rules.begin()); // no-telnet and its service go
    std::string old = policy(before.content, "netsep-no-telnet-tcp");
    std::string oldId = old.substr(9, old.find('\n') - 9);
    backends::PreviousOutput previous = [&](const std::string& p) -> std::optional<std::string> {
        if (p == before.path)
            return before.content;
        return std::nullopt;
    };
    const std::string t = b.emit(next, previous)[0].content;
    CHECK(has(t, "    delete " + oldId + "\n"));
    CHECK(has(t, "config firewall service custom\n    delete \"netsep-tcp-23\"\nend\n"));
    CHECK(t.find("    delete " + oldId) < t.find("delete \"netsep-tcp-23\""));
    // Never a policy outside netsep's range or an object without its prefix.
    std::string foreign = before.content + "config firewall policy\n    edit 7\n    next\nend\n"
                                           "config firewall address\n    edit \"lan\"\n    next\n"
                                           "end\n";
    backends::PreviousOutput withForeign = [&](const std::string&) -> std::optional<std::string> {
        return foreign;
    };
    const std::string u = b.emit(next, withForeign)[0].content;
    CHECK_FALSE(has(u, "delete 7\n"));
    CHECK_FALSE(has(u, "delete \"lan\""));
}

TEST_CASE("backend fortios: kill switch switches the group's schedule off and on by name") {
    backends::FortiosBackend b;
    auto fw = lowered();
    std::string t = b.emit(fw)[0].content;
    CHECK(has(policy(t, "netsep-ks-ks-x-tcp"), "set schedule \"netsep-ks-ks\"\n"));
    auto ks = b.killSwitchArtifacts(fw, "ks");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    CHECK(has((*ks)[0].content, "config firewall schedule recurring\n    edit \"netsep-ks-ks\"\n"
                                "        set day none\n    next\nend\n"));
    CHECK(has((*ks)[1].content, "config firewall schedule recurring\n    edit \"netsep-ks-ks\"\n"
                                "        set day sunday monday tuesday wednesday thursday "
                                "friday saturday\n    next\nend\n"));
    for (const auto& a : *ks) {
        CHECK_FALSE(has(a.content, "config firewall policy"));
        CHECK(has(a.content, "sha256:" + std::string(64, 'd')));
    }
}
