// Unit tests for the FortiOS backend. Structure and semantics over every
// golden policy: vendor_equivalence_test.cpp; hostile strings:
// vendor_hostile_test.cpp.
#include "TestPolicy.hpp"
#include "backends/fortios/FortiosBackend.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <string>

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
    return fws[0];
}

bool has(const std::string& text, const std::string& line) {
    return text.find(line) != std::string::npos;
}

// The body of `edit N` in config firewall policy.
std::string policy(const std::string& t, int id) {
    auto start = t.find("config firewall policy\n");
    REQUIRE(start != std::string::npos);
    auto at = t.find("    edit " + std::to_string(id) + "\n", start);
    if (at == std::string::npos)
        return {};
    return t.substr(at, t.find("    next\n", at) - at);
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

TEST_CASE("backend fortios: addresses, groups, services, user groups, policies, final deny") {
    backends::FortiosBackend b;
    auto arts = b.emit(lowered());
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "fortios.conf");
    const std::string& t = arts[0].content;
    CHECK(has(t, "    edit \"net-192_0_2_10-32\"\n        set subnet 192.0.2.10 "
                 "255.255.255.255\n    next\n"));
    CHECK(has(t, "    edit \"fqdn-api_ai_example\"\n        set type fqdn\n        set fqdn "
                 "\"api.ai.example\"\n    next\n"));
    CHECK(has(t, "config firewall address6\n"));
    CHECK(has(t, "        set ip6 2001:db8:2::10/128\n"));
    CHECK(has(t, "    edit \"saas-ai\"\n        set member \"net-198_51_100_0-24\" "
                 "\"fqdn-api_ai_example\"\n"));
    CHECK(has(t, "    edit \"group-web-v6\"\n        set member \"net6-2001_db8_2__10-128\"\n"));
    CHECK(has(t, "    edit \"tcp-8000-8010\"\n        set protocol TCP/UDP/SCTP\n        set "
                 "tcp-portrange 8000-8010\n"));
    CHECK(has(t, "    edit \"icmp-8\"\n        set protocol ICMP\n        set icmptype 8\n"));
    CHECK(has(t, "    edit \"icmp6-128\"\n        set protocol ICMP6\n        set icmptype 128\n"));
    CHECK(has(t, "config firewall service group\n    edit \"svc-tcp-443_8000-8010\"\n        set "
                 "member \"tcp-443\" \"tcp-8000-8010\"\n"));
    CHECK(has(t, "config user group\n    edit \"SOC\"\n    next\nend\n"));

    std::string deny = policy(t, 1);
    CHECK(has(deny, "set name \"no-telnet-tcp\"\n"));
    CHECK(has(deny, "set action deny\n"));
    CHECK(has(deny, "set logtraffic all\n"));
    std::string web = policy(t, 2);
    for (const char* line :
         {"set name \"web-in-tcp\"", "set srcintf \"port1\"", "set dstintf \"port2\"",
          "set srcaddr \"zone-internet\"", "set dstaddr \"group-web\"",
          "set srcaddr6 \"zone-internet-v6\"", "set dstaddr6 \"group-web-v6\"", "set action accept",
          "set schedule \"always\"", "set service \"svc-tcp-443_8000-8010\"", "unset groups",
          "set logtraffic all", "set comments \"policy rule web-in at test.nsp:11\"",
          "set status enable"})
        CHECK_MESSAGE(has(web, std::string(line) + "\n"), line);
    // Several interfaces per zone; identity through a user group; the
    // policy name cut to 35 characters.
    bool found = false;
    for (int id = 1; !policy(t, id).empty(); ++id) {
        std::string p = policy(t, id);
        if (!has(p, "set groups \"SOC\""))
            continue;
        found = true;
        CHECK(has(p, "set dstintf \"port3\" \"port4\"\n"));
        auto n = p.find("set name \"") + 10;
        CHECK(p.find('"', n) - n <= 35);
        CHECK(has(p, "set srcaddr6 \"zone-dmz-v6\"\n"));
    }
    CHECK(found);
    // The last policy is the explicit logged deny over everything.
    auto last = t.rfind("    edit ");
    std::string tail = t.substr(last);
    CHECK(has(tail, "set name \"netsep-default-deny\"\n"));
    CHECK(has(tail, "set srcintf \"any\"\n"));
    CHECK(has(tail, "set srcaddr6 \"netsep-all6\"\n"));
    CHECK(has(tail, "set service \"ip-all\"\n"));
    CHECK(has(tail, "set action deny\n"));
    CHECK(has(tail, "set logtraffic all\n"));
}

TEST_CASE("backend fortios: kill switch disables and enables the group's policies by id") {
    backends::FortiosBackend b;
    auto fw = lowered();
    std::string t = b.emit(fw)[0].content;
    auto ks = b.killSwitchArtifacts(fw, "ks");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    auto id = t.find("set name \"ks-ks-x-tcp\"");
    REQUIRE(id != std::string::npos);
    auto edit = t.rfind("    edit ", id);
    std::string line = t.substr(edit, t.find('\n', edit) - edit + 1);
    CHECK(
        has((*ks)[0].content, "config firewall policy\n" + line + "        set status disable\n"));
    CHECK(has((*ks)[1].content, "config firewall policy\n" + line + "        set status enable\n"));
}
