#include "TestPolicy.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

using netsep::test::compileText;
using namespace netsep;

namespace {
const char* kPolicy = R"(
service https tcp/443
service web tcp/80, tcp/443, tcp/8000-8010, udp/53
zone internet { kind internet level open networks 0.0.0.0/0 }
zone dmz { kind dmz level open networks 10.99.1.0/24 }
zone app { kind internal level sensitive networks 10.99.2.0/24 }
zone lab { kind rnd level open networks 10.99.3.0/24 }
saas ai { provider "p" fqdn api.example.com networks 203.0.113.0/24 screening "r" on 2026-05-30 }
access a-web { from dmz to app service web justification "j" owner "o" }
deny   d-80  { from any to app service tcp/80 }
exception x { from app to ai service https purpose port-scan
  basis no-action-letter "N" issued 2026-06-23 expires 2027-06-22
  approved-by "ciso:kim" kill-switch ks log }
firewall fw { backend nftables
  interface eth0 zone internet interface eth1 zone dmz interface eth2 zone app }
)";
}

TEST_CASE("lower: denies come before allows in each zone pair, whatever the order") {
    auto c = compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    const auto& fw = fws[0];
    const lower::ZonePair* dmzApp = nullptr;
    for (const auto& p : fw.pairs)
        if (p.fromZone == "dmz" && p.toZone == "app")
            dmzApp = &p;
    REQUIRE(dmzApp);
    REQUIRE(dmzApp->rules.size() == 3); // deny tcp/80, allow tcp, allow udp
    CHECK(dmzApp->rules[0].action == lower::Action::Drop);
    CHECK(dmzApp->rules[0].policyRule == "d-80");
    CHECK(dmzApp->rules[1].match.proto == model::Proto::Tcp);
    REQUIRE(dmzApp->rules[1].match.ports.size() == 3); // 80, 443, 8000-8010
    CHECK(dmzApp->rules[2].match.proto == model::Proto::Udp);
    CHECK(dmzApp->rules[1].where == "test.nsp:9");
    CHECK(dmzApp->inInterfaces == std::vector<std::string>{"eth1"});
    // lab has no interface on fw: nothing lands for it.
    for (const auto& p : fw.pairs)
        CHECK(p.fromZone != "lab");
}

TEST_CASE("lower: saas endpoints are reached through the internet interface") {
    auto c = compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    const auto& fw = fws[0];
    bool found = false;
    for (const auto& p : fw.pairs)
        for (const auto& r : p.rules)
            if (r.policyRule == "x") {
                found = true;
                CHECK(p.fromZone == "app");
                CHECK(p.toZone == "internet");
                CHECK(r.killSwitch == "ks");
                CHECK(fw.objects[r.dst].name == "saas-ai");
                CHECK(fw.objects[r.dst].v4.at(0).str() == "203.0.113.0/24");
            }
    CHECK(found);
    CHECK(fw.killSwitchGroups == std::vector<std::string>{"ks"});
}

TEST_CASE("lower: an expired exception is never emitted") {
    auto c = compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2027-06-23"), {}});
    for (const auto& p : fws[0].pairs)
        for (const auto& r : p.rules)
            CHECK(r.policyRule != "x");
    CHECK(fws[0].killSwitchGroups.empty());
    // ...but its group keeps its switch (and conntrack bit) on the firewall
    CHECK(fws[0].switchGroups == std::vector<std::string>{"ks"});
    CHECK(fws[0].engagedGroups.empty());
}

TEST_CASE("lower: an engaged kill-switch group's exceptions are left out, its switch stays") {
    std::string text = std::string(kPolicy) +
                       "kill-switch ks engaged since 2026-11-20 by \"ciso:kim\" ticket \"INC-1\"\n";
    auto c = compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    for (const auto& p : fws[0].pairs)
        for (const auto& r : p.rules)
            CHECK(r.policyRule != "x");
    CHECK(fws[0].killSwitchGroups.empty());
    CHECK(fws[0].switchGroups == std::vector<std::string>{"ks"});
    CHECK(fws[0].engagedGroups == std::vector<std::string>{"ks"});
    // a group between no zones of a firewall gets no switch there
    std::string other = std::string(kPolicy) +
                        "firewall fw2 { backend nftables interface eth0 zone dmz interface eth1 "
                        "zone app }\n";
    auto c2 = compileText(other);
    REQUIRE_MESSAGE(c2->ok, c2->diagnostics());
    auto fws2 =
        lower::lowerPolicy(c2->policy, c2->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws2.size() == 2);
    CHECK(fws2[1].switchGroups.empty());
}

TEST_CASE("lower: the internet zone's object excludes more specific zones") {
    auto c = compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    std::string err;
    auto inner = *model::parsePrefix("10.99.2.1", err);
    bool seen = false;
    for (const auto& o : fws[0].objects)
        if (o.name == "zone-internet") {
            seen = true;
            for (const auto& p : o.v4)
                CHECK_FALSE(p.contains(inner));
        }
    CHECK(seen);
}
