// The audit report's per-exception deployment view: which firewalls and
// backends carry an exception on the as-of date, under which device names,
// which kill-switch files cut it, and why an exception is not emitted.
#include "TestPolicy.hpp"

#include "audit/DeploymentView.hpp"
#include "backends/Backend.hpp"
#include "backends/InterfaceNames.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>

using namespace netsep;

namespace {

const char* kPolicy = R"(service https tcp/443
zone internet { kind internet level open networks 0.0.0.0/0 }
zone app { kind internal level sensitive networks 10.99.2.0/24 }
zone lab { kind rnd level open networks 10.99.5.0/24 }
group scanners in app { 10.99.2.16/28 }
saas ai { provider "p" networks 203.0.113.0/24 screening "FSI-1" on 2026-10-01 }
exception scan { from scanners to ai service https purpose vulnerability-assessment
  basis no-action-letter "NAL-1" issued 2026-06-23 expires 2027-06-22
  approved-by "ciso:kim" kill-switch ks log }
exception old { from scanners to ai service https purpose vulnerability-assessment
  basis no-action-letter "NAL-1" issued 2026-06-23 expires 2026-10-01
  approved-by "ciso:kim" kill-switch ks log }
exception cut { from scanners to ai service https purpose vulnerability-assessment
  basis no-action-letter "NAL-1" issued 2026-06-23 expires 2027-06-22
  approved-by "ciso:kim" kill-switch off log }
exception nowhere { from lab to ai service https purpose vulnerability-assessment
  basis no-action-letter "NAL-1" issued 2026-06-23 expires 2027-06-22
  approved-by "ciso:kim" kill-switch ks log }
kill-switch off engaged since 2026-11-01 by "ciso:kim" ticket "INC-1"
firewall fw { backend nftables, paloalto
  interface e0 zone internet on paloalto ethernet1/1
  interface e1 zone app on paloalto ethernet1/2 }
)";

