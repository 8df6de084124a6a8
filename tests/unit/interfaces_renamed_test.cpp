// backends::InterfacesRenamed: what a compile emits each backend from. It
// renames a lowered firewall's interfaces in place (no copy of the rules)
// and must give exactly interfacesFor's view, then put every name back for
// the next backend.
#include "TestPolicy.hpp"

#include "backends/InterfaceNames.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace netsep;

namespace {

const char* kPolicy = R"(service https tcp/443
zone internet { kind internet level open networks 0.0.0.0/0 }
zone app { kind internal level sensitive networks 10.99.2.0/24 }
zone db { kind internal level sensitive networks 10.99.3.0/24 }
access web { from internet to app service https justification "j" owner "o" }
access sql { from app to db service https justification "j" owner "o" }
firewall fw { backend nftables, juniper-srx, paloalto
  interface e0 zone internet on juniper-srx ge-0/0/0.0, paloalto ethernet1/1
  interface e1 zone app on juniper-srx ge-0/0/1.0
  interface e2 zone db }
)";

struct Names {
    std::vector<std::string> interfaces;
    std::vector<std::vector<std::string>> in, out;
    bool operator==(const Names&) const = default;
};

Names namesOf(const lower::LoweredFirewall& fw) {
    Names n;
    for (const auto& i : fw.interfaces)
        n.interfaces.push_back(i.name);
    for (const auto& p : fw.pairs) {
        n.in.push_back(p.inInterfaces);
        n.out.push_back(p.outInterfaces);
    }
    return n;
}

} // namespace

TEST_CASE("interfaces renamed in place: interfacesFor's view, then the original names again") {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto lowered =
        lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(lowered.size() == 1);
    lower::LoweredFirewall& fw = lowered[0];
    REQUIRE(fw.pairs.size() >= 2);
    const Names original = namesOf(fw);
    for (const char* backend : {"juniper-srx", "paloalto", "nftables"}) {
        CAPTURE(backend);
        std::optional<lower::LoweredFirewall> copy;
        const Names expected =
            namesOf(backends::interfacesFor(fw, c->policy.firewalls[0], backend, copy));
        {
            const backends::InterfacesRenamed renamed(fw, c->policy.firewalls[0], backend);
            CHECK(&renamed.firewall() == &fw); // no copy
            CHECK(namesOf(renamed.firewall()) == expected);
            if (std::string(backend) == "nftables")
                CHECK(namesOf(fw) == original); // no alias: untouched
            else
                CHECK(namesOf(fw) != original);
        }
        CHECK(namesOf(fw) == original);
    }
    // Spot check of the renamed view itself.
    const backends::InterfacesRenamed srx(fw, c->policy.firewalls[0], "juniper-srx");
    CHECK(srx.firewall().interfaces[0].name == "ge-0/0/0.0");
    CHECK(srx.firewall().interfaces[2].name == "e2");
}
