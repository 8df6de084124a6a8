// Unit tests for `netsep quarantine`: the backend-neutral plan (which
// firewalls police a target, with which interfaces and addresses, who keeps
// access), the lateral-movement impact on crown jewels, and what the nftables
// and iptables backends print into the quarantine hook. Real packets:
// tests/deploy/run.py.
#include "TestPolicy.hpp"

#include "analysis/PolicyGraph.hpp"
#include "backends/iptables/IptablesBackend.hpp"
#include "backends/nftables/NftablesBackend.hpp"
#include "deploy/Artifact.hpp"
#include "deploy/QuarantineImpact.hpp"
#include "deploy/QuarantinePlan.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace netsep;
using deploy::QuarantineRequest;

namespace {

// Two firewalls: fw-a polices app (r-app) and web; fw-b polices app too
// (a second interface) and db. soc keeps access; it sits on fw-a only.
const char* kPolicy = R"(policy q { owner "x" }
service ssh tcp/22
service pg tcp/5432
service http tcp/80
zone soc { kind admin level sensitive networks 10.99.9.0/24 quarantine-access }
zone web { kind dmz level open networks 10.99.4.0/24, fd99:4::/64 }
zone app { kind internal level sensitive networks 10.99.2.0/24, fd99:2::/64 }
zone db  { kind datacenter level classified networks 10.99.3.0/24 crown-jewel }
group batch in app { 10.99.2.128/25 }
access soc-app { from soc to app service ssh }
access web-app { from web to app service http }
access app-db { from app to db service pg }
firewall fw-a { backend nftables, iptables
  interface e-soc zone soc  interface e-web zone web  interface e-app zone app }
firewall fw-b { backend nftables, juniper-srx
  interface b-app zone app  interface b-db zone db }
)";

std::string codes(const test::Compiled& c) {
    std::string out;
    for (const auto& d : c.diags.sorted())
        out += d.code + " ";
    return out;
}

} // namespace

TEST_CASE("quarantine plan: every firewall with an interface in the zone, its interfaces and "
          "addresses, and the policy's access zone where it has an interface") {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto plan = deploy::planQuarantine(c->policy, QuarantineRequest{{"app"}, {}, false}, c->diags);
    REQUIRE_MESSAGE(plan, c->diagnostics());
    CHECK(plan->accessFromPolicy);
    REQUIRE(plan->accessZones.size() == 1);
    REQUIRE(plan->firewalls.size() == 2);
    const auto& a = plan->firewalls[0].q;
    CHECK(c->policy.firewalls[plan->firewalls[0].firewall].name == "fw-a");
    REQUIRE(a.targets.size() == 1);
    CHECK(a.targets[0].name == "app");
    CHECK_FALSE(a.targets[0].group);
    CHECK(a.targets[0].interfaces == std::vector<std::string>{"e-app"});
    REQUIRE(a.targets[0].v4.size() == 1);
    CHECK(a.targets[0].v4[0].str() == "10.99.2.0/24");
    REQUIRE(a.targets[0].v6.size() == 1);
    REQUIRE(a.access.size() == 1);
    CHECK(a.access[0].zone == "soc");
    CHECK(a.access[0].interfaces == std::vector<std::string>{"e-soc"});
    CHECK(a.summary == "zone app. Access kept: zone soc");
    // fw-b polices app too, but soc cannot reach it there.
    const auto& b = plan->firewalls[1];
    CHECK(b.q.targets[0].interfaces == std::vector<std::string>{"b-app"});
    CHECK(b.q.access.empty());
    REQUIRE(b.notes.size() == 1);
    CHECK(b.notes[0].find("zone soc has no interface here") != std::string::npos);
}