const audit::ExceptionDeployment& find(const std::vector<audit::ExceptionDeployment>& v,
                                       const model::Policy& p, const std::string& name) {
    auto it = std::find_if(v.begin(), v.end(), [&](const audit::ExceptionDeployment& e) {
        return p.rules[e.rule].name == name;
    });
    REQUIRE(it != v.end());
    return *it;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

TEST_CASE("deployment view: where an emitted exception runs and what cuts it") {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto view = audit::deploymentView(c->policy, c->sources, *model::Date::parse("2026-11-22"));
    REQUIRE(view.size() == 4);

    const auto& scan = find(view, c->policy, "scan");
    CHECK(scan.emitted);
    CHECK(scan.notEmitted == audit::ExceptionDeployment::NotEmitted::None);
    REQUIRE(scan.firewalls.size() == 1);
    const auto& fw = scan.firewalls[0];
    CHECK(fw.firewall == "fw");
    CHECK(fw.zonePairs == std::vector<std::string>{"app -> internet"});
    CHECK(fw.loweredRules == 1);
    CHECK(fw.markBit == "0x00010000"); // ks sorts before off: bit 16
    REQUIRE(fw.backends.size() == 2);
    CHECK(fw.backends[0].backend == "nftables");
    CHECK(fw.backends[0].rules ==
          std::vector<std::string>{"comment \"policy rule scan at test.nsp:7 - kill-switch ks\""});
    CHECK(has(fw.backends[0].killSwitchFiles, "fw/nftables-killswitch-ks-disable.nft"));
    CHECK(has(fw.backends[0].killSwitchFiles, "fw/nftables-killswitch-ks-enable.nft"));
    CHECK(fw.backends[1].backend == "paloalto");
    CHECK(fw.backends[1].rules == std::vector<std::string>{"netsep-ks-ks-scan-tcp"});
    CHECK(has(fw.backends[1].killSwitchFiles, "fw/paloalto-killswitch-ks-disable.set"));
}

TEST_CASE("deployment view: why an exception is not emitted, and where its switch stays") {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto view = audit::deploymentView(c->policy, c->sources, *model::Date::parse("2026-11-22"));

    const auto& old = find(view, c->policy, "old");
    CHECK_FALSE(old.emitted);
    CHECK(old.notEmitted == audit::ExceptionDeployment::NotEmitted::NotInForce);
    CHECK(old.firewalls.empty());
    // Its group still runs on fw (through `scan`), so the Linux switch is kept.
    CHECK(old.switchKeptOn == std::vector<std::string>{"fw"});

    const auto& cut = find(view, c->policy, "cut");
    CHECK_FALSE(cut.emitted);
    CHECK(cut.notEmitted == audit::ExceptionDeployment::NotEmitted::KillSwitchEngaged);
    CHECK(cut.switchKeptOn == std::vector<std::string>{"fw"});

    const auto& nowhere = find(view, c->policy, "nowhere");
    CHECK_FALSE(nowhere.emitted);
    CHECK(nowhere.notEmitted == audit::ExceptionDeployment::NotEmitted::NoFirewall);
    CHECK(nowhere.switchKeptOn.empty());
}

TEST_CASE("deployment view: the device names are the ones the backends print") {
    // A long exception name that FortiOS (35 characters) and Junos (63)
    // shorten, over tcp and udp (one device rule for both on the vendors):
    // every label names what the emitted configuration holds.
    const std::string name(40, 'x');
    const std::string text =
        "service https tcp/443, udp/443 tls\n"
        "zone internet { kind internet level open networks 0.0.0.0/0 }\n"
        "zone app { kind internal level sensitive networks 10.99.2.0/24 }\n"
        "group scanners in app { 10.99.2.16/28 }\n"
        "saas ai { provider \"p\" networks 203.0.113.0/24 screening \"FSI-1\" on 2026-10-01 }\n"
        "exception " +
        name +
        "-scan-with-a-long-name { from scanners to ai service https purpose "
        "vulnerability-assessment\n"
        "  basis no-action-letter \"NAL-1\" issued 2026-06-23 expires 2027-06-22\n"
        "  approved-by \"ciso:kim\" kill-switch ks log }\n"
        "firewall fw { backend nftables, iptables, cisco-asa, juniper-srx, paloalto, fortios\n"
        "  interface e0 zone internet on juniper-srx ge-0/0/0.0, paloalto ethernet1/1\n"
        "  interface e1 zone app on juniper-srx ge-0/0/1.0, paloalto ethernet1/2 }\n";
    auto c = test::compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    const auto view =
        audit::deploymentView(c->policy, c->sources, *model::Date::parse("2026-11-22"));
    REQUIRE(view.size() == 1);
    REQUIRE(view[0].firewalls.size() == 1);
    const auto& fw = view[0].firewalls[0];
    REQUIRE(fw.backends.size() == 6);
    auto lowered =
        lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(lowered.size() == 1);
    for (const auto& b : fw.backends) {
        CAPTURE(b.backend);
        const backends::Backend* backend = backends::findBackend(b.backend);
        REQUIRE(backend);
        std::optional<lower::LoweredFirewall> renamed;
        const auto& v =
            backends::interfacesFor(lowered[0], c->policy.firewalls[0], b.backend, renamed);
        const std::string cfg = backend->emit(v)[0].content;
        // One device rule for tcp and udp on the vendors; one label per
        // lowered rule's comment on Linux (the same comment for both).
        REQUIRE(b.rules.size() == 1);
        std::string label = b.rules[0];
        CAPTURE(label);
        if (label.starts_with("comment \""))
            label = label.substr(9, label.size() - 10); // the comment text
        else if (label.starts_with("ACEs with time-range "))
            label = "time-range " + label.substr(21);
        CHECK(cfg.find(label) != std::string::npos);
        if (b.backend == "fortios" || b.backend == "juniper-srx")
            CHECK(label.find(name + "-scan-with-a-long-name") == std::string::npos); // shortened
    }
}
