// Unit tests for the Palo Alto PAN-OS backend (set form). Structure and
// semantics over every golden policy: vendor_equivalence_test.cpp; hostile
// strings: vendor_hostile_test.cpp.
#include "TestPolicy.hpp"
#include "backends/paloalto/PaloAltoBackend.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace netsep;

namespace {

const char* kPolicy = R"(
identity soc { idp "sso" group "SOC" device managed mfa required }
service web tcp/443, tcp/8000-8010
service anyicmp icmp, icmpv6
zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }
zone dmz { kind dmz level open networks 192.0.2.0/24, 2001:db8:2::/64 }
zone app { kind internal level sensitive networks 10.1.0.0/16, fd01::/48 }
zone a-zone-name-longer-than-31-characters { kind internal level sensitive networks 10.2.0.0/28 isolated }
group web in dmz { 192.0.2.10, 2001:db8:2::10 }
saas ai { provider "p" fqdn api.ai.example networks 198.51.100.0/24 screening "r" on 2026-05-30 }
access web-in { from internet to web service web log justification "j" owner "o" }
access reach { from dmz to app service anyicmp justification "j" owner "o" }
access tri { from dmz as soc to app service tcp/22 log justification "j" owner "o" }
deny no-telnet { from internet to dmz service tcp/23 log }
exception x { from a-zone-name-longer-than-31-characters to ai service tcp/443
  purpose vulnerability-assessment
  basis no-action-letter "N" issued 2026-06-01 expires 2027-05-31 approved-by "ciso:kim"
  kill-switch ks log }
firewall fw { backend paloalto
  interface ethernet1/1 zone internet interface ethernet1/2 zone dmz
  interface ethernet1/3 zone app interface ae1.100 zone app
  interface ethernet1/4 zone a-zone-name-longer-than-31-characters }
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

TEST_CASE("backend paloalto: capabilities") {
    backends::PaloAltoBackend b;
    auto c = b.capabilities();
    CHECK(c.identity);
    CHECK(c.fqdn);
    CHECK(c.ipv6);
    CHECK(c.portRanges);
    CHECK_FALSE(c.icmpTypes);
    CHECK(c.logging);
}

TEST_CASE("backend paloalto: zones, objects, services, one rule per lowered rule, final deny") {
    backends::PaloAltoBackend b;
    auto arts = b.emit(lowered());
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "paloalto.set");
    const std::string& t = arts[0].content;
    CHECK(has(t, "delete rulebase security rules\n"));
    CHECK(has(t, "set zone app network layer3 [ ethernet1/3 ae1.100 ]\n"));
    CHECK(has(t, "set zone dmz network layer3 ethernet1/2\n"));
    // Zone names are at most 31 characters: mangled with a hash suffix.
    auto z = t.find("set zone a-zone-name-longer-");
    REQUIRE(z != std::string::npos);
    std::string zone = t.substr(z + 9, t.find(' ', z + 9) - z - 9);
    CHECK(zone.size() <= 31);
    CHECK(has(t, "set address net-192_0_2_10-32 ip-netmask 192.0.2.10/32\n"));
    CHECK(has(t, "set address fqdn-api_ai_example fqdn api.ai.example\n"));
    CHECK(has(t, "set address-group saas-ai static [ net-198_51_100_0-24 fqdn-api_ai_example ]\n"));
    CHECK(has(t, "set service tcp-8000-8010 protocol tcp port 8000-8010\n"));
    CHECK(has(t, "set service-group svc-tcp-443_8000-8010 members [ tcp-443 tcp-8000-8010 ]\n"));
    const std::string web = "set rulebase security rules web-in-tcp ";
    for (const char* line :
         {"from internet", "to dmz", "source zone-internet", "destination group-web",
          "source-user any", "application any", "service svc-tcp-443_8000-8010", "action allow",
          "log-end yes", "description \"policy rule web-in at test.nsp:11\"", "tag netsep"})
        CHECK_MESSAGE(has(t, web + line + "\n"), line);
    CHECK(has(t, "set rulebase security rules tri-tcp source-user SOC\n"));
    CHECK(has(t, "set rulebase security rules reach-icmp application icmp\n"));
    CHECK(has(t, "set rulebase security rules reach-icmp6 application ipv6-icmp\n"));
    CHECK(has(t, "set rulebase security rules reach-icmp log-end no\n"));
    CHECK(has(t, "set rulebase security rules no-telnet-tcp action deny\n"));
    CHECK(t.find("rules no-telnet-tcp action deny") < t.find("rules web-in-tcp action allow"));
    // The explicit logged deny closes the rulebase.
    const std::string deny = "set rulebase security rules netsep-default-deny ";
    auto last = t.rfind("set rulebase security rules ");
    CHECK(t.compare(last, deny.size(), deny) == 0);
    CHECK(has(t, deny + "action deny\n" + deny + "log-end yes\n"));
}

TEST_CASE("backend paloalto: kill switch by rule name and tag") {
    backends::PaloAltoBackend b;
    auto fw = lowered();
    std::string t = b.emit(fw)[0].content;
    CHECK(has(t, "set tag netsep-ks-ks comments \"netsep kill-switch group ks\"\n"));
    CHECK(has(t, "set rulebase security rules ks-ks-x-tcp tag [ netsep netsep-ks-ks ]\n"));
    auto ks = b.killSwitchArtifacts(fw, "ks");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    CHECK((*ks)[0].content == "set rulebase security rules ks-ks-x-tcp disabled yes\n");
    CHECK((*ks)[1].content == "set rulebase security rules ks-ks-x-tcp disabled no\n");
}

TEST_CASE("backend paloalto: an ICMP type that slipped past the capability check is refused") {
    backends::PaloAltoBackend b;
    auto fw = lowered();
    for (auto& p : fw.pairs)
        for (auto& r : p.rules)
            if (r.match.proto == model::Proto::Icmp)
                r.match.icmpTypes = {8};
    CHECK_THROWS_AS(b.emit(fw), std::invalid_argument);
}