TEST_CASE("quarantine plan: groups are cut by address; --allow-from and --no-access win") {
    auto c = test::compileText(kPolicy);
    REQUIRE(c->ok);
    auto plan =
        deploy::planQuarantine(c->policy, QuarantineRequest{{"batch"}, {"web"}, false}, c->diags);
    REQUIRE_MESSAGE(plan, c->diagnostics());
    CHECK_FALSE(plan->accessFromPolicy);
    const auto& t = plan->firewalls[0].q.targets[0];
    CHECK(t.group);
    CHECK(t.zone == "app");
    CHECK(t.v4[0].str() == "10.99.2.128/25");
    CHECK(t.v6.empty());
    CHECK(plan->firewalls[0].q.access[0].zone == "web");
    plan = deploy::planQuarantine(c->policy, QuarantineRequest{{"app", "batch", "app"}, {}, true},
                                  c->diags);
    REQUIRE(plan);
    CHECK(plan->targets.size() == 1); // app once; batch lies inside it
    CHECK(plan->accessZones.empty());
    CHECK(plan->firewalls[0].q.summary == "zone app. Access kept: none");
}

TEST_CASE("quarantine plan: bad targets and access zones are errors") {
    auto c = test::compileText(kPolicy);
    REQUIRE(c->ok);
    CHECK_FALSE(deploy::planQuarantine(c->policy, QuarantineRequest{{"ap"}, {}, false}, c->diags));
    CHECK(c->diagnostics().find("no zone or group named 'ap' to quarantine; did you mean 'app'?") !=
          std::string::npos);
    c = test::compileText(kPolicy);
    CHECK_FALSE(
        deploy::planQuarantine(c->policy, QuarantineRequest{{"app"}, {"batch"}, false}, c->diags));
    CHECK(codes(*c) == "E511 ");
    c = test::compileText(kPolicy);
    CHECK_FALSE(
        deploy::planQuarantine(c->policy, QuarantineRequest{{"batch"}, {"app"}, false}, c->diags));
    CHECK(c->diagnostics().find("cannot keep access to a quarantine of itself") !=
          std::string::npos);
    auto noFirewall = test::compileText(std::string(kPolicy) +
                                        "zone lab { kind devtest networks 10.99.7.0/24 }\n");
    REQUIRE(noFirewall->ok);
    CHECK_FALSE(deploy::planQuarantine(noFirewall->policy, QuarantineRequest{{"lab"}, {}, false},
                                       noFirewall->diags));
    CHECK(codes(*noFirewall) == "E513 ");
}

TEST_CASE("quarantine impact: who loses its lateral path to the crown jewel") {
    auto c = test::compileText(kPolicy);
    REQUIRE(c->ok);
    auto plan = deploy::planQuarantine(c->policy, QuarantineRequest{{"app"}, {}, false}, c->diags);
    REQUIRE(plan);
    auto g = analysis::PolicyGraph::build(c->policy, *model::Date::parse("2026-11-22"));
    auto impact = deploy::assessQuarantine(g, c->policy, *plan);
    REQUIRE(impact.jewels.size() == 1);
    const auto& j = impact.jewels[0];
    CHECK(c->policy.zones[j.zone].name == "db");
    CHECK_FALSE(j.quarantined);
    auto names = [&](const std::vector<uint32_t>& vs) {
        std::vector<std::string> out;
        for (auto v : vs)
            out.push_back(g.name(v, c->policy));
        std::sort(out.begin(), out.end());
        return out;
    };
    // app (and its group) could reach db (pg); soc (ssh) and web (http:
    // every service pivots unless marked no-pivot) reached it only through app.
    CHECK(names(j.contained) == std::vector<std::string>{"app", "batch"});
    CHECK(names(j.cutOff) == std::vector<std::string>{"soc", "web"});
    CHECK(j.still.empty());
    CHECK(impact.accessWarnings.empty()); // soc -> app is allowed (ssh)

    // Access zone with nothing allowed into the target: a warning.
    plan = deploy::planQuarantine(c->policy, QuarantineRequest{{"db"}, {"soc"}, false}, c->diags);
    REQUIRE(plan);
    impact = deploy::assessQuarantine(g, c->policy, *plan);
    CHECK(impact.jewels[0].quarantined);
    REQUIRE(impact.accessWarnings.size() == 1);
    CHECK(impact.accessWarnings[0].find("allows nothing from zone soc to zone db") !=
          std::string::npos);
}

