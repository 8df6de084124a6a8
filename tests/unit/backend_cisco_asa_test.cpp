// Unit tests for the Cisco ASA backend: the policy front end in, the
// cisco-asa.cfg text out. Structure and semantics over every golden policy
// are checked in vendor_equivalence_test.cpp (also coexistence with the
// device's own configuration), hostile strings in vendor_hostile_test.cpp.
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
  interface outside zone internet interface dmz zone dmz
  interface app-a zone app interface app-b zone app
  interface scan zone scan }
)";

lower::LoweredFirewall lowered() {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    fws[0].provenance = {"sha256:" + std::string(64, 'a'), "0.1.0", "2026-11-22"};
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
    CHECK(c.maxInterfaceName == 48);
}

TEST_CASE("backend cisco-asa: interface names are nameifs, never hardware names") {
    backends::CiscoAsaBackend b;
    for (const char* ok : {"inside", "outside", "dmz-1", "app_a", "v.10"})
        CHECK_MESSAGE(b.interfaceNameProblem(ok).empty(), ok);
    for (const char* bad :
         {"GigabitEthernet0/1", "gigabitethernet0/1", "Port-channel1.10", "Management0/0",
          "Ethernet1/2", "TenGigabitEthernet0/0", "1inside", "", "a b", "x/y"})
        CHECK_MESSAGE(!b.interfaceNameProblem(bad).empty(), bad);
    CHECK(!b.interfaceNameProblem(std::string(49, 'a')).empty());
}

TEST_CASE("backend cisco-asa: owned names, ACLs per ingress nameif, logged deny, provenance") {
    backends::CiscoAsaBackend b;
    auto fw = lowered();
    auto arts = b.emit(fw);
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "cisco-asa.cfg");
    const std::string& t = arts[0].content;
    // The interfaces and device-wide settings are the device's.
    CHECK(!has(t, "\ninterface "));
    CHECK(!has(t, "\n nameif"));
    CHECK(!has(t, "security-level"));
    CHECK(!has(t, "same-security-traffic"));
    // Owned names: netsep- prefix; network groups carry a content tag.
    CHECK(has(t, "object network netsep-fqdn-api_ai_example\n fqdn v4 api.ai.example\n"));
    CHECK(has(t, "object-group network netsep-group-web-"));
    CHECK(has(t, " network-object host 192.0.2.10\n"));
    CHECK(has(t, " network-object host 2001:db8:2::10\n"));
    CHECK(has(t, " network-object 192.0.2.0 255.255.255.0\n"));
    CHECK(has(t, " network-object 2001:db8:2::/64\n"));
    CHECK(has(t, " network-object object netsep-fqdn-api_ai_example\n"));
    CHECK(has(t, "object-group service netsep-svc-tcp-443_8000-8010\n"
                 " service-object tcp destination eq 443\n"
                 " service-object tcp destination range 8000 8010\n"));
    CHECK(has(t, " service-object icmp 8\n"));
    CHECK(has(t, " service-object icmp6 128\n"));
    // The kill-switch group's time range, on while compiled.
    CHECK(has(t, "time-range netsep-ks-ks\n absolute start 00:00 1 January 2000\n"));
    for (const auto& line :
         {"access-list ", "object-group ", "object network ", "time-range ", "access-group "}) {
        std::size_t at = 0;
        while ((at = t.find(std::string("\n") + line, at)) != std::string::npos) {
            at += 1 + std::string(line).size();
            if (std::string(line) == "object-group ")
                at = t.find(' ', at) + 1;
            CHECK_MESSAGE(t.compare(at, 7, "netsep-") == 0, t.substr(at, 40));
        }
    }
    // Denies before allows, remarks naming rule and file:line, log keyword.
    // The catch-all (internet) as source is `any` behind one deny of what
    // it is not (every declared prefix): never its listed complement.
    auto notInternet = t.find("extended deny ip object-group netsep-not-zone-internet-");
    auto deny = t.find("extended deny object-group netsep-svc-tcp-23 any object-group "
                       "netsep-zone-dmz-");
    auto allow = t.find("extended permit object-group netsep-svc-tcp-443_8000-8010 any "
                        "object-group netsep-group-web-");
    REQUIRE(notInternet != std::string::npos);
    REQUIRE(deny != std::string::npos);
    REQUIRE(allow != std::string::npos);
    CHECK(notInternet < deny);
    CHECK(deny < allow);
    CHECK(!has(t, "object-group network netsep-zone-internet-"));
    CHECK(has(t, " remark policy rule web-in at test.nsp:11\n"));
    CHECK(has(t, "remark policy rule tri at test.nsp:13 identity soc not enforced here\n"));
    // The provenance where the device keeps it: the first remark of each ACL.
    CHECK(has(t, " remark netsep sha256:" + std::string(64, 'a') + " as of 2026-11-22\n"));
    // Each zone's ACL ends in the explicit logged deny and is bound to each
    // of its interfaces by nameif.
    auto app = t.find("access-list netsep-app-in-");
    REQUIRE(app != std::string::npos);
    std::string appAcl = t.substr(app + 12, t.find(' ', app + 12) - app - 12);
    CHECK(has(t, "access-list " + appAcl + " extended deny ip any any log\n"));
    CHECK(has(t, "access-group " + appAcl + " in interface app-a\n"));
    CHECK(has(t, "access-group " + appAcl + " in interface app-b\n"));
    CHECK(has(t, " in interface scan\n"));
    // Deterministic, and a new ACL name when the content changes.
    CHECK(b.emit(fw)[0].content == t);
    auto changed = fw;
    changed.pairs[0].rules.pop_back();
    CHECK(b.emit(changed)[0].content.find("access-list netsep-internet-in-") != std::string::npos);
    CHECK(b.emit(changed)[0].content.find(
              t.substr(t.find("access-list netsep-internet-in-"), 40)) == std::string::npos);
}

TEST_CASE("backend cisco-asa: kill switch turns the group's time range off and on by name") {
    backends::CiscoAsaBackend b;
    auto fw = lowered();
    auto ks = b.killSwitchArtifacts(fw, "ks");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    CHECK((*ks)[0].path == "cisco-asa-killswitch-ks-disable.cfg");
    CHECK((*ks)[1].path == "cisco-asa-killswitch-ks-enable.cfg");
    CHECK(has((*ks)[0].content, "time-range netsep-ks-ks\n absolute start 00:00 1 January 2000 "
                                "end 00:01 1 January 2000\n"));
    CHECK(has((*ks)[1].content, "time-range netsep-ks-ks\n absolute start 00:00 1 January 2000\n"));
    // The exception's ACE carries the time range; no file names an ACE or a line.
    CHECK(has(b.emit(fw)[0].content, "log time-range netsep-ks-ks\n"));
    for (const auto& a : *ks) {
        CHECK(!has(a.content, "\naccess-list"));
        CHECK(!has(a.content, "\nno access-list"));
        CHECK(!has(a.content, " line "));
        // Bound to its compile: the policy digest is in both files.
        CHECK(has(a.content, "sha256:" + std::string(64, 'a')));
    }
}
