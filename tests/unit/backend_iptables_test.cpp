// Unit tests for the iptables backend: hand-built LoweredFirewall values in,
// iptables-restore text out; plus a real load of both families into a
// throwaway network namespace.
#include "backends/EmitUtil.hpp"
#include "backends/iptables/IptablesBackend.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

using namespace netsep;
using lower::LoweredFirewall;
using lower::LoweredRule;

namespace {

model::IpPrefix pfx(const char* text) {
    std::string err;
    auto p = model::parsePrefix(text, err);
    REQUIRE_MESSAGE(p.has_value(), err);
    return *p;
}

lower::AddressObject obj(std::string name, std::vector<const char*> v4,
                         std::vector<const char*> v6 = {}) {
    lower::AddressObject o;
    o.name = std::move(name);
    for (auto* t : v4)
        o.v4.push_back(pfx(t));
    for (auto* t : v6)
        o.v6.push_back(pfx(t));
    return o;
}

LoweredRule rule(lower::Action a, std::string name, uint32_t src, uint32_t dst, model::Proto proto,
                 std::vector<model::PortRange> ports, bool v4 = true, bool v6 = false) {
    LoweredRule r;
    r.action = a;
    r.kind = a == lower::Action::Drop ? model::RuleKind::Deny : model::RuleKind::Access;
    r.policyRule = std::move(name);
    r.where = "bank.nsp:" + std::to_string(10 + src * 3 + dst);
    r.src = src;
    r.dst = dst;
    r.match.proto = proto;
    r.match.ports = std::move(ports);
    r.v4 = v4;
    r.v6 = v6;
    return r;
}

enum Obj : uint32_t { Internet, Dmz, Web, App, Core, Secops, Scanners, Claude };

// A firewall in the shape of the SPEC example.
LoweredFirewall sample() {
    LoweredFirewall fw;
    fw.name = "fw-core";
    fw.policyName = "acme-bank";
    fw.backends = {"nftables"};
    fw.interfaces = {{"eth0", "internet"}, {"eth1", "dmz"},   {"eth2", "app"},
                     {"eth3", "core"},     {"eth4", "secops"}};
    fw.objects = {
        obj("zone-internet", {"0.0.0.0/0"}, {"::/0"}),
        obj("zone-dmz", {"192.0.2.0/24"}),
        obj("group-web", {"192.0.2.10", "192.0.2.11"}),
        obj("zone-app", {"10.1.0.0/16"}),
        obj("zone-core", {"10.10.0.0/16"}, {"fd00:10::/48"}),
        obj("zone-secops", {"10.20.0.0/24"}, {"fd00:20::/64"}),
        obj("group-scanners", {"10.20.0.16/28"}),
        obj("saas-claude-api", {"160.79.104.0/23"}),
    };
    fw.objects.back().fqdns = {"api.anthropic.com"};
    using lower::Action;
    using model::Proto;

    lower::ZonePair inetDmz{"internet", "dmz", {"eth0"}, {"eth1"}, {}};
    inetDmz.rules.push_back(rule(Action::Drop, "no-telnet", Internet, Dmz, Proto::Tcp, {{23, 23}}));
    auto webIn = rule(Action::Accept, "web-in", Internet, Web, Proto::Tcp, {{443, 443}});
    webIn.log = true;
    inetDmz.rules.push_back(webIn);

    lower::ZonePair inetCore{"internet", "core", {"eth0"}, {"eth3"}, {}};
    inetCore.rules.push_back(
        rule(Action::Drop, "no-core", Internet, Core, Proto::Any, {}, true, true));

    lower::ZonePair dmzApp{"dmz", "app", {"eth1"}, {"eth2"}, {}};
    dmzApp.rules.push_back(
        rule(Action::Accept, "web-app", Web, App, Proto::Tcp, {{443, 443}, {1000, 2000}}));

    lower::ZonePair secopsCore{"secops", "core", {"eth4"}, {"eth3"}, {}};
    auto triage = rule(Action::Accept, "soc-triage", Secops, Core, Proto::Tcp, {{443, 443}});
    triage.identity = "soc-analyst";
    secopsCore.rules.push_back(triage);
    auto ping6 = rule(Action::Accept, "ping6", Secops, Core, Proto::Icmpv6, {}, false, true);
    ping6.match.icmpTypes = {128, 135, 200};
    ping6.match.icmpNames = {"echo-request", "nd-neighbor-solicit", "200"};
    secopsCore.rules.push_back(ping6);

    lower::ZonePair secopsInet{"secops", "internet", {"eth4"}, {"eth0"}, {}};
    auto ping = rule(Action::Accept, "ping-out", Secops, Internet, Proto::Icmp, {});
    ping.match.icmpTypes = {8};
    ping.match.icmpNames = {"echo-request"};
    secopsInet.rules.push_back(ping);
    auto scan = rule(Action::Accept, "ai-vuln-scan", Scanners, Claude, Proto::Tcp, {{443, 443}});
    scan.kind = model::RuleKind::Exception;
    scan.killSwitch = "ai-egress";
    scan.log = true;
    secopsInet.rules.push_back(scan);
    auto scanDns = rule(Action::Accept, "ai-vuln-scan", Scanners, Claude, Proto::Udp, {{53, 53}});
    scanDns.kind = model::RuleKind::Exception;
    scanDns.killSwitch = "ai-egress";
    secopsInet.rules.push_back(scanDns);

    fw.pairs = {inetCore, inetDmz, dmzApp, secopsCore, secopsInet};
    fw.killSwitchGroups = {"ai-egress"};
    return fw;
}

struct Files {
    std::string v4, v6;
};

Files emitIpt(const LoweredFirewall& fw) {
    auto arts = backends::IptablesBackend().emit(fw);
    REQUIRE(arts.size() == 2);
    CHECK(arts[0].path == "iptables.rules");
    CHECK(arts[1].path == "ip6tables.rules");
    return {arts[0].content, arts[1].content};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

// Rules appended to CHAIN, in order.
std::vector<std::string> chainRules(const std::string& text, const std::string& chain) {
    std::vector<std::string> out;
    for (const auto& l : lines(text))
        if (l.rfind("-A " + chain + " ", 0) == 0)
            out.push_back(l);
    return out;
}

// Declared user chains (":NAME - [0:0]").
std::vector<std::string> declaredChains(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& l : lines(text))
        if (l.size() > 1 && l[0] == ':' && l.find(" - [0:0]") != std::string::npos)
            out.push_back(l.substr(1, l.find(' ') - 1));
    return out;
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

bool haveTool(const char* tool) {
    return std::system(fmt::format("command -v {} >/dev/null 2>&1", tool).c_str()) == 0;
}

std::string writeTemp(const std::string& name, const std::string& content) {
    auto path = std::filesystem::temp_directory_path() /
                fmt::format("netsep-ipt-{}-{}", ::getpid(), name);
    std::ofstream(path) << content;
    return path.string();
}

int run(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// A network namespace deleted on scope exit, also when a check fails.
struct NetNs {
    std::string name;
    bool ok = false;
    explicit NetNs(std::string n) : name(std::move(n)) {
        ok = run(fmt::format("ip netns add {}", name)) == 0;
    }
    ~NetNs() {
        if (ok)
            run(fmt::format("ip netns del {}", name));
    }
    NetNs(const NetNs&) = delete;
    NetNs& operator=(const NetNs&) = delete;
};

} // namespace
