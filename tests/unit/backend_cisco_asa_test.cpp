// Unit tests for the Cisco ASA backend: the policy front end in, the
// cisco-asa.cfg text out. Structure and semantics over every golden policy
// are checked in vendor_equivalence_test.cpp, hostile strings in
// vendor_hostile_test.cpp.
#include "TestPolicy.hpp"
#include "backends/cisco-asa/CiscoAsaBackend.hpp"
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
access tri { from dmz as soc to app service tcp/22 justification "j" owner "o" }
deny no-telnet { from internet to dmz service tcp/23 log }
exception x { from scan to ai service tcp/443 purpose vulnerability-assessment
  basis no-action-letter "N" issued 2026-06-01 expires 2027-05-31 approved-by "ciso:kim"
  kill-switch ks log }
firewall fw { backend cisco-asa identity-enforced-by proxy
  interface GigabitEthernet0/0 zone internet interface GigabitEthernet0/1 zone dmz
  interface GigabitEthernet0/2 zone app interface GigabitEthernet0/3 zone app
  interface Port-channel1.10 zone scan }
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

} // namespace

TEST_CASE("backend cisco-asa: capabilities") {
    backends::CiscoAsaBackend b;
    auto c = b.capabilities();
    CHECK_FALSE(c.identity);
    CHECK(c.fqdn);
    CHECK(c.ipv6);
    CHECK(c.portRanges);
    CHECK(c.icmpTypes);
    CHECK(c.logging);
    CHECK(c.maxInterfaceName > 0);
}

TEST_CASE("backend cisco-asa: nameif, objects, ACLs per ingress interface, logged deny") {
    backends::CiscoAsaBackend b;
    auto fw = lowered();
    auto arts = b.emit(fw);
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "cisco-asa.cfg");
    const std::string& t = arts[0].content;
    // Interfaces keep their hardware names; a zone with two gets numbered nameifs.
    CHECK(has(t, "interface GigabitEthernet0/0\n nameif internet\n security-level 0\n"));
    CHECK(has(t, "interface GigabitEthernet0/2\n nameif app-1\n"));
    CHECK(has(t, "interface GigabitEthernet0/3\n nameif app-2\n"));
    CHECK(has(t, "same-security-traffic permit inter-interface\n"));
    // Address objects: IPv4 mask form, hosts, IPv6 prefixes, FQDN objects.
    CHECK(has(t, "object network fqdn-api_ai_example\n fqdn v4 api.ai.example\n"));
    CHECK(has(t, "object-group network group-web\n"));
    CHECK(has(t, " network-object host 192.0.2.10\n"));
    CHECK(has(t, " network-object host 2001:db8:2::10\n"));
    CHECK(has(t, " network-object 192.0.2.0 255.255.255.0\n"));
    CHECK(has(t, " network-object 2001:db8:2::/64\n"));
    CHECK(has(t, " network-object object fqdn-api_ai_example\n"));
    // Services: ports, ranges, ICMP and ICMPv6 types.
    CHECK(has(t, "object-group service svc-tcp-443_8000-8010\n"
                 " service-object tcp destination eq 443\n"
                 " service-object tcp destination range 8000 8010\n"));
    CHECK(has(t, " service-object icmp 8\n"));
    CHECK(has(t, " service-object icmp6 128\n"));
    // Denies before allows, remarks naming rule and file:line, log keyword.
    auto deny = t.find("access-list netsep-internet-in extended deny object-group svc-tcp-23 "
                       "object-group zone-internet object-group zone-dmz log\n");
    auto allow = t.find("access-list netsep-internet-in extended permit object-group "
                        "svc-tcp-443_8000-8010 object-group zone-internet object-group group-web "
                        "log\n");
    REQUIRE(deny != std::string::npos);
    REQUIRE(allow != std::string::npos);
    CHECK(deny < allow);
    CHECK(has(t, "access-list netsep-internet-in remark policy rule web-in at test.nsp:11\n"));
    CHECK(has(t, "remark policy rule tri at test.nsp:13 identity soc not enforced here\n"));
    // Every zone's ACL ends in the explicit logged deny and is bound to each
    // of its interfaces.
    CHECK(has(t, "access-list netsep-app-in extended deny ip any any log\n"));
    CHECK(has(t, "access-group netsep-app-in in interface app-1\n"));
    CHECK(has(t, "access-group netsep-app-in in interface app-2\n"));
    CHECK(has(t, "access-group netsep-scan-in in interface scan\n"));
}

TEST_CASE("backend cisco-asa: kill switch removes and re-inserts the group's ACEs in place") {
    backends::CiscoAsaBackend b;
    auto fw = lowered();
    auto ks = b.killSwitchArtifacts(fw, "ks");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    CHECK((*ks)[0].path == "cisco-asa-killswitch-ks-disable.cfg");
    CHECK((*ks)[1].path == "cisco-asa-killswitch-ks-enable.cfg");
    const std::string ace = "extended permit object-group svc-tcp-443 object-group zone-scan "
                            "object-group saas-ai log\n";
    CHECK(has((*ks)[0].content, "no access-list netsep-scan-in " + ace));
    // Line 2 of the scan ACL: after its remark.
    CHECK(has((*ks)[1].content, "access-list netsep-scan-in line 2 " + ace));
    CHECK(has(b.emit(fw)[0].content, "access-list netsep-scan-in " + ace));
    // Nothing else is touched.
    CHECK((*ks)[0].content.find("svc-tcp-23") == std::string::npos);
}