TEST_CASE("quarantine artifacts: nftables and iptables fill and empty only the hook chain") {
    auto c = test::compileText(kPolicy);
    REQUIRE(c->ok);
    auto plan = deploy::planQuarantine(c->policy, QuarantineRequest{{"app"}, {}, false}, c->diags);
    REQUIRE(plan);
    lower::LoweringOptions lo;
    lo.asOf = *model::Date::parse("2026-11-22");
    lo.firewalls = {"fw-a"};
    auto fws = lower::lowerPolicy(c->policy, c->sources, lo);
    REQUIRE(fws.size() == 1);
    const auto& q = plan->firewalls[0].q;

    auto nft = backends::NftablesBackend().quarantineArtifacts(fws[0], q);
    REQUIRE(nft);
    REQUIRE(nft->size() == 2);
    const std::string& on = (*nft)[0].content;
    const std::string& off = (*nft)[1].content;
    CHECK((*nft)[0].path == "nftables-quarantine.nft");
    CHECK((*nft)[1].path == "nftables-quarantine-release.nft");
    CHECK(on.find("# Quarantines: zone app. Access kept: zone soc\n") != std::string::npos);
    CHECK(on.find("\nflush chain inet netsep_fw-a quarantine\n") != std::string::npos);
    CHECK(on.find("add rule inet netsep_fw-a quarantine iifname { \"e-soc\" } oifname { \"e-app\" }"
                  " ip saddr { 10.99.9.0/24 } ip daddr { 10.99.2.0/24 } ct direction original "
                  "counter return") != std::string::npos);
    CHECK(on.find("iifname { \"e-app\" } oifname { \"e-soc\" } ip saddr { 10.99.2.0/24 } ip daddr "
                  "{ 10.99.9.0/24 } ct direction reply counter return") != std::string::npos);
    CHECK(on.find("quarantine iifname { \"e-app\" } counter drop") != std::string::npos);
    CHECK(on.find("quarantine oifname { \"e-app\" } counter drop") != std::string::npos);
    CHECK(on.find("quarantine ip6 saddr { fd99:2::/64 } counter drop") != std::string::npos);
    // soc has no IPv6: no IPv6 access rule.
    CHECK(on.find("ip6 saddr { fd99:2::/64 } ip6 daddr") == std::string::npos);
    // The release only empties the hook: the compiled state.
    CHECK(off.substr(off.find("\nflush")) == "\nflush chain inet netsep_fw-a quarantine\n");
    // apply reads them as quarantine artifacts of table netsep_fw-a only.
    CHECK(deploy::checkNftScript(on, "netsep_fw-a").empty());
    CHECK(deploy::checkNftScript(off, "netsep_fw-a").empty());

    auto ipt = backends::IptablesBackend().quarantineArtifacts(fws[0], q);
    REQUIRE(ipt);
    REQUIRE(ipt->size() == 2);
    std::string v4, v6, error;
    REQUIRE_MESSAGE(deploy::splitRestoreScript((*ipt)[0].content, v4, v6, error), error);
    const std::string hook = backends::IptablesBackend::quarantineChain(fws[0]);
    CHECK(v4.rfind("*filter\n-F " + hook + "\n", 0) == 0);
    CHECK(v4.find("-A " + hook +
                  " -i e-soc -o e-app -s 10.99.9.0/24 -d 10.99.2.0/24 -m conntrack "
                  "--ctdir ORIGINAL") != std::string::npos);
    CHECK(v4.find("-A " + hook +
                  " -i e-app -o e-soc -s 10.99.2.0/24 -d 10.99.9.0/24 -m conntrack "
                  "--ctdir REPLY") != std::string::npos);
    CHECK(v6.find("-A " + hook + " -s fd99:2::/64 ") != std::string::npos);
    CHECK(v6.find("--ctdir") == std::string::npos);
    CHECK(deploy::checkRestoreInput(v4).empty());
    CHECK(deploy::checkRestoreInput(v6).empty());
    REQUIRE(deploy::splitRestoreScript((*ipt)[1].content, v4, v6, error));
    CHECK(v4 == "*filter\n-F " + hook + "\nCOMMIT\n");
    CHECK(v6 == v4);
}
