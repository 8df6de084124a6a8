// Unit tests for the Juniper SRX backend (Junos set form). Structure and
// semantics over every golden policy: vendor_equivalence_test.cpp; hostile
// strings: vendor_hostile_test.cpp.
#include "TestPolicy.hpp"
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
  interface ge-0/0/2.0 zone app interface ge-0/0/3.0 zone app interface xe-1/0/0:1 zone scan }
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

TEST_CASE("backend juniper-srx: zones, address book, applications, policies per zone pair") {
    backends::JuniperSrxBackend b;
    auto arts = b.emit(lowered());
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "juniper-srx.set");
    const std::string& t = arts[0].content;
    CHECK(has(t, "delete security policies\n"));
    CHECK(has(t, "set security zones security-zone app interfaces ge-0/0/2.0\n"
                 "set security zones security-zone app interfaces ge-0/0/3.0\n"));
    CHECK(has(t, "set security zones security-zone scan interfaces xe-1/0/0:1\n"));
    CHECK(has(t, "set security address-book global address net-192_0_2_10-32 192.0.2.10/32\n"));
    CHECK(has(t, "set security address-book global address net6-2001_db8_2__10-128 "
                 "2001:db8:2::10/128\n"));
    CHECK(has(t, "set security address-book global address fqdn-api_ai_example dns-name "
                 "api.ai.example\n"));
    CHECK(has(t, "set security address-book global address-set saas-ai address "
                 "fqdn-api_ai_example\n"));
    CHECK(has(t, "set applications application tcp-8000-8010 destination-port 8000-8010\n"));
    CHECK(has(t, "set applications application udp-5000-5100 protocol udp\n"));
    CHECK(has(t, "set applications application icmp-8 icmp-type 8\n"));
    CHECK(has(t, "set applications application icmp6-128 protocol icmp6\n"
                 "set applications application icmp6-128 icmp6-type 128\n"));
    CHECK(has(t, "set applications application-set svc-tcp-443_8000-8010 application "
                 "tcp-8000-8010\n"));
    const std::string web =
        "set security policies from-zone internet to-zone dmz policy web-in-tcp ";
    CHECK(has(t, web + "description \"policy rule web-in at test.nsp:10\"\n"));
    CHECK(has(t, web + "match source-address zone-internet\n"));
    CHECK(has(t, web + "match destination-address group-web\n"));
    CHECK(has(t, web + "match application svc-tcp-443_8000-8010\n"));
    CHECK(has(t, web + "then permit\n" + web + "then log session-init\n" + web +
                     "then log session-close\n"));
    const std::string deny =
        "set security policies from-zone internet to-zone dmz policy no-telnet-tcp ";
    CHECK(has(t, deny + "then deny\n" + deny + "then log session-init\n"));
    // Denies first, the logged deny-rest last in each pair.
    auto d = t.find(deny + "then deny");
    auto a = t.find(web + "then permit");
    auto rest = t.find("policy deny-rest-internet-dmz then deny\n");
    REQUIRE(rest != std::string::npos);
    CHECK(d < a);
    CHECK(a < rest);
    CHECK(has(t, "policy deny-rest-internet-dmz then log session-init\n"));
    CHECK(has(t, "policy deny-rest-internet-dmz match application any\n"));
    CHECK(has(t, "set security policies default-policy deny-all\n"));
    // An unlogged rule has no log statements.
    CHECK_FALSE(has(t, "policy bulk-udp then log"));
}

TEST_CASE("backend juniper-srx: kill switch deactivates and activates the group's policies") {
    backends::JuniperSrxBackend b;
    auto ks = b.killSwitchArtifacts(lowered(), "ks");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    CHECK((*ks)[0].path == "juniper-srx-killswitch-ks-disable.set");
    CHECK(has((*ks)[0].content, "deactivate security policies from-zone scan to-zone internet "
                                "policy ks-ks-x-tcp\n"));
    CHECK(has((*ks)[1].content, "activate security policies from-zone scan to-zone internet "
                                "policy ks-ks-x-tcp\n"));
    CHECK_FALSE(has((*ks)[0].content, "web-in"));
}
