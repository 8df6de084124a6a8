// A deny from any to any is written once, ahead of the zone-pair dispatch,
// on the Linux backends (LoweredRule::global).
#include "TestPolicy.hpp"
#include "backends/iptables/IptablesBackend.hpp"
#include "backends/nftables/NftablesBackend.hpp"
#include "lower/Lowering.hpp"

#include <doctest/doctest.h>

#include <string>

using netsep::test::compileText;
using namespace netsep;

namespace {

const char* kPolicy = R"(
zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }
zone dmz { kind dmz level open networks 10.99.1.0/24, fd99:1::/64 }
zone app { kind internal level sensitive networks 10.99.2.0/24, fd99:2::/64 }
deny no-rdp { from any to any service tcp/3389, udp/3389 log }
deny no-telnet-app { from any to app service tcp/23 }
deny no-ssh-out { from any to internet service tcp/22 }
access web { from internet to dmz service tcp/443 justification "j" owner "o" }
access app { from dmz to app service tcp/8443 justification "j" owner "o" }
firewall fw { backend nftables, iptables
  interface eth0 zone internet interface eth1 zone dmz interface eth2 zone app }
)";

lower::LoweredFirewall lowered() {
    auto c = compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto fws = lower::lowerPolicy(c->policy, c->sources, {*model::Date::parse("2026-11-22"), {}});
    REQUIRE(fws.size() == 1);
    return fws[0];
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("lower: only denies from any to any are global") {
    auto fw = lowered();
    std::size_t global = 0;
    for (const auto& p : fw.pairs)
        for (const auto& r : p.rules) {
            CHECK(r.global == (r.policyRule == "no-rdp"));
            global += r.global;
        }
    CHECK(global >= 6 * 2); // every zone pair, tcp and udp
}

TEST_CASE("backend nftables: a global deny is one line ahead of the dispatch") {
    auto text = backends::NftablesBackend().emit(lowered())[0].content;
    const std::string tcp = "\t\ttcp dport 3389 counter log prefix \"netsep DROP no-rdp \" drop "
                            "comment \"policy rule no-rdp at test.nsp:5\"\n";
    CHECK(count(text, tcp) == 1);
    CHECK(count(text, "udp dport 3389") == 1);
    CHECK(count(text, "policy rule no-rdp at") == 2);
    CHECK(text.find(tcp) < text.find("iifname . oifname vmap @zone_pairs"));
    CHECK(text.find("ct state invalid drop") < text.find(tcp));
    // Narrower denies stay in their pairs, one line for both families there.
    CHECK(count(text, "policy rule no-telnet-app at") == 2); // dmz, internet -> app
    CHECK(count(text, "policy rule no-ssh-out at") == 2);    // dmz, app -> internet
}

TEST_CASE("backend iptables: a global deny is written once per family in _fwd") {
    auto arts = backends::IptablesBackend().emit(lowered());
    for (int fam = 0; fam < 2; ++fam) {
        const std::string& t = arts[fam].content;
        CAPTURE(fam);
        const std::string drop = "-A ns_fw_fwd -p tcp -m tcp --dport 3389 -m comment --comment "
                                 "\"policy rule no-rdp at test.nsp:5\" -j DROP\n";
        CHECK(count(t, drop) == 1);
        CHECK(count(t, "-A ns_fw_fwd -p udp -m udp --dport 3389") == 2); // LOG, DROP
        CHECK(count(t, "policy rule no-rdp at") == 4);
        CHECK(t.find(drop) < t.find("-A ns_fw_fwd -i eth0 -o eth1"));
        CHECK(t.find("--ctstate INVALID -j DROP") < t.find(drop));
        CHECK(count(t, "policy rule no-telnet-app at") == 2);
    }
}
