// Unit tests for the Juniper SRX backend (Junos set form). Structure and
// semantics over every golden policy: vendor_equivalence_test.cpp; hostile
// strings: vendor_hostile_test.cpp.
#include "TestPolicy.hpp"
#include "backends/common/VendorCommon.hpp"
#include "backends/juniper-srx/JuniperSrxBackend.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace netsep;

namespace {

const char* kPolicy = R"(
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
access bulk { from dmz to app service udp/5000-5100 justification "j" owner "o" }
deny no-telnet { from internet to dmz service tcp/23 log }
exception x { from scan to ai service tcp/443 purpose vulnerability-assessment
  basis no-action-letter "N" issued 2026-06-01 expires 2027-05-31 approved-by "ciso:kim"
  kill-switch ks log }
firewall fw { backend juniper-srx
  interface ge-0/0/0.0 zone internet interface ge-0/0/1.0 zone dmz
  interface ge-0/0/2.0 zone app interface ge-0/0/3.0 zone app interface xe-1/0/0:1.0 zone scan }
)";

lower::LoweredFirewall lowered() {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    fws[0].provenance = {"sha256:" + std::string(64, 'b'), "0.1.0", "2026-11-22"};
    return fws[0];
}

bool has(const std::string& text, const std::string& line) {
    return text.find(line) != std::string::npos;
}

} // namespace

TEST_CASE("backend juniper-srx: capabilities") {
    backends::JuniperSrxBackend b;
    auto c = b.capabilities();
    CHECK_FALSE(c.identity);
    CHECK(c.fqdn);
    CHECK(c.ipv6);
    CHECK(c.portRanges);
    CHECK(c.icmpTypes);
    CHECK(c.logging);
}

TEST_CASE("backend juniper-srx: Junos logical interface names") {
    backends::JuniperSrxBackend b;
    for (const char* ok : {"ge-0/0/0.0", "xe-1/0/2:1.100", "et-0/1/0.0", "ae0.0", "reth1.100",
                           "lo0.0", "st0.1", "irb.10", "vlan.100", "fxp0.0"})
        CHECK_MESSAGE(b.interfaceNameProblem(ok).empty(), ok);
    for (const char* bad :
         {"eth0", "ge-0/0/0", "ge-0/0/0.", "ge-0/0.0", "ae0", "irb", "GE-0/0/0.0", "ge-0/0/0.01",
          "xe-1/0/2:.0", "", "foo0.0", "ge-0/0/0.0.0", "ge-0/0/0.1073741824"})
        CHECK_MESSAGE(!b.interfaceNameProblem(bad).empty(), bad);
}

TEST_CASE("backend juniper-srx: everything in the group netsep, policies per zone pair") {
    backends::JuniperSrxBackend b;
    auto arts = b.emit(lowered());
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "juniper-srx.set");
    const std::string& t = arts[0].content;
    // Coexistence: the group is replaced whole and applied; nothing outside it.
    CHECK(has(t, "\ndelete groups netsep\n"));
    CHECK_FALSE(has(t, "delete security"));
    REQUIRE(t.size() > 24);
    CHECK(t.compare(t.size() - 24, 24, "set apply-groups netsep\n") == 0);
    for (const auto& line : netsep::backends::vendor::lines(t))
        if (!line.empty() && line[0] != '#')
            CHECK_MESSAGE((line == "delete groups netsep" || line == "set apply-groups netsep" ||
                           line.rfind("set groups netsep ", 0) == 0),
                          std::string(line));
    // Provenance where the device keeps it.
    CHECK(has(t, "set groups netsep apply-macro netsep-provenance policy-digest sha256:" +
                     std::string(64, 'b') + "\n"));
    CHECK(has(t, "set groups netsep apply-macro netsep-provenance as-of 2026-11-22\n"));
    // The recipe: Junos' own rollback.
    CHECK(has(t, "#   commit confirmed 10 comment \"netsep sha256:bbbbbbbbbbbb\"\n"));
    const std::string g = "set groups netsep ";
    CHECK(has(t, g + "security zones security-zone app interfaces ge-0/0/2.0\n" + g +
                     "security zones security-zone app interfaces ge-0/0/3.0\n"));
    CHECK(has(t, g + "security zones security-zone scan interfaces xe-1/0/0:1.0\n"));
    CHECK(has(t, g + "security address-book global address netsep-net-192_0_2_10-32 "
                     "192.0.2.10/32\n"));
    CHECK(has(t, g + "security address-book global address netsep-net6-2001_db8_2__10-128 "
                     "2001:db8:2::10/128\n"));
    CHECK(has(t, g + "security address-book global address netsep-fqdn-api_ai_example dns-name "
                     "api.ai.example\n"));
    CHECK(has(t, g + "security address-book global address-set netsep-saas-ai address "
                     "netsep-fqdn-api_ai_example\n"));
    CHECK(has(t, g + "applications application netsep-tcp-8000-8010 destination-port "
                     "8000-8010\n"));
    CHECK(has(t, g + "applications application netsep-udp-5000-5100 protocol udp\n"));
    CHECK(has(t, g + "applications application netsep-icmp-8 icmp-type 8\n"));
    CHECK(has(t, g + "applications application netsep-icmp6-128 protocol icmp6\n" + g +
                     "applications application netsep-icmp6-128 icmp6-type 128\n"));
    CHECK(has(t, g + "applications application-set netsep-svc-tcp-443_8000-8010 application "
                     "netsep-tcp-8000-8010\n"));
    const std::string web =
        g + "security policies from-zone internet to-zone dmz policy netsep-web-in-tcp ";
    CHECK(has(t, web + "description \"policy rule web-in at test.nsp:10\"\n"));
    // internet is every address outside the declared ones.
    CHECK(has(t, web + "match source-address netsep-declared\n"));
    CHECK(has(t, web + "match source-address-excluded\n"));
    CHECK_FALSE(has(t, web + "match destination-address-excluded\n"));
    CHECK(has(t, web + "match destination-address netsep-group-web\n"));
    CHECK(has(t, web + "match application netsep-svc-tcp-443_8000-8010\n"));
    CHECK(has(t, web + "then permit\n" + web + "then log session-init\n" + web +
                     "then log session-close\n"));
    const std::string deny =
        g + "security policies from-zone internet to-zone dmz policy netsep-no-telnet-tcp ";
    CHECK(has(t, deny + "then deny\n" + deny + "then log session-init\n"));
    // Denies first, the logged deny-rest last in each pair.
    auto d = t.find(deny + "then deny");
    auto a = t.find(web + "then permit");
    auto rest = t.find("policy netsep-deny-rest-internet-dmz then deny\n");
    REQUIRE(rest != std::string::npos);
    CHECK(d < a);
    CHECK(a < rest);
    CHECK(has(t, "policy netsep-deny-rest-internet-dmz then log session-init\n"));
    CHECK(has(t, "policy netsep-deny-rest-internet-dmz match application any\n"));
    CHECK(has(t, g + "security policies default-policy deny-all\n"));
    // An unlogged rule has no log statements.
    CHECK_FALSE(has(t, "policy netsep-bulk-udp then log"));
}

TEST_CASE("backend juniper-srx: IPv6 needs inet6 flow mode, and the file says so") {
    backends::JuniperSrxBackend b;
    auto fw = lowered();
    const std::string flow =
        "set groups netsep security forwarding-options family inet6 mode flow-based\n";
    const std::string t = b.emit(fw)[0].content; // a copy: emit() returns a temporary
    CHECK(has(t, flow));
    CHECK(has(t, "# IPv6: this policy matches IPv6"));
    CHECK(has(t, "takes effect only after a reboot"));
    // An IPv4-only policy leaves the device's IPv6 mode alone.
    for (auto& p : fw.pairs)
        for (auto& r : p.rules)
            r.v6 = false;
    CHECK_FALSE(has(b.emit(fw)[0].content, "inet6"));
}

TEST_CASE("backend juniper-srx: kill switch deactivates and activates the group's policies") {
    backends::JuniperSrxBackend b;
    auto ks = b.killSwitchArtifacts(lowered(), "ks");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    CHECK((*ks)[0].path == "juniper-srx-killswitch-ks-disable.set");
    CHECK(has((*ks)[0].content, "deactivate groups netsep security policies from-zone scan "
                                "to-zone internet policy netsep-ks-ks-x-tcp\n"));
    CHECK(has((*ks)[1].content, "activate groups netsep security policies from-zone scan "
                                "to-zone internet policy netsep-ks-ks-x-tcp\n"));
    CHECK_FALSE(has((*ks)[0].content, "web-in"));
    for (const auto& a : *ks) {
        CHECK(has(a.content, "sha256:" + std::string(64, 'b')));
        // Committed at once: a confirmed commit would undo the kill switch.
        CHECK_FALSE(has(a.content, "commit confirmed"));
    }
}
